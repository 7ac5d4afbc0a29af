import LeNetCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// PyTorch and safetensors files written by Tests/Fixtures/pytorch/make_fixtures.py.
@Suite struct InteropTests {
    static let dir = repositoryRoot + "/Tests/Fixtures/pytorch/"

    static func floats(_ name: String) throws -> [Float] {
        try FileIO.read(dir + name).withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }

    func logits(_ m: Model) throws -> [Float] {
        let inputs = try Self.floats("inputs.f32")
        var out = [Float](repeating: 0, count: 40)
        LeNet5.logits(PackedWeights(m.parameters), count: 4, threads: 1, into: &out) { i, x in
            inputs.withUnsafeBufferPointer { x.update(from: $0.baseAddress! + i * 1024, count: 1024) }
        }
        return out
    }

    @Test(arguments: ["lenet_seed.pth", "lenet_seed_deflated.pth", "lenet_seed_module_f64.pth", "lenet_seed.safetensors"])
    func logitsEqualPyTorchs(file: String) throws {
        let bytes = try FileIO.read(Self.dir + file)
        let m = try Model.load(bytes: bytes)
        let expected = try Self.floats("logits.f32")
        let got = try logits(m)
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-5, "\(file): logits differ from PyTorch's by \(worst)")
    }

    @Test func safetensorsExportRoundTripsWithMetadata() throws {
        let loaded = try Model.load(Self.dir + "lenet_seed.pth")
        let m = Model(parameters: loaded.parameters, normalization: Normalization(mean: 0.2, std: 0.5), info: [("note", "exported")])
        let bytes = try m.encoded(as: .safetensors)
        #expect(Model.FileFormat.detect(bytes) == .safetensors)
        let back = try Model.load(bytes: bytes)
        #expect(back.parameters == m.parameters)
        #expect(back.normalization == m.normalization)
        #expect(back.info.contains { $0.key == "note" && $0.value == "exported" })
        // And .lenet in between keeps everything.
        let viaLenet = try Model.load(bytes: back.encoded(as: .lenet))
        #expect(viaLenet.parameters == m.parameters)
    }

    @Test func pthExportRoundTrips() throws {
        let m = try Model.load(Self.dir + "lenet_seed.safetensors")
        let bytes = try m.encoded(as: .pytorch)
        #expect(Model.FileFormat.detect(bytes) == .pytorch)
        #expect(try Model.load(bytes: bytes).parameters == m.parameters)
    }

    @Test func aPickleThatRunsCodeIsRefusedAndNothingRuns() throws {
        unlink("/tmp/lenet-pwned-by-pickle")
        do {
            _ = try Model.load(Self.dir + "malicious.pth")
            Issue.record("a malicious pickle was accepted")
        } catch let LeNetError.format(message) {
            #expect(message.contains("os.system"), "\(message)")
        }
        #expect(access("/tmp/lenet-pwned-by-pickle", F_OK) != 0, "the pickle ran a command")
    }

    @Test func truncatedAndCorruptedFilesGiveClearErrors() throws {
        let pth = try FileIO.read(Self.dir + "lenet_seed.pth")
        // Cuts everywhere in the archive's structure and at random points of its data.
        var rng = Xoshiro256(seed: 41)
        let cuts = [0, 3, 10, 100, 1_000, pth.count - 200, pth.count - 22, pth.count - 1] + (0..<40).map { _ in rng.nextInt(below: pth.count) }
        for n in cuts {
            #expect(throws: LeNetError.self, "cut at \(n)") { try Model.load(bytes: Array(pth.prefix(n))) }
        }
        // A flipped byte inside a tensor's data fails that entry's CRC; one in the pickle
        // either fails the CRC or the unpickler, never silently passes.
        for _ in 0..<40 {
            var b = pth
            let i = 64 + rng.nextInt(below: pth.count - 64 - 100)
            b[i] ^= 0x20
            do {
                let m = try Model.load(bytes: b)
                // A flip in zip padding or an unused field can be harmless: the weights must be intact.
                #expect(m.parameters == (try Model.load(bytes: pth)).parameters, "flip at \(i) changed the weights silently")
            } catch let e as LeNetError {
                #expect(!e.description.isEmpty)
            }
        }
        // A pickle cut halfway inside an intact archive: the unpickler runs out of bytes.
        do {
            _ = try Model.load(Self.dir + "truncated_pickle.pth")
            Issue.record("a truncated pickle was accepted")
        } catch let LeNetError.format(message) {
            #expect(message.contains("runs past the end") || message.contains("pickle"), "\(message)")
        }
        let st = try FileIO.read(Self.dir + "lenet_seed.safetensors")
        for n in [0, 7, 8, 20, 100, st.count - 1] {
            #expect(throws: LeNetError.self, "safetensors cut at \(n)") { try Model.load(bytes: Array(st.prefix(n))) }
        }
        // A header claiming terabytes, and one with overlapping tensors.
        var huge = st
        huge.replaceSubrange(0..<8, with: [0, 0, 0, 0, 0, 1, 0, 0])
        #expect(throws: LeNetError.self) { try Safetensors.read(huge) }
    }

    @Test func safetensorsRulesAreEnforced() throws {
        func file(_ header: String, data: Int) -> [UInt8] {
            var h = Array(header.utf8)
            while h.count % 8 != 0 { h.append(0x20) }
            var out = [UInt8]()
            withUnsafeBytes(of: UInt64(h.count).littleEndian) { out += $0 }
            return out + h + [UInt8](repeating: 0, count: data)
        }
        #expect(throws: Never.self) { try Safetensors.read(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: 8)) }
        let bad = [
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,  // overlap
            #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,   // gap at the start
            #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,   // bytes left over
            #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,   // shape vs bytes
            #"{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#,   // dtype
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,99]}}"#,  // outside
            #"{"a":{"dtype":"F32","shape":[2]}}"#,                        // no offsets
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#,    // JSON
        ]
        for h in bad {
            #expect(throws: LeNetError.self, "\(h)") { try Safetensors.read(file(h, data: 8)) }
        }
        // A key repeated in one object, at any level: readers disagree on which value wins
        // (the first here, the last in Python's json), so the file is refused.
        let repeated = [
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"dtype":"F64"}}"#,
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"data_offsets":[0,8]}}"#,
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
            #"{"__metadata__":{"k":"1","k":"2"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":{"y":1,"\u0079":2}}}"#,
        ]
        for h in repeated {
            do {
                _ = try Safetensors.read(file(h, data: 8))
                Issue.record("a repeated key was accepted: \(h)")
            } catch let e as LeNetError {
                #expect(e.description.contains("appears twice"), "\(e)")
            }
        }
    }

    @Test func shapeMismatchNamesTheTensor() throws {
        var sd = [String: NamedTensor]()
        for (name, t) in try Model.load(Self.dir + "lenet_seed.pth").stateDict { sd[name] = t }
        sd["fc2.weight"] = NamedTensor(shape: [84, 121], values: [Float](repeating: 0, count: 84 * 121))
        #expect(throws: LeNetError.format("tensor 'fc2.weight' has shape [84, 121], LeNet-5 needs [84, 120]")) {
            try Model(stateDict: sd)
        }
        sd["fc2.weight"] = nil
        #expect(throws: LeNetError.format("tensor 'fc2.weight' is missing")) { try Model(stateDict: sd) }
        sd["fc4.weight"] = NamedTensor(shape: [1], values: [0])
        #expect(throws: LeNetError.self) { try Model(stateDict: sd) }
    }
}
