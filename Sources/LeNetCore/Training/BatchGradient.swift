/// A batch's gradient, formed so that no bit depends on the thread count: the convolutions'
/// part summed over the batch's groups in group order, the fully-connected layers' part as
/// one product over the whole batch (k = its images; per group it would be k = 8 and a sum
/// of eight 240 KB buffers).
///
/// The parameters are cut into `blocks`, disjoint ranges that the optimizer's tasks form
/// and apply one each, so the dense products run on every thread and each range is updated
/// while its gradient is in cache.
package final class BatchGradient {
    package static let convolutions = LeNet5.convolutionParameterCount

    package enum Block {
        /// Every parameter before fc1's weight: the sum of the groups' gradients.
        case convolutions
        /// Rows (outputs) of a dense layer's weight.
        case denseRows(layer: Int, outputs: Range<Int>)
        /// fc1's bias and everything after it (fc2, fc3).
        case denseRest
    }

    /// The heaviest first: fc1's weight in four blocks of 30 rows (12,000 parameters each,
    /// whole 6-row strips for the product), the rest of the dense layers, the convolutions.
    package static let blocks: [Block] = (0..<4).map { .denseRows(layer: 0, outputs: ($0 * 30)..<($0 * 30 + 30)) } + [.denseRest, .convolutions]

    package static func range(of block: Block) -> Range<Int> {
        switch block {
        case .convolutions: return 0..<convolutions
        case let .denseRows(layer, outputs):
            let d = PackedWeights.dense[layer]
            return (d.weight + outputs.lowerBound * d.inputs)..<(d.weight + outputs.upperBound * d.inputs)
        case .denseRest: return LeNet5.denseBias(0)..<LeNet5.parameterCount
        }
    }

    /// The whole gradient, formed block by block.
    package let total: UnsafeMutablePointer<Float>
    /// Each group's convolution gradient, `convolutions` floats apart.
    private let groups: UnsafeMutablePointer<Float>
    /// Per dense layer, the batch's input rows and output-gradient rows.
    private let inputs, outputGradients: [UnsafeMutablePointer<Float>]
    private let storage: UnsafeMutablePointer<Float>

    package init(batchSize: Int, groupCount: Int) {
        let dense = PackedWeights.dense
        let sizes = [LeNet5.parameterCount, groupCount * Self.convolutions]
            + dense.map { $0.inputs * batchSize } + dense.map { $0.outputs * batchSize }
        let (storage, p) = allocateBuffers(sizes)
        self.storage = storage
        total = p[0]
        groups = p[1]
        inputs = Array(p[2..<5])
        outputGradients = Array(p[5..<8])
    }

    deinit { storage.deallocate() }

    /// Group `t`'s convolution gradient, zeroed, for `backwardExceptDenseWeights`.
    package func group(_ t: Int) -> UnsafeMutablePointer<Float> {
        let g = groups + t * Self.convolutions
        g.update(repeating: 0, count: Self.convolutions)
        return g
    }

    /// Keeps the dense layers' rows of the `count` images whose backward pass `ws` just
    /// ran, as the batch's images `first...`.
    package func keepDenseRows(of ws: Workspace, count: Int, first: Int) {
        for layer in 0..<3 {
            let (x, dy) = LeNet5.denseRows(layer, ws), d = PackedWeights.dense[layer]
            (inputs[layer] + first * d.inputs).update(from: x, count: count * d.inputs)
            (outputGradients[layer] + first * d.outputs).update(from: dy, count: count * d.outputs)
        }
    }

    /// Forms `block` of `total` for a batch of `images` images in `groupCount` groups.
    package func form(_ block: Block, groupCount: Int, images: Int, scratch: Scratch) {
        switch block {
        case .convolutions:
            total.update(from: groups, count: Self.convolutions)
            for t in 1..<max(groupCount, 1) { scratch.kernels.add(Self.convolutions, total, groups + t * Self.convolutions) }
        case let .denseRows(layer, outputs):
            LeNet5.denseWeightGradient(layer, rows: images, x: inputs[layer], dy: outputGradients[layer], outputs: outputs,
                                       into: total, accumulate: false, scratch: scratch)
        case .denseRest:
            for layer in 0..<3 {
                let d = PackedWeights.dense[layer]
                if layer > 0 {
                    LeNet5.denseWeightGradient(layer, rows: images, x: inputs[layer], dy: outputGradients[layer], outputs: 0..<d.outputs,
                                               into: total, accumulate: false, scratch: scratch)
                }
                (total + LeNet5.denseBias(layer)).update(repeating: 0, count: d.outputs)
                LeNet5.denseBiasGradient(layer, rows: images, dy: outputGradients[layer], into: total, kernels: scratch.kernels)
            }
        }
    }
}
