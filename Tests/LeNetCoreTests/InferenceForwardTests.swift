import LeNetCore
import LeNetKernelAPI
import Testing

/// The passes the library runs (`LeNet5.forward` for training, `LeNet5.infer`: conv2
/// computed directly) against the definition (`forwardImageByImage`: conv2 as im2col times
/// the weights), bit for bit, at every kernel level, for several group sizes: logits, and
/// for `forward` every activation `backward` reads.
@Suite struct InferenceForwardTests {
    @Test(arguments: KernelLevel.available)
    func batchedPassesEqualImageByImageBitForBit(level: KernelLevel) {
        var rng = Xoshiro256(seed: 41)
        let weights = PackedWeights(LeNet5.initialParameters(seed: 7).map { $0 * 3 })
        for count in [1, 2, 7, 8, 9, 16, 23, 32] {
            let x = randomFloats(count * LeNet5.inputSize, &rng, -0.5, 2.8)
            let (reference, trained, inferred) = (Workspace(capacity: count, level: level), Workspace(capacity: count, level: level),
                                                  Workspace(capacity: count, level: level))
            for ws in [reference, trained, inferred] { ws.inputs.update(from: x, count: x.count) }
            LeNet5.forwardImageByImage(weights, count: count, reference)
            LeNet5.forward(weights, count: count, trained)
            LeNet5.infer(weights, count: count, inferred)
            func bits(_ ws: Workspace, _ a: KeyPath<Workspace, UnsafeMutablePointer<Float>>, _ n: Int) -> [UInt32] {
                UnsafeBufferPointer(start: ws[keyPath: a], count: count * n).map(\.bitPattern)
            }
            let expected = UnsafeBufferPointer(start: reference.logits, count: count * 10).map(\.bitPattern)
            #expect(UnsafeBufferPointer(start: trained.logits, count: count * 10).map(\.bitPattern) == expected, "forward, \(count) at \(level)")
            #expect(UnsafeBufferPointer(start: inferred.logits, count: count * 10).map(\.bitPattern) == expected, "infer, \(count) at \(level)")
            for (name, a, n) in [("a1", \Workspace.a1, LeNet5.conv1Size), ("p1", \Workspace.p1, LeNet5.pool1Size),
                                 ("a2", \Workspace.a2, LeNet5.conv2Size), ("p2", \Workspace.p2, LeNet5.flat),
                                 ("h1", \Workspace.h1, LeNet5.hidden1), ("h2", \Workspace.h2, LeNet5.hidden2)] {
                #expect(bits(trained, a, n) == bits(reference, a, n), "forward's \(name), \(count) at \(level)")
            }
        }
    }
}
