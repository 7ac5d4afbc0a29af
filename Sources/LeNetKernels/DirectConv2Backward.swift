extension Kernels {
    /// The backward pass of conv2's ReLU and 2x2 max-pool for one image, its sixteen
    /// channels in the vector lanes: `da` (position-major, [100][16]) gets the pooled
    /// gradient `dp` (planar, [16][5][5], fc1's input order) at the first position of each
    /// window (top left, top right, bottom left, bottom right) that holds the window's
    /// maximum, where that maximum is positive, and zero elsewhere: what
    /// `maxPool2x2ReluBackward` gives on the planar map. `activations` is the map as
    /// `conv2Finish` keeps it (position-major). The bias gradient, each channel's sum of
    /// `da`, is added to `bias` in `accumulateRowSums`' order over a planar row of 100
    /// (sixteen lane sums of six, those summed in lane order, then the last four).
    public static func conv2PoolBackward(
        _ activations: UnsafePointer<Float>, gradient dp: UnsafePointer<Float>, _ da: UnsafeMutablePointer<Float>,
        bias: UnsafeMutablePointer<Float>
    ) {
        let a = activations
        for py in 0..<5 {
            for px in 0..<5 {
                let top = 2 * py * 10 + 2 * px, bottom = top + 10
                let tl = load16(a + top * 16), tr = load16(a + (top + 1) * 16)
                let bl = load16(a + bottom * 16), br = load16(a + (bottom + 1) * 16)
                let left = bl.replacing(with: tl, where: tl .> bl), right = br.replacing(with: tr, where: tr .> br)
                let m = right.replacing(with: left, where: left .> right)
                var g = SIMD16<Float>()
                for o in 0..<16 { g[o] = dp[o * 25 + py * 5 + px] }
                g.replace(with: 0, where: m .<= 0)
                store16(g.replacing(with: 0, where: tl .!= m), da + top * 16)
                g.replace(with: 0, where: tl .== m)
                store16(g.replacing(with: 0, where: tr .!= m), da + (top + 1) * 16)
                g.replace(with: 0, where: tr .== m)
                store16(g.replacing(with: 0, where: bl .!= m), da + bottom * 16)
                g.replace(with: 0, where: bl .== m)
                store16(g.replacing(with: 0, where: br .!= m), da + (bottom + 1) * 16)
            }
        }
        var sum = SIMD16<Float>()
        for lane in 0..<16 {
            var partial = SIMD16<Float>()
            for j in 0..<6 { partial += load16(da + (16 * j + lane) * 16) }
            sum += partial
        }
        for position in 96..<100 { sum += load16(da + position * 16) }
        store16(load16(bias) + sum, bias)
    }

    /// conv2's weight gradient for one image, computed on pool1's planes (6x14x14) without a
    /// transposed im2col matrix: `dw` (tap-major, [150][16], as `conv2Direct` reads filters)
    /// gets, for every tap and output channel, the sum over the 100 positions of the output
    /// gradient `dy` (position-major, [100][16], as `conv2PoolBackward` writes it) times the
    /// input the tap sees there.
    ///
    /// The sixteen output channels are the vector lanes, as in `conv2Direct`. Each sum is
    /// formed from zero over positions 0..<100 in order and then added to `dw`: the chain
    /// `gemmPacked` forms for dA[16 x 100] times the transposed im2col [100 x 150] with
    /// `accumulate`, so the bits are the product's.
    public static func conv2WeightGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        for c in 0..<6 {
            let plane = x + c * 196, out = dw + c * 25 * 16
            #if LENET_FMA && !LENET_HALF_TILES
            // 32 zmm registers: all 25 taps of the channel (25 accumulators), so each
            // position's gradient vector is loaded once per input channel.
            gradientTwentyFive(plane, dy, out)
            #else
            // 16 ymm registers: one kernel row (five taps, ten ymm accumulators) at a time.
            for ky in 0..<5 { gradientFive(plane + ky * 14, dy, out + ky * 5 * 16) }
            #endif
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
