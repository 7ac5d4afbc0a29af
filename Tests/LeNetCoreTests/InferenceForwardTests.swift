import LeNetCore
import LeNetKernelAPI
import Testing

/// The batched passes (`LeNet5.forward` for training, `LeNet5.infer`: conv2 as one product
/// over 8 images, im2col written straight into the product's panels) against the pass one
/// image at a time (`forwardImageByImage`), bit for bit, at every kernel level, for group
/// sizes around the 8-image chunks: logits, and for `forward` every activation `backward` reads.
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

    /// Several images' im2col matrices written into panels side by side equal the packing
    /// of the matrix they make together, its columns in the `RowPanels` order (3 output rows
    /// of 10 to a 32-column panel, two zero columns after them).
    @Test(arguments: KernelLevel.available)
    func im2colPanelsEqualsIm2colThenPacking(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 42)
        let images = 3, k = 150, order = RowPanels(width: 10), n = order.columns(rows: images * 10)
        let x = randomFloats(images * 6 * 196, &rng)
        var wide = [Float](repeating: 0, count: k * n), col = [Float](repeating: 0, count: k * 100)
        for i in 0..<images {
            K.im2col(channels: 6, height: 14, width: 14, kernel: 5, Array(x[(i * 1176)..<((i + 1) * 1176)]), &col)
            for r in 0..<k {
                for oy in 0..<10 { for ox in 0..<10 { wide[r * n + order.column(i * 10 + oy) + ox] = col[r * 100 + oy * 10 + ox] } }
            }
        }
        let size = GEMMPacking.packedBSize(n: n, k: k)
        var packed = [Float](repeating: 0, count: size), panels = [Float](repeating: 0, count: size)
        wide.withUnsafeBufferPointer { Reference.packB(n: n, k: k, MatrixOperand($0.baseAddress!, stride: n), into: &packed) }
        for i in 0..<images {
            K.im2colPanels(channels: 6, height: 14, width: 14, kernel: 5, Array(x[(i * 1176)..<((i + 1) * 1176)]), &panels, firstRow: i * 10)
        }
        #expect(panels == packed)
        #expect(order.perPanel == 3 && n == 320 && order.column(4) == 42)
    }

    /// Pooling from the panel order equals pooling the image's own 16x10x10 map.
    @Test(arguments: KernelLevel.available)
    func poolingFromRowPanelsEqualsPoolingTheMap(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 43)
        let order = RowPanels(width: 10), images = 4, n = order.columns(rows: images * 10)
        let c = randomFloats(16 * n, &rng)
        for i in 0..<images {
            var map = [Float](repeating: 0, count: 1600)
            for p in 0..<16 { for oy in 0..<10 { for ox in 0..<10 { map[p * 100 + oy * 10 + ox] = c[p * n + order.column(i * 10 + oy) + ox] } } }
            var expected = [Float](repeating: 0, count: 400), got = expected
            K.maxPool2x2(planes: 16, height: 10, width: 10, map, &expected)
            K.maxPool2x2RowPanels(planes: 16, height: 10, width: 10, c, ldc: n, firstRow: i * 10, &got)
            #expect(got == expected)
        }
    }
}
