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

    /// conv2's weight gradient for one image, added into `dw` laid out as stamps
    /// ([16][5][32], as `conv2InputGradient` reads filters; the last two floats of each row
    /// collect products of no tap and are to be ignored), from pool1's map channel-last
    /// (`x`, [14][14][6], and two readable floats after it) and the position-major output
    /// gradient `dy` ([100][16]): for each nonzero dy[p][o], positions in order and channels
    /// in order, filter o's sums get dy[p][o] times the 6 x 5 x 5 window of p. Most of dy is
    /// zero after max-pooling's backward (see `conv2InputGradient`).
    public static func conv2WeightGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        nonzeroPositions(dy) { at, g, nonzero, ky0, count in gradientStamp(x + at, rows: ky0, count, g, nonzero, dw) }
    }

    /// Window rows ky0 ..< ky0 + count (count <= 5) of one position, held in registers while
    /// each nonzero channel's rows of `dw` are updated.
    @inline(__always)
    static func gradientStamp(
        _ window: UnsafePointer<Float>, rows ky0: Int, _ count: Int, _ g: UnsafePointer<Float>, _ nonzero: UInt32,
        _ dw: UnsafeMutablePointer<Float>
    ) {
        let (a0, b0, a1, b1, a2, b2, a3, b3, a4, b4) = windowRows(window + ky0 * 84, count)
        @inline(__always) func update(_ f: UnsafeMutablePointer<Float>, _ s: SIMD16<Float>, _ v: SIMD16<Float>) {
            var sum = load16(f)
            MicroKernel.madd(&sum, s, v)
            store16(sum, f)
        }
        var m = nonzero
        while m != 0 {
            let o = m.trailingZeroBitCount
            m &= m &- 1
            let s = SIMD16<Float>(repeating: g[o]), f = dw + (o * 5 + ky0) * 32
            update(f, s, a0); update(f + 16, s, b0)
            if count > 1 { update(f + 32, s, a1); update(f + 48, s, b1) }
            if count > 2 { update(f + 64, s, a2); update(f + 80, s, b2) }
            if count > 3 { update(f + 96, s, a3); update(f + 112, s, b3) }
            if count > 4 { update(f + 128, s, a4); update(f + 144, s, b4) }
        }
    }

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
        nonzeroPositions(dy) { at, g, nonzero, ky0, count in stamp(dx + at, rows: ky0, count, g, nonzero, w) }
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
        var (a0, b0, a1, b1, a2, b2, a3, b3, a4, b4) = windowRows(r, count)
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

    /// For each position p (in order) where `dy` ([100][16]) has a nonzero channel: the
    /// offset of p's window in a channel-last 14 x 14 x 6 map, p's gradient row and its
    /// nonzero lanes, once per pass of the window's kernel rows ky0 ..< ky0 + count that
    /// the stamp kernels hold in registers: all five (ten zmm) with 32 vector registers,
    /// else three and then two (at most twelve ymm sums).
    @inline(__always)
    static func nonzeroPositions(
        _ dy: UnsafePointer<Float>,
        _ body: (_ at: Int, _ g: UnsafePointer<Float>, _ nonzero: UInt32, _ ky0: Int, _ count: Int) -> Void
    ) {
        for p in 0..<100 {
            let nonzero = lenet_nonzero_lanes16(dy + p * 16)
            if nonzero == 0 { continue }
            let at = ((p / 10) * 14 + p % 10) * 6, g = dy + p * 16
            #if LENET_FMA && !LENET_HALF_TILES
            body(at, g, nonzero, 0, 5)
            #else
            body(at, g, nonzero, 0, 3)
            body(at, g, nonzero, 3, 2)
            #endif
        }
    }

    /// The first `count` rows of a channel-last window (rows 14 * 6 floats apart), each as its
    /// floats 0-15 and 16-31; zero for the rows past `count`.
    @inline(__always)
    static func windowRows(_ r: UnsafePointer<Float>, _ count: Int) -> (
        SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>,
        SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>
    ) {
        let zero = SIMD16<Float>()
        @inline(__always) func row(_ k: Int, _ half: Int) -> SIMD16<Float> { count > k ? load16(r + k * 84 + half * 16) : zero }
        return (row(0, 0), row(0, 1), row(1, 0), row(1, 1), row(2, 0), row(2, 1), row(3, 0), row(3, 1), row(4, 0), row(4, 1))
    }
}
