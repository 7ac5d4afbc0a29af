import LeNetKernelAPI

extension LeNet5 {
    /// Runs the network on the first `count` inputs of `ws.inputs`, keeping every activation
    /// in `ws` for `backward`; the logits land in `ws.logits`.
    package static func forward(_ w: PackedWeights, count: Int, _ ws: Workspace) {
        precondition(count <= ws.capacity)
        let s = ws.scratch, K = ws.kernels
        w.parameters.withUnsafeBufferPointer { pp in
            let params = pp.baseAddress!
            for i in 0..<count {
                // conv1: 1x32x32 -> 6x28x28 direct (one input channel), ReLU, pool -> 6x14x14
                let a1 = ws.a1 + i * 4704, p1 = ws.p1 + i * 1176
                K.conv1Forward(ws.x + i * 1024, weights: params + conv1W, bias: params + conv1B, a1)
                K.maxPool2x2(planes: 6, height: 28, width: 28, a1, p1)

                // conv2: 6x14x14 -> 16x10x10 as W[16x150] * col[150x100], ReLU, pool -> 16x5x5
                let a2 = ws.a2 + i * 1600
                K.im2col(channels: 6, height: 14, width: 14, kernel: 5, p1, ws.col)
                gemm(m: 16, n: 100, k: 150, packedA: w.conv2A, MatrixOperand(ws.col, stride: 100), a2, ldc: 100,
                     accumulate: false, scratch: s)
                K.addRowBias(rows: 16, columns: 100, a2, params + conv2B, relu: true)
                K.maxPool2x2(planes: 16, height: 10, width: 10, a2, ws.p2 + i * 400)
            }
            // The fully-connected layers take the whole group at once: [count x in] * W^T.
            dense(0, count, ws.p2, w, params + fc1B, ws.h1, relu: true, s)
            dense(1, count, ws.h1, w, params + fc2B, ws.h2, relu: true, s)
            dense(2, count, ws.h2, w, params + fc3B, ws.z, relu: false, s)
        }
    }

    @inline(__always)
    static func dense(
        _ layer: Int, _ rows: Int, _ x: UnsafePointer<Float>, _ w: PackedWeights, _ b: UnsafePointer<Float>,
        _ y: UnsafeMutablePointer<Float>, relu: Bool, _ s: Scratch
    ) {
        let d = PackedWeights.dense[layer]
        gemm(m: rows, n: d.outputs, k: d.inputs, MatrixOperand(x, stride: d.inputs), packedB: w.denseForwardB[layer],
             y, ldc: d.outputs, accumulate: false, scratch: s)
        s.kernels.addColumnBias(rows: rows, columns: d.outputs, y, b, relu: relu)
    }
}
