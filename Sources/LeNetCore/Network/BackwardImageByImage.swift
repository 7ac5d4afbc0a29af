import LeNetKernelAPI

extension LeNet5 {
    /// `backward` a layer at a time and, from conv2 down, an image at a time, with the
    /// planar pooling backward and row sums: the definition `backward` is held to, bit for
    /// bit (BackwardTests), as `forwardImageByImage` is for the forward pass.
    @discardableResult
    package static func backwardImageByImage(
        _ w: PackedWeights, labels: UnsafePointer<UInt8>, count: Int, scale: Float,
        _ ws: Workspace, grads g: UnsafeMutablePointer<Float>
    ) -> Double {
        let s = ws.scratch, K = ws.kernels, b = ws.gradients
        let loss = K.softmaxCrossEntropy(rows: count, classes: 10, ws.z, labels: labels, scale: scale, b.dz)
        // Each dense layer: dW += dY^T X, db += colsum dY, dX = dY W.
        denseWeightGradient(2, rows: count, x: ws.h2, dy: b.dz, outputs: 0..<classes, into: g, accumulate: true, scratch: s)
        denseBiasGradient(2, rows: count, dy: b.dz, into: g, kernels: K)
        denseInputGradient(2, count, w, b.dz, b.dh2, s)
        K.reluBackward(count * hidden2, b.dh2, output: ws.h2)
        denseWeightGradient(1, rows: count, x: ws.h1, dy: b.dh2, outputs: 0..<hidden2, into: g, accumulate: true, scratch: s)
        denseBiasGradient(1, rows: count, dy: b.dh2, into: g, kernels: K)
        denseInputGradient(1, count, w, b.dh2, b.dh1, s)
        K.reluBackward(count * hidden1, b.dh1, output: ws.h1)
        denseWeightGradient(0, rows: count, x: ws.p2, dy: b.dh1, outputs: 0..<hidden1, into: g, accumulate: true, scratch: s)
        denseBiasGradient(0, rows: count, dy: b.dh1, into: g, kernels: K)
        denseInputGradient(0, count, w, b.dh1, b.dp2, s)

        // Image i's conv2 map planar, and its dA position-major.
        let a2 = b.col, dA = b.col + conv2Size
        b.dw2.update(repeating: 0, count: PackedWeights.stampsSize)
        for i in 0..<count {
            transpose(ws.a2 + i * conv2Size, rows: conv2Positions, columns: conv2Channels, into: a2)
            K.maxPool2x2ReluBackward(planes: conv2Channels, height: conv2Side, width: conv2Side, input: a2, output: ws.p2 + i * flat,
                                     gradient: b.dp2 + i * flat, b.da2)
            K.accumulateRowSums(rows: conv2Channels, columns: conv2Positions, b.da2, into: g + conv2B)
            transpose(b.da2, rows: conv2Channels, columns: conv2Positions, into: dA)
            transpose(ws.p1 + i * pool1Size, rows: conv1Channels, columns: pool1Side * pool1Side, into: b.p1c)
            K.conv2WeightGradient(b.p1c, dA, into: b.dw2)
            conv1Backward(i, w, dA: dA, ws, grads: g)
        }
        addStamps(b.dw2, into: g + conv2W)
        return loss
    }
}
