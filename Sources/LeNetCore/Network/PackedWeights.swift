/// The parameters as the kernels read them: a copy of the flat vector (for biases) plus
/// the GEMM-fed weight matrices already in `gemm`'s panel layout, in the orientation each pass
/// needs. Packed once per optimizer step (or once per loaded model) instead of once per
/// image group.
package final class PackedWeights {
    package private(set) var parameters: [Float]
    /// conv2's filters as `conv2InputGradient`'s stamps: [16][5][32], row ky of filter o
    /// channel-last ((kx, c) at kx * 6 + c), two zeros after each row's thirty.
    let conv2Stamps: UnsafeMutablePointer<Float>
    /// conv2's filters tap-major ([150][16]), as `conv2Direct` reads them.
    let conv2Taps: UnsafeMutablePointer<Float>
    /// W^T panels for the forward pass (y = x W^T) of fc1, fc2, fc3.
    let denseForwardB: [UnsafeMutablePointer<Float>]
    /// W panels for the input gradient (dx = dy W) of fc1, fc2, fc3.
    let denseBackwardB: [UnsafeMutablePointer<Float>]
    private let storage: UnsafeMutablePointer<Float>

    static let dense: [(weight: Int, inputs: Int, outputs: Int)] = [
        (LeNet5.fc1W, 400, 120), (LeNet5.fc2W, 120, 84), (LeNet5.fc3W, 84, 10),
    ]

    package init(_ parameters: [Float]) {
        precondition(parameters.count == LeNet5.parameterCount)
        self.parameters = parameters
        var sizes = [Self.stampsSize]
        for d in Self.dense { sizes.append(GEMMPacking.packedBSize(n: d.outputs, k: d.inputs)) }
        for d in Self.dense { sizes.append(GEMMPacking.packedBSize(n: d.inputs, k: d.outputs)) }
        sizes.append(LeNet5.conv2Patch * LeNet5.conv2Channels)
        let (storage, p) = allocateBuffers(sizes)
        self.storage = storage
        conv2Stamps = p[0]
        denseForwardB = Array(p[1..<4])
        denseBackwardB = Array(p[4..<7])
        conv2Taps = p[7]
        pack()
    }

    deinit { storage.deallocate() }

    /// Replaces the parameters (same count) and repacks, on up to `threads` threads (after
    /// every training step: serial, it was a few percent of a two-thread run).
    package func update(_ newParameters: [Float], threads: Int = 1) {
        precondition(newParameters.count == LeNet5.parameterCount)
        parameters = newParameters
        pack(threads: threads)
    }

    private func pack(threads: Int = 1) {
        // With the active level's kernels. The layout is the same at every level, so any
        // level's passes may read it.
        let K = KernelLevel.active.kernels
        parameters.withUnsafeBufferPointer { pp in
            let p = pp.baseAddress!
            // Eight independent copies, the two of fc1 (four fifths of the floats) first.
            parallelFor(tasks: 2 + 2 * Self.dense.count, threads: threads) { job in
                if job < 2 * Self.dense.count {
                    let l = job / 2, d = Self.dense[l]
                    if job % 2 == 0 {
                        GEMMPacking.packB(n: d.outputs, k: d.inputs, MatrixOperand(p + d.weight, stride: d.inputs, transposed: true),
                                          into: denseForwardB[l], kernels: K)
                    } else {
                        GEMMPacking.packB(n: d.inputs, k: d.outputs, MatrixOperand(p + d.weight, stride: d.inputs), into: denseBackwardB[l],
                                          kernels: K)
                    }
                } else if job == 2 * Self.dense.count {
                    Self.stamps(p + LeNet5.conv2W, into: conv2Stamps)
                } else {
                    LeNet5.transpose(p + LeNet5.conv2W, rows: LeNet5.conv2Channels, columns: LeNet5.conv2Patch, into: conv2Taps)
                }
            }
        }
    }

    /// The floats of conv2's filters, or of their gradient, laid out as stamps.
    package static let stampsSize = LeNet5.conv2Channels * LeNet5.kernel * 32

    /// conv2's filters ([16][6][5][5]) as stamps ([16][5][32], see `conv2Stamps`).
    package static func stamps(_ w: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>) {
        dst.update(repeating: 0, count: stampsSize)
        forEachStampEntry { filter, stamp in dst[stamp] = w[filter] }
    }

    /// Each weight of conv2 as (its index in the filters [16][6][5][5], its index in the
    /// stamps [16][5][32]): filter o's row ky at (o * 5 + ky) * 32, tap (kx, c) at kx * 6 + c.
    @inline(__always)
    static func forEachStampEntry(_ body: (_ filter: Int, _ stamp: Int) -> Void) {
        for o in 0..<16 {
            for c in 0..<6 {
                for ky in 0..<5 {
                    for kx in 0..<5 { body(((o * 6 + c) * 5 + ky) * 5 + kx, (o * 5 + ky) * 32 + kx * 6 + c) }
                }
            }
        }
    }
}
