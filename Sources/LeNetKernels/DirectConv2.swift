extension Kernels {
    /// conv2 of LeNet-5 computed directly on pool1's planes (6x14x14), without an im2col
    /// matrix: `w` holds the filters tap-major ([150][16], for tap (c, ky, kx) the sixteen
    /// output channels' weights), `y` gets the raw sums position-major ([100][16]).
    ///
    /// The sixteen output channels are the vector lanes, so no multiply is spent on padding
    /// (as a product, conv2 is 16 rows in 6-row tiles and 100 columns in 32-column panels),
    /// and nothing is written but the outputs. Each sum is the chain of multiply-adds over
    /// taps 0..149 in order from zero that `gemmPacked` forms: the same bits.
    public static func conv2Direct(_ x: UnsafePointer<Float>, weights w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        for oy in 0..<10 {
            #if LENET_HALF_TILES
            // 16 ymm registers: five positions (ten ymm accumulators) at a time.
            conv2Five(x, w, y, oy, 0)
            conv2Five(x, w, y, oy, 5)
            #else
            conv2Ten(x, w, y, oy)
            #endif
        }
    }

    /// One output row's ten positions, ten accumulators of sixteen channels.
    @inline(__always)
    static func conv2Ten(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ oy: Int) {
        var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0
        var t = w
        for c in 0..<6 {
            for ky in 0..<5 {
                let row = x + c * 196 + (oy + ky) * 14
                for kx in 0..<5 {
                    let v = load16(t), r = row + kx
                    t += 16
                    MicroKernel.madd(&a0, SIMD16(repeating: r[0]), v); MicroKernel.madd(&a1, SIMD16(repeating: r[1]), v)
                    MicroKernel.madd(&a2, SIMD16(repeating: r[2]), v); MicroKernel.madd(&a3, SIMD16(repeating: r[3]), v)
                    MicroKernel.madd(&a4, SIMD16(repeating: r[4]), v); MicroKernel.madd(&a5, SIMD16(repeating: r[5]), v)
                    MicroKernel.madd(&a6, SIMD16(repeating: r[6]), v); MicroKernel.madd(&a7, SIMD16(repeating: r[7]), v)
                    MicroKernel.madd(&a8, SIMD16(repeating: r[8]), v); MicroKernel.madd(&a9, SIMD16(repeating: r[9]), v)
                }
            }
        }
        let out = y + oy * 160
        store16(a0, out); store16(a1, out + 16); store16(a2, out + 32); store16(a3, out + 48); store16(a4, out + 64)
        store16(a5, out + 80); store16(a6, out + 96); store16(a7, out + 112); store16(a8, out + 128); store16(a9, out + 144)
    }

    /// Positions ox0..<ox0+5 of one output row.
    @inline(__always)
    static func conv2Five(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ oy: Int, _ ox0: Int) {
        var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0
        var t = w
        for c in 0..<6 {
            for ky in 0..<5 {
                let row = x + c * 196 + (oy + ky) * 14 + ox0
                for kx in 0..<5 {
                    let v = load16(t), r = row + kx
                    t += 16
                    MicroKernel.madd(&a0, SIMD16(repeating: r[0]), v); MicroKernel.madd(&a1, SIMD16(repeating: r[1]), v)
                    MicroKernel.madd(&a2, SIMD16(repeating: r[2]), v); MicroKernel.madd(&a3, SIMD16(repeating: r[3]), v)
                    MicroKernel.madd(&a4, SIMD16(repeating: r[4]), v)
                }
            }
        }
        let out = y + (oy * 10 + ox0) * 16
        store16(a0, out); store16(a1, out + 16); store16(a2, out + 32); store16(a3, out + 48); store16(a4, out + 64)
    }

    /// Bias, ReLU and 2x2 max-pool of `conv2Direct`'s sums, with the operations of
    /// `addRowBias` and `maxPool2x2` on the planar map (same bits): the pooled maps planar
    /// into `pooled` ([16][5][5], fc1's input order) and, when `activations` is given, the
    /// map itself position-major ([100][16]) for the backward pass, which reads it so.
    public static func conv2Finish(
        _ y: UnsafePointer<Float>, bias: UnsafePointer<Float>, pooled: UnsafeMutablePointer<Float>,
        activations: UnsafeMutablePointer<Float>?
    ) {
        let b = load16(bias)
        @inline(__always) func activation(_ position: Int) -> SIMD16<Float> {
            let s = load16(y + position * 16) + b
            return s.replacing(with: 0, where: s .< 0)
        }
        if let a2 = activations {
            for position in 0..<100 { store16(activation(position), a2 + position * 16) }
        }
        // Whole vectors are stored first and transposed from memory: taking lanes straight
        // out of the selects let LLVM turn each select into a test and a branch per lane at
        // the AVX2 level (no mask registers), a tenth of the pass.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 400) { buffer in
            let t = buffer.baseAddress!
            for py in 0..<5 {
                for px in 0..<5 {
                    let top = 2 * py * 10 + 2 * px, bottom = top + 10
                    let tl = activation(top), tr = activation(top + 1), bl = activation(bottom), br = activation(bottom + 1)
                    let left = bl.replacing(with: tl, where: tl .> bl), right = br.replacing(with: tr, where: tr .> br)
                    store16(right.replacing(with: left, where: left .> right), t + (py * 5 + px) * 16)
                }
            }
            transposeChannels(t, positions: 25, into: pooled)
        }
    }

    /// [positions][16] -> [16][positions].
    @inline(__always)
    static func transposeChannels(_ t: UnsafePointer<Float>, positions: Int, into out: UnsafeMutablePointer<Float>) {
        for o in 0..<16 {
            for p in 0..<positions { out[o * positions + p] = t[p * 16 + o] }
        }
    }
}
