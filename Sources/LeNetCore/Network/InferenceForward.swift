import LeNetKernelAPI

extension LeNet5 {
    /// Runs the network on the first `count` inputs of `ws.inputs`, keeping every activation
    /// in `ws` for `backward`; the logits land in `ws.logits`.
    package static func forward(_ w: PackedWeights, count: Int, _ ws: Workspace) {
        run(w, count: count, ws, inputs: ws.x, keepingActivations: true)
    }

    /// The forward pass for inference: `forward` keeping only pool2's and the dense layers'
    /// outputs, on `inputs` (count x 1x32x32) where given, else on `ws.inputs`.
    package static func infer(_ w: PackedWeights, count: Int, _ ws: Workspace, inputs: UnsafePointer<Float>? = nil) {
        run(w, count: count, ws, inputs: inputs ?? UnsafePointer(ws.x), keepingActivations: false)
    }

    /// The arithmetic of `forwardImageByImage`, bit for bit (InferenceForwardTests), with
    /// conv2 computed directly (`conv2Direct`, output channels in the vector lanes: each sum
    /// the product's chain of multiply-adds in the product's order) instead of an im2col
    /// matrix times the weights, whose padding (16 rows in 6-row tiles, 100 columns in
    /// 32-column panels) and matrix writes took about a third of the pass.
    private static func run(
        _ w: PackedWeights, count: Int, _ ws: Workspace, inputs x: UnsafePointer<Float>, keepingActivations: Bool
    ) {
        precondition(count <= ws.capacity)
        let s = ws.scratch, K = ws.kernels
        let sums = s.reserve(conv2Size)  // conv2Direct's [100][16], read before the dense layers reuse the scratch
        w.parameters.withUnsafeBufferPointer { pp in
            let params = pp.baseAddress!
            for i in 0..<count {
                // Inference reads conv1's and pool1's outputs once: every image reuses the first
                // image's buffers, which stay in L1 (a batch's worth would stream through memory).
                let slot = keepingActivations ? i : 0
                let a1 = ws.a1 + slot * conv1Size, p1 = ws.p1 + slot * pool1Size
                K.conv1Forward(x + i * inputSize, weights: params + conv1W, bias: params + conv1B, a1)
                K.maxPool2x2(planes: conv1Channels, height: conv1Side, width: conv1Side, a1, p1)
                K.conv2Direct(p1, weights: w.conv2Taps, sums)
                K.conv2Finish(sums, bias: params + conv2B, pooled: ws.p2 + i * flat,
                              activations: keepingActivations ? ws.a2 + i * conv2Size : nil)
            }
            dense(0, count, ws.p2, w, params + fc1B, ws.h1, relu: true, s)
            dense(1, count, ws.h1, w, params + fc2B, ws.h2, relu: true, s)
            dense(2, count, ws.h2, w, params + fc3B, ws.z, relu: false, s)
        }
    }
}
