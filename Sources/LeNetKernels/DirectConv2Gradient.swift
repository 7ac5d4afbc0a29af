extension Kernels {
    /// conv2's weight gradient for one image, computed on pool1's planes (6x14x14) without a
    /// transposed im2col matrix: `dw` (tap-major, [150][16], as `conv2Direct` reads filters)
    /// gets, for every tap and output channel, the sum over the 100 positions of the output
    /// gradient `dy` (planar, channel o's positions at `dy + o * stride`) times the input the
    /// tap sees there.
    ///
    /// The sixteen output channels are the vector lanes, as in `conv2Direct`. Each sum is
    /// formed from zero over positions 0..<100 in order and then added to `dw`: the chain
    /// `gemmPacked` forms for dA[16 x 100] times the transposed im2col [100 x 150] with
    /// `accumulate`, so the bits are the product's.
    public static func conv2WeightGradient(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, stride: Int, into dw: UnsafeMutablePointer<Float>
    ) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 1600) { buffer in
            // Position-major, so each position's sixteen channels are one vector load.
            let g = buffer.baseAddress!
            for o in 0..<16 {
                for p in 0..<100 { g[p * 16 + o] = dy[o * stride + p] }
            }
            for c in 0..<6 {
                let plane = x + c * 196, out = dw + c * 25 * 16
                #if LENET_FMA && !LENET_HALF_TILES
                // 32 zmm registers: all 25 taps of the channel (25 accumulators), so each
                // position's gradient vector is loaded once per input channel.
                gradientTwentyFive(plane, g, out)
                #else
                // 16 ymm registers: one kernel row (five taps, ten ymm accumulators) at a time.
                for ky in 0..<5 { gradientFive(plane + ky * 14, g, out + ky * 5 * 16) }
                #endif
            }
        }
    }

    /// The five taps of one kernel row, `row` at that row's first input.
    @inline(__always)
    static func gradientFive(_ row: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0
        for oy in 0..<10 {
            for ox in 0..<10 { tapRow(&a0, &a1, &a2, &a3, &a4, row + oy * 14 + ox, load16(g + (oy * 10 + ox) * 16)) }
        }
        addRow(a0, a1, a2, a3, a4, out)
    }

    /// The 25 taps of one input channel.
    @inline(__always)
    static func gradientTwentyFive(_ plane: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0
        var c0 = a0, c1 = a0, c2 = a0, c3 = a0, c4 = a0, d0 = a0, d1 = a0, d2 = a0, d3 = a0, d4 = a0
        var e0 = a0, e1 = a0, e2 = a0, e3 = a0, e4 = a0
        for oy in 0..<10 {
            for ox in 0..<10 {
                let v = load16(g + (oy * 10 + ox) * 16), q = plane + oy * 14 + ox
                tapRow(&a0, &a1, &a2, &a3, &a4, q, v)
                tapRow(&b0, &b1, &b2, &b3, &b4, q + 14, v)
                tapRow(&c0, &c1, &c2, &c3, &c4, q + 28, v)
                tapRow(&d0, &d1, &d2, &d3, &d4, q + 42, v)
                tapRow(&e0, &e1, &e2, &e3, &e4, q + 56, v)
            }
        }
        addRow(a0, a1, a2, a3, a4, out)
        addRow(b0, b1, b2, b3, b4, out + 80)
        addRow(c0, c1, c2, c3, c4, out + 160)
        addRow(d0, d1, d2, d3, d4, out + 240)
        addRow(e0, e1, e2, e3, e4, out + 320)
    }

    /// One kernel row's five taps at one position: `q` at the row's first input there.
    @inline(__always)
    static func tapRow(
        _ a0: inout SIMD16<Float>, _ a1: inout SIMD16<Float>, _ a2: inout SIMD16<Float>, _ a3: inout SIMD16<Float>,
        _ a4: inout SIMD16<Float>, _ q: UnsafePointer<Float>, _ v: SIMD16<Float>
    ) {
        MicroKernel.madd(&a0, SIMD16(repeating: q[0]), v); MicroKernel.madd(&a1, SIMD16(repeating: q[1]), v)
        MicroKernel.madd(&a2, SIMD16(repeating: q[2]), v); MicroKernel.madd(&a3, SIMD16(repeating: q[3]), v)
        MicroKernel.madd(&a4, SIMD16(repeating: q[4]), v)
    }

    /// Adds five taps' sums into `out` (five vectors of sixteen channels).
    @inline(__always)
    static func addRow(
        _ a0: SIMD16<Float>, _ a1: SIMD16<Float>, _ a2: SIMD16<Float>, _ a3: SIMD16<Float>, _ a4: SIMD16<Float>,
        _ out: UnsafeMutablePointer<Float>
    ) {
        store16(load16(out) + a0, out); store16(load16(out + 16) + a1, out + 16); store16(load16(out + 32) + a2, out + 32)
        store16(load16(out + 48) + a3, out + 48); store16(load16(out + 64) + a4, out + 64)
    }
}
