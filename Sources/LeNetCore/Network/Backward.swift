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
        let loss = backwardExceptDenseWeights(w, labels: labels, count: count, scale: scale, ws, grads: g)
        for layer in 0..<3 {
            let (x, dy) = denseRows(layer, ws)
            denseWeightGradient(layer, rows: count, x: x, dy: dy, outputs: 0..<PackedWeights.dense[layer].outputs, into: g,
                                accumulate: true, scratch: ws.scratch)
            denseBiasGradient(layer, rows: count, dy: dy, into: g, kernels: ws.kernels)
        }
        return loss
    }

    /// The parameters before fc1's: the ones `backwardExceptDenseWeights` writes.
    package static var convolutionParameterCount: Int { fc1W }

    /// `backward` but for the fully-connected layers' weight and bias gradients: only the
    /// convolutions' entries of `grads` (the first `convolutionParameterCount`) are added
    /// to. What those gradients need stays in `ws` (`denseRows`), so a trainer can form them
    /// for a whole batch at once, with k = the batch instead of a sum over its groups.
    @discardableResult
    package static func backwardExceptDenseWeights(
        _ w: PackedWeights, labels: UnsafePointer<UInt8>, count: Int, scale: Float,
        _ ws: Workspace, grads g: UnsafeMutablePointer<Float>
    ) -> Double {
        let s = ws.scratch, K = ws.kernels, b = ws.gradients
        let loss = K.softmaxCrossEntropy(rows: count, classes: 10, ws.z, labels: labels, scale: scale, b.dz)

        // Fully-connected layers, whole group: dX = dY W, then ReLU's backward.
        denseInputGradient(2, count, w, b.dz, b.dh2, s)
        K.reluBackward(count * hidden2, b.dh2, output: ws.h2)
        denseInputGradient(1, count, w, b.dh2, b.dh1, s)
        K.reluBackward(count * hidden1, b.dh1, output: ws.h1)
        denseInputGradient(0, count, w, b.dh1, b.dp2, s)

        // pool2 + ReLU backward into dA position-major ([count*100][16], image i at row i*100),
        // conv2's bias gradient with it; then conv2's weight gradient, summed over the group
        // as stamps and added to g's once.
        b.dw2.update(repeating: 0, count: PackedWeights.stampsSize)
        for i in 0..<count {
            let da = b.da2 + i * conv2Size
            K.conv2PoolBackward(ws.a2 + i * conv2Size, gradient: b.dp2 + i * flat, da, bias: g + conv2B)
            transpose(ws.p1 + i * pool1Size, rows: conv1Channels, columns: pool1Side * pool1Side, into: b.p1c)
            K.conv2WeightGradient(b.p1c, da, into: b.dw2)
        }
        addStamps(b.dw2, into: g + conv2W)
        for i in 0..<count {
            conv1Backward(i, w, dA: b.da2 + i * conv2Size, ws, grads: g)
        }
        return loss
    }

    /// Adds conv2's weight gradient laid out as stamps ([16][5][32]) into `dw` ([16][6][5][5]).
    static func addStamps(_ stamps: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        PackedWeights.forEachStampEntry { filter, stamp in dw[filter] += stamps[stamp] }
    }

    /// Image i's conv2 input gradient (from its position-major dA), pool1's and ReLU's
    /// backward, and conv1's weight and bias gradients added into `g`; conv1 needs no input
    /// gradient.
    @inline(__always)
    static func conv1Backward(
        _ i: Int, _ w: PackedWeights, dA: UnsafePointer<Float>, _ ws: Workspace, grads g: UnsafeMutablePointer<Float>
    ) {
        let K = ws.kernels, b = ws.gradients
        K.conv2InputGradient(dA, stamps: w.conv2Stamps, into: b.dp1c)
        transpose(b.dp1c, rows: pool1Side * pool1Side, columns: conv1Channels, into: b.dp1)
        K.maxPool2x2ReluBackward(planes: conv1Channels, height: conv1Side, width: conv1Side, input: ws.a1 + i * conv1Size,
                                 output: ws.p1 + i * pool1Size, gradient: b.dp1, b.da1)
        K.accumulateRowSums(rows: conv1Channels, columns: conv1Side * conv1Side, b.da1, into: g + conv1B)
        K.conv1WeightGradient(ws.x + i * inputSize, b.da1, into: g + conv1W)
    }

    @inline(__always)
    static func denseInputGradient(
        _ layer: Int, _ rows: Int, _ w: PackedWeights, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ s: Scratch
    ) {
        let d = PackedWeights.dense[layer]
        gemm(m: rows, n: d.inputs, k: d.outputs, MatrixOperand(dy, stride: d.outputs), packedB: w.denseBackwardB[layer],
             dx, ldc: d.inputs, accumulate: false, scratch: s)
    }

    /// Dense layer `layer`'s input rows and output-gradient rows (after ReLU's backward) that
    /// the last `backwardExceptDenseWeights` left in `ws`: what its parameter gradient needs.
    package static func denseRows(_ layer: Int, _ ws: Workspace) -> (x: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>) {
        let b = ws.gradients
        switch layer {
        case 0: return (ws.p2, b.dh1)
        case 1: return (ws.h1, b.dh2)
        default: return (ws.h2, b.dz)
        }
    }

    /// Rows `outputs` of dense layer `layer`'s weight gradient, dW = dY^T X over `rows`
    /// images, into `g` (added to when `accumulate`, else overwritten). The rows are
    /// contiguous parameters, so a batch's gradient can be split between threads: each
    /// entry is the same sum whoever computes it.
    package static func denseWeightGradient(
        _ layer: Int, rows: Int, x: UnsafePointer<Float>, dy: UnsafePointer<Float>, outputs: Range<Int>,
        into g: UnsafeMutablePointer<Float>, accumulate: Bool, scratch s: Scratch
    ) {
        let d = PackedWeights.dense[layer]
        gemm(m: outputs.count, n: d.inputs, k: rows, MatrixOperand(dy + outputs.lowerBound, stride: d.outputs, transposed: true),
             MatrixOperand(x, stride: d.inputs), g + d.weight + outputs.lowerBound * d.inputs, ldc: d.inputs,
             accumulate: accumulate, scratch: s)
    }

    /// Dense layer `layer`'s bias gradient, db = colsum dY over `rows` images, added into `g`.
    package static func denseBiasGradient(
        _ layer: Int, rows: Int, dy: UnsafePointer<Float>, into g: UnsafeMutablePointer<Float>, kernels: any KernelProvider.Type
    ) {
        let d = PackedWeights.dense[layer]
        kernels.accumulateColumnSums(rows: rows, columns: d.outputs, dy, into: g + denseBias(layer))
    }

    /// Where dense layer `layer`'s bias starts in the parameters (state_dict order: after its weight).
    package static func denseBias(_ layer: Int) -> Int {
        let d = PackedWeights.dense[layer]
        return d.weight + d.outputs * d.inputs
    }
}
