import LeNetCore
import Testing

/// The trainer's batch gradient (groups' convolution gradients summed in group order, the
/// dense layers' as one product over the batch) against `backward` over the whole batch as
/// one group: the dense part is the same sums (k = the batch's images), bit for bit; the
/// convolutions' part sums the same terms grouped differently, so it agrees to rounding.
@Suite struct BatchGradientTests {
    @Test(arguments: KernelLevel.available)
    func batchGradientIsTheWholeBatchsGradient(level: KernelLevel) {
        var rng = Xoshiro256(seed: 47)
        let weights = PackedWeights(LeNet5.initialParameters(seed: 11).map { $0 * 3 })
        let images = 20, groupSize = 8, groups = (images + groupSize - 1) / groupSize
        let x = randomFloats(images * LeNet5.inputSize, &rng, -0.5, 2.8)
        let labels = (0..<images).map { _ in UInt8(rng.nextInt(below: 10)) }, scale = 1 / Float(images)

        let gradient = BatchGradient(batchSize: images, groupCount: groups)
        let ws = Workspace(capacity: groupSize, level: level)
        for t in 0..<groups {
            let first = t * groupSize, m = min(groupSize, images - first)
            ws.inputs.update(from: Array(x[(first * LeNet5.inputSize)..<((first + m) * LeNet5.inputSize)]), count: m * LeNet5.inputSize)
            LeNet5.forward(weights, count: m, ws)
            Array(labels[first..<(first + m)]).withUnsafeBufferPointer {
                _ = LeNet5.backwardExceptDenseWeights(weights, labels: $0.baseAddress!, count: m, scale: scale, ws, grads: gradient.group(t))
            }
            gradient.keepDenseRows(of: ws, count: m, first: first)
        }
        gradient.total.update(repeating: .nan, count: LeNet5.parameterCount)
        for block in BatchGradient.blocks.reversed() { gradient.form(block, groupCount: groups, images: images, scratch: ws.scratch) }
        let batched = Array(UnsafeBufferPointer(start: gradient.total, count: LeNet5.parameterCount))

        let whole = Workspace(capacity: images, level: level)
        whole.inputs.update(from: x, count: x.count)
        LeNet5.forward(weights, count: images, whole)
        var expected = [Float](repeating: 0, count: LeNet5.parameterCount)
        labels.withUnsafeBufferPointer { _ = LeNet5.backward(weights, labels: $0.baseAddress!, count: images, scale: scale, whole, grads: &expected) }

        let conv = BatchGradient.convolutions
        let differing = zip(batched[conv...], expected[conv...]).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "dense part at \(level)")
        #expect(maxRelativeError(Array(batched[..<conv]), Array(expected[..<conv])) < 1e-5, "convolutions at \(level)")
        #expect(expected[..<conv].contains { $0 != 0 } && expected[conv...].contains { $0 != 0 })
    }

    /// The blocks the optimizer's tasks form and apply cover every parameter exactly once.
    @Test func blocksPartitionTheParameters() {
        var covered = [Int](repeating: 0, count: LeNet5.parameterCount)
        for block in BatchGradient.blocks { for i in BatchGradient.range(of: block) { covered[i] += 1 } }
        #expect(covered.allSatisfy { $0 == 1 })
    }
}
