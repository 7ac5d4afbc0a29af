import LeNetCore
import Testing

@Suite struct CheckpointTests {
    /// A small training checkpoint: real parameters, optimizer state and RNG state.
    static let trained: Model = {
        var o = TrainingOptions()
        o.epochs = 3
        o.augment = true
        o.penShare = 0.35
        o.pairShare = 0.15
        let trainer = try! Trainer(options: o, threads: 2)
        try! trainer.trainEpoch(mnistTrain.prefix(256))
        let s = trainer.state
        return Model(parameters: s.parameters, info: [("accuracy.test", "0.5"), ("note", "unit test")], training: s)
    }()

    static let bytes: [UInt8] = try! trained.checkpoint.encoded()

    @Test func roundTripIsBitIdentical() throws {
        let back = try Model.load(bytes: Self.bytes)
        #expect(back == Self.trained)
        #expect(back.parameters.map(\.bitPattern) == Self.trained.parameters.map(\.bitPattern))
        #expect(try back.checkpoint.encoded() == Self.bytes)

        let path = temporaryPath("roundtrip")
        defer { unlink(path) }
        try Self.trained.save(path)
        #expect(try FileIO.read(path) == Self.bytes)
        #expect(try Model.load(path) == Self.trained)
    }

    /// A checkpoint from before the handwriting model (no training.pen_share, 0.4) or
    /// before touching pairs (no training.pair_share, 0.5) resumes as the run it was:
    /// without them. A share out of range is refused.
    @Test(arguments: [("training.pen_share", Float(0.35), "-1"), ("training.pair_share", Float(0.15), "11")])
    func aCheckpointWithoutAShareTrainedWithoutIt(key: String, saved: Float, bad: String) throws {
        func share(_ bytes: [UInt8]) throws -> Float? {
            let o = try Model.load(bytes: bytes).training?.options
            return key == "training.pen_share" ? o?.penShare : o?.pairShare
        }
        #expect(try share(Self.bytes) == saved)
        var file = try CheckpointFile(decoding: Self.bytes)
        file.metadata.removeAll { $0.key == key }
        #expect(try share(file.encoded()) == 0)
        file.metadata.append((key, bad))
        #expect(throws: LeNetError.self) { try Model.load(bytes: file.encoded()) }
    }

    @Test func inferenceOnlyModelHasNoTrainingState() throws {
        let plain = Model(parameters: Self.trained.parameters)
        let back = try Model.load(bytes: plain.checkpoint.encoded())
        #expect(back.training == nil)
        #expect(back == plain)
    }

    @Test func tensorDataIsAlignedTo64Bytes() throws {
        // The data offset lives at byte 24 of the header, tensor offsets in the table.
        let b = Self.bytes
        let dataOffset = (0..<8).reduce(0) { $0 | Int(b[24 + $1]) << (8 * $1) }
        #expect(dataOffset % 64 == 0)
        let f = try CheckpointFile(decoding: b)
        #expect(f.tensors.count == 13)
    }

    /// A complete, valid file small enough to cut at every length and flip at every byte
    /// (1.6 KB: metadata, f32 and u64 tensors, padding, checksum).
    static let small: [UInt8] = try! CheckpointFile(
        metadata: [("lenet.architecture", "x"), ("note", "every byte matters")],
        tensors: [
            .init(name: "w", shape: [3, 5], floats: (0..<15).map { Float($0) * 0.5 }),
            .init(name: "rng.state", words: [1, 2, 3, 4]),
            .init(name: "b", shape: [300], floats: [Float](repeating: -1, count: 300)),
        ]).encoded()

    @Test func everyTruncationIsRejected() throws {
        let b = Self.small
        #expect(try CheckpointFile(decoding: b).tensors.count == 3)
        for length in 0..<b.count {
            #expect(throws: LeNetError.self, "truncated to \(length) bytes") { try CheckpointFile(decoding: Array(b[0..<length])) }
        }
    }

    @Test func everySingleByteFlipIsRejected() {
        var b = Self.small
        for i in 0..<b.count {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                b[i] ^= mask
                #expect(throws: LeNetError.self, "flip 0x\(String(mask, radix: 16)) at byte \(i)") { try CheckpointFile(decoding: b) }
                b[i] ^= mask
            }
        }
    }

    /// On a full training checkpoint (740 KB), cuts and flips at a spread of positions,
    /// including every byte of the header and tensor table.
    @Test func fullCheckpointCutsAndFlipsAreRejected() {
        var b = Self.bytes
        var rng = Xoshiro256(seed: 31)
        let positions = Array(0..<1_024) + (0..<300).map { _ in rng.nextInt(below: b.count) } + [b.count - 1]
        for i in positions {
            b[i] ^= 0x10
            #expect(throws: LeNetError.self, "flip at byte \(i)") { try Model.load(bytes: b) }
            b[i] ^= 0x10
            #expect(throws: LeNetError.self, "cut at \(i)") { try Model.load(bytes: Array(b[0..<i])) }
        }
    }

    @Test func errorsNameTheProblem() throws {
        var b = Self.bytes
        b[0] = UInt8(ascii: "X")
        #expect(throws: LeNetError.format("not a lenet checkpoint (the file does not start with \"LENETCKP\")")) { try CheckpointFile(decoding: b) }
        b = Self.bytes
        b[b.count / 2] ^= 1
        do {
            _ = try CheckpointFile(decoding: b)
            Issue.record("a flipped bit was accepted")
        } catch let LeNetError.format(message) {
            #expect(message.contains("checksum mismatch"))
        }
        do {
            _ = try CheckpointFile(decoding: Array(b[0..<(b.count - 100)]))
            Issue.record("a truncated file was accepted")
        } catch let LeNetError.format(message) {
            #expect(message.contains("truncated"))
        }
    }

    /// A tensor whose shape claims terabytes, in a file with a valid checksum: refused by
    /// the bounds checks before anything that size is allocated.
    @Test func hugeSizeFieldsAreRejectedBeforeAllocation() throws {
        let small = CheckpointFile(metadata: [("k", "v")], tensors: [.init(name: "t", shape: [4], floats: [1, 2, 3, 4])])
        var b = try small.encoded()
        // Table: metadata (2+1+4+1 bytes) then tensor: name len (2) + "t" + dtype + rank + dim0 ...
        let dim0 = 48 + 8 + 2 + 1 + 1 + 1
        for (i, v) in [UInt8](arrayLiteral: 0xFF, 0xFF, 0xFF, 0xFF).enumerated() { b[dim0 + i] = v }
        let lengthField = dim0 + 4 + 8
        for i in 0..<8 { b[lengthField + i] = i == 5 ? 0x10 : 0 }  // 2^44 bytes = 16 TiB
        resign(&b)
        #expect(throws: LeNetError.self) { try CheckpointFile(decoding: b) }

        // The header's own size fields, likewise.
        var h = try small.encoded()
        for i in 0..<8 { h[32 + i] = 0xFF }  // data size
        resign(&h)
        #expect(throws: LeNetError.self) { try CheckpointFile(decoding: h) }
        var c = try small.encoded()
        c[16] = 0xFF; c[17] = 0xFF; c[18] = 0xFF; c[19] = 0x7F  // metadata count
        resign(&c)
        #expect(throws: LeNetError.self) { try CheckpointFile(decoding: c) }
    }

    @Test func wrongShapesAndMissingTensorsNameTheTensor() throws {
        var f = Self.trained.checkpoint
        f.tensors.removeAll { $0.name == "fc2.bias" }
        #expect(throws: LeNetError.format("tensor 'fc2.bias' is missing")) { try Model(checkpoint: f) }
        f = Self.trained.checkpoint
        let i = f.tensors.firstIndex { $0.name == "conv1.bias" }!
        f.tensors[i] = .init(name: "conv1.bias", shape: [3, 2], floats: [Float](repeating: 0, count: 6))
        #expect(throws: LeNetError.format("tensor 'conv1.bias' has shape [3, 2], expected [6]")) { try Model(checkpoint: f) }
    }

    @Test func saveIsAtomicAndLeavesNoTemporaryFile() throws {
        let dir = temporaryPath("atomic")
        try FileIO.makeDirectories(dir)
        defer { rmdir(dir) }
        let path = dir + "/m.lenet"
        try Self.trained.save(path)
        try Model(parameters: LeNet5.initialParameters(seed: 9)).save(path)
        #expect(try Model.load(path).training == nil)
        #expect(throws: LeNetError.self) { try Self.trained.save(dir + "/missing-dir/m.lenet") }
        unlink(path)
        #expect(rmdir(dir) == 0, "the directory holds a stray temporary file")
        try FileIO.makeDirectories(dir)
    }

    private func resign(_ b: inout [UInt8]) {
        let crc = b.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(b.count - 4)])) }
        for i in 0..<4 { b[b.count - 4 + i] = UInt8(crc >> (8 * UInt32(i)) & 0xFF) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
