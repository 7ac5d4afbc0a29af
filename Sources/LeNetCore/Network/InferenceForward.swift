import LeNetKernelAPI

extension LeNet5 {
    /// Images per conv2 product in `infer`: their im2col panels (8 x 10 output rows, 3 to a
    /// 32-column panel: 27 panels, 480 KB) stay in L2 between being written and read.
    static let conv2Chunk = 8

    /// Runs the network on the first `count` inputs of `ws.inputs`, keeping every activation
    /// in `ws` for `backward` (conv2's outputs copied out of the product's panels into one
    /// [16 x 100] block per image); the logits land in `ws.logits`.
    package static func forward(_ w: PackedWeights, count: Int, _ ws: Workspace) {
        run(w, count: count, ws, keepingConv2: true)
    }

    /// The forward pass for inference: `forward` without conv2's outputs kept.
    package static func infer(_ w: PackedWeights, count: Int, _ ws: Workspace) {
        run(w, count: count, ws, keepingConv2: false)
    }

    /// The arithmetic of `forwardImageByImage`, bit for bit (each output is the same sum in
    /// the same order), with conv2 as one product for 8 images at a time,
    /// [18 x 150] x [150 x 864], its im2col written straight into the product's B panels in
    /// the `RowPanels` order (800 of 864 columns real). Image by image the product is
    /// [18 x 150] x [150 x 128] with 100 columns real, after a packing copy.
    private static func run(_ w: PackedWeights, count: Int, _ ws: Workspace, keepingConv2: Bool) {
        precondition(count <= ws.capacity)
        let s = ws.scratch, K = ws.kernels
        let k = conv2Patch, rows = GEMMPacking.paddedRows(conv2Channels)
        let order = RowPanels(width: conv2Side)
        let widest = order.columns(rows: conv2Chunk * conv2Side)
        let base = ws.conv2Panels(widest * (k + rows) + GEMMPacking.tileSize)
        let panels = base, out = base + widest * k, tile = out + widest * rows
        w.parameters.withUnsafeBufferPointer { pp in
            let params = pp.baseAddress!
            var first = 0
            while first < count {
                let m = min(conv2Chunk, count - first), n = order.columns(rows: m * conv2Side)
                for j in 0..<m {
                    let i = first + j, a1 = ws.a1 + i * conv1Size, p1 = ws.p1 + i * pool1Size
                    K.conv1Forward(ws.x + i * inputSize, weights: params + conv1W, bias: params + conv1B, a1)
                    K.maxPool2x2(planes: conv1Channels, height: conv1Side, width: conv1Side, a1, p1)
                    K.im2colPanels(channels: conv1Channels, height: pool1Side, width: pool1Side, kernel: kernel, p1, panels, firstRow: j * conv2Side)
                }
                K.gemmPacked(m: rows, n: n, k: k, w.conv2A, panels, out, ldc: n, accumulate: false, tile: tile)
                K.addRowBias(rows: conv2Channels, columns: n, out, params + conv2B, relu: true)
                for j in 0..<m {
                    K.maxPool2x2RowPanels(planes: conv2Channels, height: conv2Side, width: conv2Side, out, ldc: n, firstRow: j * conv2Side,
                                           ws.p2 + (first + j) * flat)
                    if keepingConv2 { unpanel(out, ldc: n, order, firstRow: j * conv2Side, into: ws.a2 + (first + j) * conv2Size) }
                }
                first += m
            }
            dense(0, count, ws.p2, w, params + fc1B, ws.h1, relu: true, s)
            dense(1, count, ws.h1, w, params + fc2B, ws.h2, relu: true, s)
            dense(2, count, ws.h2, w, params + fc3B, ws.z, relu: false, s)
        }
    }

    /// One image's conv2 outputs from the product's panel columns into [16 x 100].
    private static func unpanel(
        _ c: UnsafePointer<Float>, ldc: Int, _ order: RowPanels, firstRow: Int, into a2: UnsafeMutablePointer<Float>
    ) {
        for p in 0..<conv2Channels {
            for oy in 0..<conv2Side {
                (a2 + (p * conv2Side + oy) * conv2Side).update(from: c + p * ldc + order.column(firstRow + oy), count: conv2Side)
            }
        }
    }
}
