import LeNetCore
import Testing

/// The backward pass with conv2's input gradient as one product for the group
/// (`LeNet5.backward`) against the pass one image at a time (`backwardImageByImage`), bit
/// for bit, at every kernel level and for group sizes 1 to 8: every parameter's gradient
/// and the loss.
@Suite struct BackwardTests {
    @Test(arguments: KernelLevel.available)
    func groupBackwardEqualsImageByImageBitForBit(level: KernelLevel) {
        var rng = Xoshiro256(seed: 43)
        let weights = PackedWeights(LeNet5.initialParameters(seed: 9).map { $0 * 3 })
        for count in [1, 2, 5, 8] {
            let x = randomFloats(count * LeNet5.inputSize, &rng, -0.5, 2.8)
            let labels = (0..<count).map { _ in UInt8(rng.nextInt(below: 10)) }
            func gradient(_ pass: (PackedWeights, UnsafePointer<UInt8>, Int, Float, Workspace, UnsafeMutablePointer<Float>) -> Double)
                -> (grads: [Float], loss: Double) {
                let ws = Workspace(capacity: count, level: level)
                ws.inputs.update(from: x, count: x.count)
                LeNet5.forward(weights, count: count, ws)
                var grads = [Float](repeating: 0, count: LeNet5.parameterCount)
                let loss = labels.withUnsafeBufferPointer { pass(weights, $0.baseAddress!, count, 1 / Float(count), ws, &grads) }
                return (grads, loss)
            }
            let batched = gradient { LeNet5.backward($0, labels: $1, count: $2, scale: $3, $4, grads: $5) }
            let single = gradient { LeNet5.backwardImageByImage($0, labels: $1, count: $2, scale: $3, $4, grads: $5) }
            for t in LeNet5.tensors {
                let range = t.offset..<(t.offset + t.count)
                #expect(batched.grads[range].contains { $0 != 0 }, "\(t.name) has no gradient, \(count) at \(level)")
                #expect(batched.grads[range].map(\.bitPattern) == single.grads[range].map(\.bitPattern), "\(t.name), \(count) at \(level)")
            }
            #expect(batched.loss.bitPattern == single.loss.bitPattern)
        }
    }
}
