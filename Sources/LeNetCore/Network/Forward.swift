import LeNetKernelAPI

extension LeNet5 {
    /// The network one image at a time, conv2 as its own product per image after an
    /// im2col and a packing copy: the definition `forward` and `infer` are held to, bit
    /// for bit (InferenceForwardTests), and the layouts `backward` reads.
    package static func forwardImageByImage(_ w: PackedWeights, count: Int, _ ws: Workspace) {
        precondition(count <= ws.capacity)
        let s = ws.scratch, K = ws.kernels
        let col = ws.gradients.dcol  // im2col's [150 x 100], in the backward pass's buffer of that shape
        let a2 = ws.gradients.col  // conv2's planar map [16 x 100]
        w.parameters.withUnsafeBufferPointer { pp in
            let params = pp.baseAddress!
            for i in 0..<count {
                // conv1: 1x32x32 -> 6x28x28 direct (one input channel), ReLU, pool -> 6x14x14
                let a1 = ws.a1 + i * conv1Size, p1 = ws.p1 + i * pool1Size
                K.conv1Forward(ws.x + i * inputSize, weights: params + conv1W, bias: params + conv1B, a1)
                K.maxPool2x2(planes: conv1Channels, height: conv1Side, width: conv1Side, a1, p1)

                // conv2: 6x14x14 -> 16x10x10 as W[16x150] * col[150x100], ReLU, pool -> 16x5x5;
                // the map kept position-major ([100][16]), as the backward pass reads it.
                K.im2col(channels: conv1Channels, height: pool1Side, width: pool1Side, kernel: kernel, p1, col)
                gemm(m: conv2Channels, n: conv2Positions, k: conv2Patch, MatrixOperand(params + conv2W, stride: conv2Patch),
                     MatrixOperand(col, stride: conv2Positions), a2, ldc: conv2Positions, accumulate: false, scratch: s)
                K.addRowBias(rows: conv2Channels, columns: conv2Positions, a2, params + conv2B, relu: true)
                K.maxPool2x2(planes: conv2Channels, height: conv2Side, width: conv2Side, a2, ws.p2 + i * flat)
                transpose(a2, rows: conv2Channels, columns: conv2Positions, into: ws.a2 + i * conv2Size)
            }
            // The fully-connected layers take the whole group at once: [count x in] * W^T.
            dense(0, count, ws.p2, w, params + fc1B, ws.h1, relu: true, s)
            dense(1, count, ws.h1, w, params + fc2B, ws.h2, relu: true, s)
            dense(2, count, ws.h2, w, params + fc3B, ws.z, relu: false, s)
        }
    }

    /// `a` ([rows][columns]) transposed into `out` ([columns][rows]): conv2's map between its
    /// planar and position-major layouts, its filters into tap-major order.
    package static func transpose(_ a: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            for c in 0..<columns { out[c * rows + r] = a[r * columns + c] }
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
