import LeNetKernelAPI

extension LeNet5 {
    /// Softmax cross-entropy of the last `forward` against `labels`, and its gradient
    /// with respect to every parameter, added into `grads` (61,706 floats). The loss is
    /// scaled by `scale` (1 / batch size for a mean over a batch split into groups).
    /// Returns the summed, unscaled loss of the `count` images.
    @discardableResult
    package static func backward(
        _ w: PackedWeights, labels: UnsafePointer<UInt8>, count: Int, scale: Float,
        _ ws: Workspace, grads g: UnsafeMutablePointer<Float>
    ) -> Double {
        let s = ws.scratch, K = ws.kernels
        let loss = K.softmaxCrossEntropy(rows: count, classes: 10, ws.z, labels: labels, scale: scale, ws.dz)

        // Fully-connected layers, whole group: dW += dY^T X, db += colsum dY, dX = dY W.
        denseBackward(2, count, ws.h2, w, ws.dz, g + fc3W, g + fc3B, ws.dh2, s)
        K.reluBackward(count * hidden2, ws.dh2, output: ws.h2)
        denseBackward(1, count, ws.h1, w, ws.dh2, g + fc2W, g + fc2B, ws.dh1, s)
        K.reluBackward(count * hidden1, ws.dh1, output: ws.h1)
        denseBackward(0, count, ws.p2, w, ws.dh1, g + fc1W, g + fc1B, ws.dp2, s)

        for i in 0..<count {
            let a1 = ws.a1 + i * conv1Size, p1 = ws.p1 + i * pool1Size, a2 = ws.a2 + i * conv2Size

            // pool2 + ReLU backward: 16x5x5 -> 16x10x10
            K.maxPool2x2ReluBackward(planes: conv2Channels, height: conv2Side, width: conv2Side, input: a2, output: ws.p2 + i * flat,
                                           gradient: ws.dp2 + i * flat, ws.da2)
            // conv2: dW[16x150] += dA[16x100] colT[100x150], db += rowsum, dcol[150x100] = W^T dA
            K.accumulateRowSums(rows: conv2Channels, columns: conv2Positions, ws.da2, into: g + conv2B)
            K.im2colTransposed(channels: conv1Channels, height: pool1Side, width: pool1Side, kernel: kernel, p1, ws.col)
            gemm(m: conv2Channels, n: conv2Patch, k: conv2Positions, MatrixOperand(ws.da2, stride: conv2Positions),
                 MatrixOperand(ws.col, stride: conv2Patch), g + conv2W, ldc: conv2Patch, accumulate: true, scratch: s)
            gemm(m: conv2Patch, n: conv2Positions, k: conv2Channels, packedA: w.conv2TA, MatrixOperand(ws.da2, stride: conv2Positions),
                 ws.dcol, ldc: conv2Positions, accumulate: false, scratch: s)
            K.col2im(channels: conv1Channels, height: pool1Side, width: pool1Side, kernel: kernel, ws.dcol, ws.dp1)

            // pool1 + ReLU backward: 6x14x14 -> 6x28x28; conv1 needs no input gradient.
            K.maxPool2x2ReluBackward(planes: conv1Channels, height: conv1Side, width: conv1Side, input: a1, output: p1, gradient: ws.dp1, ws.da1)
            K.accumulateRowSums(rows: conv1Channels, columns: conv1Side * conv1Side, ws.da1, into: g + conv1B)
            K.conv1WeightGradient(ws.x + i * inputSize, ws.da1, into: g + conv1W)
        }
        return loss
    }

    @inline(__always)
    static func denseBackward(
        _ layer: Int, _ rows: Int, _ x: UnsafePointer<Float>, _ w: PackedWeights, _ dy: UnsafePointer<Float>,
        _ dw: UnsafeMutablePointer<Float>, _ db: UnsafeMutablePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ s: Scratch
    ) {
        let d = PackedWeights.dense[layer]
        gemm(m: d.outputs, n: d.inputs, k: rows, MatrixOperand(dy, stride: d.outputs, transposed: true),
             MatrixOperand(x, stride: d.inputs), dw, ldc: d.inputs, accumulate: true, scratch: s)
        s.kernels.accumulateColumnSums(rows: rows, columns: d.outputs, dy, into: db)
        gemm(m: rows, n: d.inputs, k: d.outputs, MatrixOperand(dy, stride: d.outputs), packedB: w.denseBackwardB[layer],
             dx, ldc: d.inputs, accumulate: false, scratch: s)
    }
}
