import LeNetCore
import Testing

@Suite struct ModelTests {
    /// Normalised inputs of real digits, so activations look like training's.
    func inputs(_ count: Int, from offset: Int = 0) -> [[Float]] {
        (0..<count).map { i in
            var x = [Float](repeating: 0, count: 1024)
            mnistTest.images.withUnsafeBufferPointer { Normalization.mnist.input(from: $0.baseAddress! + (offset + i) * 784, into: &x) }
            return x
        }
    }

    func run(_ params: [Float], _ xs: [[Float]], labels: [UInt8]) -> (logits: [Float], grads: [Float], loss: Double) {
        let ws = Workspace(capacity: xs.count)
        for (i, x) in xs.enumerated() { (ws.inputs + i * 1024).update(from: x, count: 1024) }
        let w = PackedWeights(params)
        LeNet5.forward(w, count: xs.count, ws)
        let logits = Array(UnsafeBufferPointer(start: ws.logits, count: xs.count * 10))
        var grads = [Float](repeating: 0, count: LeNet5.parameterCount)
        let loss = LeNet5.backward(w, labels: labels, count: xs.count, scale: 1 / Float(xs.count), ws, grads: &grads)
        return (logits, grads, loss / Double(xs.count))
    }

    @Test func layoutMatchesPyTorchStateDict() {
        #expect(LeNet5.tensors.map(\.name) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight",
                                               "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"])
        #expect(LeNet5.tensors.reduce(0) { $0 + $1.count } == LeNet5.parameterCount)
        let p = LeNet5.initialParameters(seed: 3)
        for t in LeNet5.tensors {
            let bound = 1 / Float(t.fanIn).squareRoot(), values = p[t.offset..<(t.offset + t.count)]
            #expect(values.allSatisfy { abs($0) <= bound }, "\(t.name) exceeds PyTorch's init bound")
            #expect(values.max()! > bound * 0.5, "\(t.name) does not span its init range")
        }
        #expect(LeNet5.initialParameters(seed: 3) == p)
        #expect(LeNet5.initialParameters(seed: 4) != p)
    }

    /// Constant weights on a constant input: every stage's value follows by hand.
    @Test func forwardMatchesHandComputedValues() {
        var p = [Float](repeating: 0, count: LeNet5.parameterCount)
        func fill(_ name: String, _ v: Float) {
            let t = LeNet5.tensor(named: name)!
            for i in t.offset..<(t.offset + t.count) { p[i] = v }
        }
        fill("conv1.weight", 0.1); fill("conv1.bias", 0.05)
        fill("conv2.weight", 0.01); fill("conv2.bias", -1)
        fill("fc1.weight", 0.001); fill("fc1.bias", 0.1)
        fill("fc2.weight", -0.002); fill("fc2.bias", 0.5)
        fill("fc3.weight", 0.5)
        let fc3b = LeNet5.tensor(named: "fc3.bias")!.offset
        for k in 0..<10 { p[fc3b + k] = 0.1 * Float(k) - 0.3 }
        // Channel 0 of conv1 is switched off by its bias: ReLU must zero it.
        p[LeNet5.tensor(named: "conv1.bias")!.offset] = -5

        // conv1: 25 * 0.1 * 1 + 0.05 = 2.55 (channel 0: 2.5 - 5 -> 0); pool keeps 2.55.
        // conv2: 5 live channels * 25 taps * 0.01 * 2.55 - 1 = 2.1875
        // fc1: 400 * 0.001 * 2.1875 + 0.1 = 0.975;  fc2: 120 * -0.002 * 0.975 + 0.5 = 0.266
        // fc3: 84 * 0.5 * 0.266 + (0.1k - 0.3) = 11.172 + 0.1k - 0.3
        let out = run(p, [[Float](repeating: 1, count: 1024)], labels: [0]).logits
        for k in 0..<10 {
            #expect(abs(out[k] - (11.172 + 0.1 * Float(k) - 0.3)) < 1e-4, "logit \(k) = \(out[k])")
        }
    }

    @Test func forwardMatchesDoubleReference() {
        let p = LeNet5.initialParameters(seed: 5), xs = inputs(4)
        let fast = run(p, xs, labels: [0, 0, 0, 0]).logits
        for (i, x) in xs.enumerated() {
            let slow = ReferenceNetwork.logits(p.map(Double.init), x.map(Double.init))
            for k in 0..<10 { #expect(abs(Double(fast[i * 10 + k]) - slow[k]) < 1e-4) }
        }
    }

    /// The analytic gradient of every parameter tensor against central differences of the
    /// Double reference network.
    @Test func gradientsMatchFiniteDifferences() {
        var rng = Xoshiro256(seed: 6)
        let p = LeNet5.initialParameters(seed: 7), xs = inputs(3, from: 100)
        let labels = (100..<103).map { mnistTest.labels[$0] }
        let analytic = run(p, xs, labels: labels).grads
        let pd = p.map(Double.init), xd = xs.map { $0.map(Double.init) }, ld = labels.map(Int.init)
        // Small enough that no ReLU or pool window changes sides within ±h; Double keeps the
        // quotient exact to ~1e-9.
        let h = 1e-6
        for t in LeNet5.tensors {
            // Every element of the small tensors, a random sample of the large ones.
            let picks = t.count <= 30 ? Array(0..<t.count) : (0..<30).map { _ in rng.nextInt(below: t.count) }
            var worst = 0.0
            for j in picks {
                let i = t.offset + j
                var plus = pd, minus = pd
                plus[i] += h
                minus[i] -= h
                let numeric = (ReferenceNetwork.loss(plus, xd, ld) - ReferenceNetwork.loss(minus, xd, ld)) / (2 * h)
                worst = max(worst, abs(numeric - Double(analytic[i])) / max(1e-2, abs(numeric)))
            }
            #expect(worst < 2e-3, "\(t.name): relative gradient error \(worst)")
        }
    }
}
