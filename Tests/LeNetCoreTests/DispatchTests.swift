import LeNetCore
import Testing

/// The kernel builds per CPU level: selection, and the whole network agreeing across them.
@Suite struct DispatchTests {
    @Test func levelsAndSelection() {
        let names = KernelLevel.available.map(\.name)
        #expect(names.first == "generic")
        #expect(Set(names).count == names.count)
        // What runs here is what this CPU has: every compiled level it supports, in order.
        #expect(names == KernelLevel.compiled.filter { names.contains($0) })
        let fastest = KernelLevel.available.last!
        #expect(KernelLevel.select(requested: nil) == fastest)
        #expect(KernelLevel.select(requested: "generic") == .generic)
        #expect(KernelLevel.select(requested: "GENERIC") == .generic)
        #expect(KernelLevel.select(requested: "no-such-cpu") == fastest)
        for level in KernelLevel.available { #expect(KernelLevel.select(requested: level.name) == level) }
        // The int8 variants are selectable too: -pairs never uses quads, -bytes uses
        // vpmaddubsw for 7-bit weights and pairs for 8-bit.
        for level in KernelLevel.integerPaths where level.name.hasSuffix("-pairs") {
            #expect(KernelLevel.select(requested: level.name) == level)
            #expect(!level.integer.usesQuads && !level.sevenBit.usesQuads)
        }
        for level in KernelLevel.integerPaths where level.name.hasSuffix("-bytes") {
            #expect(KernelLevel.select(requested: level.name) == level)
            #expect(!level.integer.usesQuads && level.sevenBit == .avx2Bytes)
        }
        #expect(KernelLevel.select(requested: "portable-c").integer == .portable)
        for name in KernelLevel.compiled where !names.contains(name) {
            #expect(KernelLevel.select(requested: name) == fastest, "\(name) is not on this CPU: the fastest level stands in")
        }
        print("kernel levels tested: \(KernelLevel.report)")
        print("int8 paths tested: \(KernelLevel.integerPaths.map { "\($0.name) [\($0.integer); 7-bit: \($0.sevenBit)]" }.joined(separator: ", "))")
    }

    /// A trained model, so predictions are not near-ties.
    static var model: [Float] { Fixtures.trained.parameters }

    func logits(_ level: KernelLevel, count: Int) -> [Float] {
        let weights = PackedWeights(Self.model), ws = Workspace(capacity: count, level: level)
        mnistTest.images.withUnsafeBufferPointer { d in
            for i in 0..<count { Normalization.mnist.input(from: d.baseAddress! + i * 784, into: ws.inputs + i * 1024) }
        }
        LeNet5.forward(weights, count: count, ws)
        return Array(UnsafeBufferPointer(start: ws.logits, count: count * 10))
    }

    @Test(arguments: KernelLevel.available)
    func everyLevelAgreesWithTheReferenceNetwork(level: KernelLevel) {
        let count = 300
        let fast = logits(level, count: count), generic = logits(.generic, count: count)
        #expect(maxRelativeError(fast, generic) < 1e-5, "\(level) vs generic")
        for i in 0..<count {
            let a = Array(fast[(i * 10)..<(i * 10 + 10)]), b = Array(generic[(i * 10)..<(i * 10 + 10)])
            #expect(a.indices.max { a[$0] < a[$1] } == b.indices.max { b[$0] < b[$1] }, "image \(i) at \(level)")
        }
        // And against the Double network, the scalar definition of LeNet-5.
        for i in 0..<5 {
            var x = [Float](repeating: 0, count: 1024)
            mnistTest.images.withUnsafeBufferPointer { Normalization.mnist.input(from: $0.baseAddress! + i * 784, into: &x) }
            let slow = ReferenceNetwork.logits(Self.model.map(Double.init), x.map(Double.init))
            for k in 0..<10 { #expect(abs(Double(fast[i * 10 + k]) - slow[k]) < 1e-4) }
        }
    }
}
