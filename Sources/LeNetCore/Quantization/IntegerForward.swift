import LeNetKernelAPI

extension IntegerNetwork {
    /// Logits (count x 10) for `count` images, `codes(i, c)` writing image i's input codes
    /// (Kernels.inputCodes' layout) to `c`.
    func forward(
        count: Int, _ ws: IntegerWorkspace, level: KernelLevel, logits out: UnsafeMutablePointer<Float>,
        codes: (Int, UnsafeMutablePointer<UInt8>) -> Void
    ) {
        precondition(count <= ws.capacity)
        let K = level.kernels, variant = level.integer(sevenBitWeights: sevenBitWeights), quads = variant.usesQuads
        for i in 0..<count {
            codes(i, ws.codes)
            if quads { K.packQuads(ws.codes, ws.pairs) } else { K.packPairs(ws.codes, ws.pairs) }
            variant.conv1Pool(ws.pairs, quads ? conv1Quads : conv1, ws.pooled1)
            K.requantizeConv1(ws.pooled1, requantization[0], ws.p1)
            if quads {
                // Quads do not line up with the kernel rows (30 codes each): through im2row.
                K.im2rowConv2(ws.p1, ws.rows2)
                gemm(variant, ws.rows2, lda: IntegerLayout.conv2Row, rows: LeNet5.conv2Positions, inputs: LeNet5.conv2Patch, layer: 0, ws.sums2)
            } else {
                variant.conv2(ws.p1, conv2, ws.sums2)
            }
            K.poolRequantizeConv2(ws.sums2, requantization[1], ws.p2 + i * LeNet5.flat)
        }
        let d = Self.dense
        gemm(variant, ws.p2, lda: d[0].inputs, rows: count, inputs: d[0].inputs, layer: 1, ws.sums)
        K.requantizeDense(rows: count, columns: d[0].outputs, ws.sums, ldSums: 16 * d[0].blocks, requantization[2], ws.h1)
        gemm(variant, ws.h1, lda: d[1].inputs, rows: count, inputs: d[1].inputs, layer: 2, ws.sums)
        K.requantizeDense(rows: count, columns: d[1].outputs, ws.sums, ldSums: 16 * d[1].blocks, requantization[3], ws.h2)
        gemm(variant, ws.h2, lda: d[2].inputs, rows: count, inputs: d[2].inputs, layer: 3, ws.sums)
        for i in 0..<count {
            for o in 0..<LeNet5.classes { out[i * LeNet5.classes + o] = Float(ws.sums[i * 16 * d[2].blocks + o] &+ fc3Bias[o]) * logitScales[o] }
        }
    }

    /// The GEMM of conv2 (layer 0) or fc1...fc3 (1...3), sums 16 x blocks wide.
    @inline(__always)
    private func gemm(
        _ variant: IntegerVariant, _ a: UnsafePointer<UInt8>, lda: Int, rows: Int, inputs: Int, layer: Int, _ c: UnsafeMutablePointer<Int32>
    ) {
        let blocks = layer == 0 ? 1 : Self.dense[layer - 1].blocks
        if variant.usesQuads {
            let b = layer == 0 ? conv2Quads : layer == 1 ? fc1Quads : layer == 2 ? fc2Quads : fc3Quads
            variant.gemmQuads(a, lda: lda, b, c, ldc: 16 * blocks, m: rows, blocks: blocks, kquads: (inputs + 3) / 4)
        } else {
            let b = layer == 0 ? conv2 : layer == 1 ? fc1 : layer == 2 ? fc2 : fc3
            variant.gemm(a, lda: lda, b, c, ldc: 16 * blocks, m: rows, blocks: blocks, kpairs: inputs / 2)
        }
    }

    /// Logits (count x 10) into `out` for `count` 28x28 u8 digits, normalised and quantized
    /// in one pass (Kernels.digitCodes): the answers `logits(fill:)` gives for the digits'
    /// normalised inputs, without the floats.
    package func logits(
        digits: UnsafePointer<UInt8>, count: Int, threads: Int, normalization: Normalization, level: KernelLevel = .active,
        into out: UnsafeMutablePointer<Float>
    ) {
        let (scale, background) = normalization.coefficients, K = level.kernels
        LeNet5.inGroups(count: count, threads: threads, integerWorkspaces) { ws, range in
            forward(count: range.count, ws, level: level, logits: out + range.lowerBound * LeNet5.classes) { j, codes in
                K.digitCodes(digits + (range.lowerBound + j) * DigitSet.pixels, scale: scale, background: background,
                             inverseScale: inverseInputScale, zeroPoint: inputZeroPoint, codes)
            }
        }
    }

    /// Logits (count x 10) into `out` for `count` images, `fill(i, x)` writing image i's
    /// normalised 1x32x32 input: split across `threads` workers like the float path, each
    /// image's result independent of the split.
    package func logits(
        count: Int, threads: Int, level: KernelLevel = .active, into out: UnsafeMutablePointer<Float>,
        fill: (Int, UnsafeMutablePointer<Float>) -> Void
    ) {
        LeNet5.inGroups(count: count, threads: threads, integerWorkspaces) { ws, range in
            for j in 0..<range.count { fill(range.lowerBound + j, ws.x + j * LeNet5.inputSize) }
            forward(count: range.count, ws, level: level, logits: out + range.lowerBound * LeNet5.classes) { j, codes in
                level.kernels.inputCodes(ws.x + j * LeNet5.inputSize, inverseScale: inverseInputScale, zeroPoint: inputZeroPoint, codes)
            }
        }
    }
}
