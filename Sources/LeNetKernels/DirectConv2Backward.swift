import CVectorMath
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

extension Kernels {
    /// conv2's input gradient for one image, channel-last: dx[y][x][c] ([14][14][6],
    /// overwritten; the two floats after it are read and written back), from the
    /// position-major output gradient `dy` ([100][16]) and the filters laid out as stamps
    /// (`stamps` [16][5][32]: filter o's kernel row ky at (o * 5 + ky) * 32, tap (kx, c) at
    /// kx * 6 + c, two zeros after the thirty).
    ///
    /// After max-pooling's backward at most one position in four has a gradient in each
    /// channel, and ReLU's clears more: each nonzero dy[p][o] adds filter o, scaled, into the
    /// 6 x 5 x 5 window of p ("a stamp"), a quarter of the dense product's multiplies or
    /// fewer, with no [150 x 100] matrix to fold back. A window's five rows of thirty floats
    /// are read once per position, its nonzero channels added in order o = 0, 1, ..., then
    /// written back; positions in order p = 0, 1, ...
    public static func conv2InputGradient(
        _ dy: UnsafePointer<Float>, stamps w: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>
    ) {
        dx.update(repeating: 0, count: 1176)
        for p in 0..<100 {
            let nonzero = lenet_nonzero_lanes16(dy + p * 16)
            if nonzero == 0 { continue }
            let window = dx + ((p / 10) * 14 + p % 10) * 6, g = dy + p * 16
            #if LENET_FMA && !LENET_HALF_TILES
            stamp(window, rows: 0, 5, g, nonzero, w)  // ten zmm sums
            #else
            stamp(window, rows: 0, 3, g, nonzero, w)  // at most twelve ymm sums at a time
            stamp(window, rows: 3, 2, g, nonzero, w)
            #endif
        }
    }

    /// Window rows ky0 ..< ky0 + count (count <= 5) of one position's stamps: each row's
    /// thirty floats as two vectors of sixteen, summed in registers over the nonzero
    /// channels. Rows are 14 * 6 floats apart. The second vector's last two lanes (the next
    /// floats of dx) are added 0 * 0 and written back as read: storing only fourteen lanes
    /// let LLVM split the sums into 8-, 4- and 2-lane pieces, shuffled on every add.
    @inline(__always)
    static func stamp(
        _ window: UnsafeMutablePointer<Float>, rows ky0: Int, _ count: Int, _ g: UnsafePointer<Float>, _ nonzero: UInt32,
        _ w: UnsafePointer<Float>
    ) {
        let r = window + ky0 * 84
        var a0 = load16(r), b0 = load16(r + 16), a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0, a4 = a0, b4 = a0
        if count > 1 { a1 = load16(r + 84); b1 = load16(r + 100) }
        if count > 2 { a2 = load16(r + 168); b2 = load16(r + 184) }
        if count > 3 { a3 = load16(r + 252); b3 = load16(r + 268) }
        if count > 4 { a4 = load16(r + 336); b4 = load16(r + 352) }
        var m = nonzero
        while m != 0 {
            let o = m.trailingZeroBitCount
            m &= m &- 1
            let s = SIMD16<Float>(repeating: g[o]), t = lenet_broadcast14(g[o]), f = w + (o * 5 + ky0) * 32
            MicroKernel.madd(&a0, s, load16(f)); MicroKernel.madd(&b0, t, load16(f + 16))
            if count > 1 { MicroKernel.madd(&a1, s, load16(f + 32)); MicroKernel.madd(&b1, t, load16(f + 48)) }
            if count > 2 { MicroKernel.madd(&a2, s, load16(f + 64)); MicroKernel.madd(&b2, t, load16(f + 80)) }
            if count > 3 { MicroKernel.madd(&a3, s, load16(f + 96)); MicroKernel.madd(&b3, t, load16(f + 112)) }
            if count > 4 { MicroKernel.madd(&a4, s, load16(f + 128)); MicroKernel.madd(&b4, t, load16(f + 144)) }
        }
        store16(a0, r); store16(b0, r + 16)
        if count > 1 { store16(a1, r + 84); store16(b1, r + 100) }
        if count > 2 { store16(a2, r + 168); store16(b2, r + 184) }
        if count > 3 { store16(a3, r + 252); store16(b3, r + 268) }
        if count > 4 { store16(a4, r + 336); store16(b4, r + 352) }
    }
}
