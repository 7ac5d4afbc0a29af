import LeNetKernelAPI

extension LeNet5 {
    /// Softmax cross-entropy of the last `forward` against `labels`, and its gradient
    /// with respect to every parameter, added into `grads` (61,706 floats). The loss is
    /// scaled by `scale` (1 / batch size for a mean over a batch split into groups).
    /// Returns the summed, unscaled loss of the `count` images.
    ///
    /// conv2's input gradient is one product for the group's images, [150 x count*100],
    /// where image by image it would be 100 of 128 padded columns.
    @discardableResult
    package static func backward(
        _ w: PackedWeights, labels: UnsafePointer<UInt8>, count: Int, scale: Float,
        _ ws: Workspace, grads g: UnsafeMutablePointer<Float>
    ) -> Double {
        let s = ws.scratch, K = ws.kernels, b = ws.gradients
        let loss = K.softmaxCrossEntropy(rows: count, classes: 10, ws.z, labels: labels, scale: scale, b.dz)

        // Fully-connected layers, whole group: dW += dY^T X, db += colsum dY, dX = dY W.
        denseBackward(2, count, ws.h2, w, b.dz, g + fc3W, g + fc3B, b.dh2, s)
        K.reluBackward(count * hidden2, b.dh2, output: ws.h2)
        denseBackward(1, count, ws.h1, w, b.dh2, g + fc2W, g + fc2B, b.dh1, s)
        K.reluBackward(count * hidden1, b.dh1, output: ws.h1)
        denseBackward(0, count, ws.p2, w, b.dh1, g + fc1W, g + fc1B, b.dp2, s)

        // pool2 + ReLU backward into dA [16 x count*100], plane c of image i at column i*100;
        // conv2's bias gradient, db += rowsum dA, image by image.
        let positions = count * conv2Positions
        for i in 0..<count {
            for c in 0..<conv2Channels {
                let pooled = c * pool2Side * pool2Side + i * flat, da = b.da2 + c * positions + i * conv2Positions
                K.maxPool2x2ReluBackward(planes: 1, height: conv2Side, width: conv2Side, input: ws.a2 + i * conv2Size + c * conv2Positions,
                                         output: ws.p2 + pooled, gradient: b.dp2 + pooled, da)
                K.accumulateRowSums(rows: 1, columns: conv2Positions, da, into: g + conv2B + c)
            }
        }
        // conv2's weight gradient, dW[16x150] += dA[16x100] colT[100x150] image by image, summed
        // in a [18 x 160] block whose columns are in the `RunPanels` order: colT is written
        // straight as the product's B panels, and the two padding rows make every tile whole.
        let order = RunPanels(kernel: kernel), columns = order.columns(runs: conv1Channels * kernel)
        let rows = GEMMPacking.paddedRows(conv2Channels), aSize = GEMMPacking.packedASize(m: conv2Channels, k: conv2Positions)
        b.dw2.update(repeating: 0, count: rows * columns)
        let packedA = s.reserve(aSize + GEMMPacking.tileSize)
        for i in 0..<count {
            K.im2colTransposedPanels(channels: conv1Channels, height: pool1Side, width: pool1Side, kernel: kernel, ws.p1 + i * pool1Size, b.col)
            GEMMPacking.packA(m: conv2Channels, k: conv2Positions, MatrixOperand(b.da2 + i * conv2Positions, stride: positions),
                              into: packedA, kernels: K)
            K.gemmPacked(m: rows, n: columns, k: conv2Positions, packedA, b.col, b.dw2, ldc: columns, accumulate: true,
                         tile: packedA + aSize)
        }
        for o in 0..<conv2Channels {
            let dw = g + conv2W + o * conv2Patch, sum = b.dw2 + o * columns
            for j in 0..<conv2Patch { dw[j] += sum[order.column(j)] }
        }
        // conv2's input gradient for the group, dcol[150 x count*100] = W^T dA.
        gemm(m: conv2Patch, n: positions, k: conv2Channels, packedA: w.conv2TA, MatrixOperand(b.da2, stride: positions),
             b.dcol, ldc: positions, accumulate: false, scratch: s)

        for i in 0..<count {
            let a1 = ws.a1 + i * conv1Size, p1 = ws.p1 + i * pool1Size
            K.col2im(channels: conv1Channels, height: pool1Side, width: pool1Side, kernel: kernel, b.dcol + i * conv2Positions,
                     ldcol: positions, b.dp1)
            // pool1 + ReLU backward: 6x14x14 -> 6x28x28; conv1 needs no input gradient.
            K.maxPool2x2ReluBackward(planes: conv1Channels, height: conv1Side, width: conv1Side, input: a1, output: p1, gradient: b.dp1, b.da1)
            K.accumulateRowSums(rows: conv1Channels, columns: conv1Side * conv1Side, b.da1, into: g + conv1B)
            K.conv1WeightGradient(ws.x + i * inputSize, b.da1, into: g + conv1W)
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
