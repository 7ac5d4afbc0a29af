import CVectorMath

extension Kernels {
    /// conv1 of LeNet-5 computed directly: 1x32x32 input, six 5x5 filters, bias and ReLU
    /// fused -> 6x28x28. Each output row is two 16-wide vectors (columns 0-15 and 12-27,
    /// overlapping), or four 8-wide ones at the AVX2 level; three channels at a time share
    /// each input load (all six at the AVX-512 level); no im2col matrix is built.
    public static func conv1Forward(
        _ x: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        _ y: UnsafeMutablePointer<Float>
    ) {
        #if LENET_FMA && !LENET_HALF_TILES
        conv1ForwardSix(x, w, bias, y)
        #elseif LENET_HALF_TILES
        conv1ForwardThreeHalves(x, w, bias, y)
        conv1ForwardThreeHalves(x, w + 75, bias + 3, y + 3 * 784)
        #else
        conv1ForwardThree(x, w, bias, y)
        conv1ForwardThree(x, w + 75, bias + 3, y + 3 * 784)
        #endif
    }

    /// All six channels at once where 32 registers hold twelve accumulators: each input
    /// load serves six channels instead of three, and twelve multiply-add chains in flight
    /// cover the latency that six left exposed. The same sums in the same order.
    @inline(__always)
    static func conv1ForwardSix(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
    ) {
        for oy in 0..<28 {
            var a0 = SIMD16<Float>(repeating: bias[0]), b0 = a0
            var a1 = SIMD16<Float>(repeating: bias[1]), b1 = a1
            var a2 = SIMD16<Float>(repeating: bias[2]), b2 = a2
            var a3 = SIMD16<Float>(repeating: bias[3]), b3 = a3
            var a4 = SIMD16<Float>(repeating: bias[4]), b4 = a4
            var a5 = SIMD16<Float>(repeating: bias[5]), b5 = a5
            for ky in 0..<5 {
                let row = x + (oy + ky) * 32
                for kx in 0..<5 {
                    let lo = load16(row + kx), hi = load16(row + 12 + kx), t = ky * 5 + kx
                    var s = SIMD16<Float>(repeating: w[t])
                    MicroKernel.madd(&a0, s, lo); MicroKernel.madd(&b0, s, hi)
                    s = SIMD16<Float>(repeating: w[25 + t])
                    MicroKernel.madd(&a1, s, lo); MicroKernel.madd(&b1, s, hi)
                    s = SIMD16<Float>(repeating: w[50 + t])
                    MicroKernel.madd(&a2, s, lo); MicroKernel.madd(&b2, s, hi)
                    s = SIMD16<Float>(repeating: w[75 + t])
                    MicroKernel.madd(&a3, s, lo); MicroKernel.madd(&b3, s, hi)
                    s = SIMD16<Float>(repeating: w[100 + t])
                    MicroKernel.madd(&a4, s, lo); MicroKernel.madd(&b4, s, hi)
                    s = SIMD16<Float>(repeating: w[125 + t])
                    MicroKernel.madd(&a5, s, lo); MicroKernel.madd(&b5, s, hi)
                }
            }
            let p = y + oy * 28
            conv1Row(p, a0, b0); conv1Row(p + 784, a1, b1); conv1Row(p + 2 * 784, a2, b2)
            conv1Row(p + 3 * 784, a3, b3); conv1Row(p + 4 * 784, a4, b4); conv1Row(p + 5 * 784, a5, b5)
        }
    }

    @inline(__always)
    static func conv1ForwardThree(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
    ) {
        for oy in 0..<28 {
            var a0 = SIMD16<Float>(repeating: bias[0]), b0 = a0
            var a1 = SIMD16<Float>(repeating: bias[1]), b1 = a1
            var a2 = SIMD16<Float>(repeating: bias[2]), b2 = a2
            for ky in 0..<5 {
                let row = x + (oy + ky) * 32
                for kx in 0..<5 {
                    let lo = load16(row + kx), hi = load16(row + 12 + kx), t = ky * 5 + kx
                    var s = SIMD16<Float>(repeating: w[t])
                    MicroKernel.madd(&a0, s, lo); MicroKernel.madd(&b0, s, hi)
                    s = SIMD16<Float>(repeating: w[25 + t])
                    MicroKernel.madd(&a1, s, lo); MicroKernel.madd(&b1, s, hi)
                    s = SIMD16<Float>(repeating: w[50 + t])
                    MicroKernel.madd(&a2, s, lo); MicroKernel.madd(&b2, s, hi)
                }
            }
            let p = y + oy * 28
            conv1Row(p, a0, b0); conv1Row(p + 784, a1, b1); conv1Row(p + 2 * 784, a2, b2)
        }
    }

    /// Three channels in 8-lane vectors, for 16 ymm registers: a row is columns 0-7, 8-15,
    /// 16-23 and 20-27 (the last two overlap), twelve accumulators, and each input vector
    /// is loaded, used by the three channels and dropped before the next. The SIMD16 form
    /// held four input halves and a broadcast besides its twelve accumulator halves, one
    /// more than the registers: accumulators went through the stack on every tap (40% of
    /// conv1's samples on those stores and reloads). The same sums in the same order.
    @inline(__always)
    static func conv1ForwardThreeHalves(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
    ) {
        for oy in 0..<28 {
            var a0 = SIMD8<Float>(repeating: bias[0]), a1 = a0, a2 = a0, a3 = a0
            var b0 = SIMD8<Float>(repeating: bias[1]), b1 = b0, b2 = b0, b3 = b0
            var c0 = SIMD8<Float>(repeating: bias[2]), c1 = c0, c2 = c0, c3 = c0
            for ky in 0..<5 {
                let row = x + (oy + ky) * 32
                for kx in 0..<5 {
                    let t = ky * 5 + kx, r = row + kx
                    let sa = SIMD8<Float>(repeating: w[t]), sb = SIMD8<Float>(repeating: w[25 + t])
                    let sc = SIMD8<Float>(repeating: w[50 + t])
                    var v = load8(r)
                    MicroKernel.madd(&a0, sa, v); MicroKernel.madd(&b0, sb, v); MicroKernel.madd(&c0, sc, v)
                    v = load8(r + 8)
                    MicroKernel.madd(&a1, sa, v); MicroKernel.madd(&b1, sb, v); MicroKernel.madd(&c1, sc, v)
                    v = load8(r + 16)
                    MicroKernel.madd(&a2, sa, v); MicroKernel.madd(&b2, sb, v); MicroKernel.madd(&c2, sc, v)
                    v = load8(r + 20)
                    MicroKernel.madd(&a3, sa, v); MicroKernel.madd(&b3, sb, v); MicroKernel.madd(&c3, sc, v)
                }
            }
            let p = y + oy * 28
            conv1RowHalves(p, a0, a1, a2, a3); conv1RowHalves(p + 784, b0, b1, b2, b3)
            conv1RowHalves(p + 2 * 784, c0, c1, c2, c3)
        }
    }

    /// `conv1Row` for a row held as columns 0-7, 8-15, 16-23 and 20-27.
    @inline(__always)
    static func conv1RowHalves(
        _ p: UnsafeMutablePointer<Float>, _ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>
    ) {
        store8(lenet_relu8(v3), p + 20); store8(lenet_relu8(v2), p + 16)
        store8(lenet_relu8(v1), p + 8); store8(lenet_relu8(v0), p)
    }

    /// An output row from its two vectors through the ReLU (they overlap in columns 12-15,
    /// where both hold the same sums). Through CVectorMath: with Swift's lane select this
    /// was left a call taking each vector as four 128-bit pieces (4.5% of an inference).
    @inline(__always)
    static func conv1Row(_ p: UnsafeMutablePointer<Float>, _ lo: SIMD16<Float>, _ hi: SIMD16<Float>) {
        store16(lenet_relu16(hi), p + 12)
        store16(lenet_relu16(lo), p)
    }

    /// dW += the weight gradient of `conv1Forward` given dy (6x28x28, the gradient at the
    /// ReLU's output already masked): dW[o][ky][kx] = sum over positions of
    /// dy[o][oy][ox] * x[oy+ky][ox+kx]. Columns are two vectors, 0-15 and 12-27, the second
    /// with its first four lanes zeroed so no column counts twice.
    public static func conv1WeightGradient(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>
    ) {
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 15) { lanes in
            conv1WeightGradient(x, dy, into: dw, lanes: lanes.baseAddress!)
        }
    }

    @inline(__always)
    static func conv1WeightGradient(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>,
        lanes: UnsafeMutablePointer<SIMD16<Float>>
    ) {
        let mask = SIMD16<Float>(0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
        #if LENET_HALF_TILES
        // 16 ymm registers: fifteen SIMD16 accumulators spilled to the stack on every
        // multiply-add. Each accumulator's two 8-lane halves are independent chains, so
        // they run one after the other: two channels' five taps, ten ymm accumulators, the
        // input rows read once for both channels. Every lane gets the same chain: same bits.
        let f = UnsafeMutableRawPointer(lanes).assumingMemoryBound(to: Float.self)
        for o in stride(from: 0, to: 6, by: 2) {
            for ky in 0..<5 {
                for h in 0..<2 {
                    var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0
                    let half = h == 0 ? mask.lowHalf : mask.highHalf
                    for oy in 0..<28 {
                        let row = x + (oy + ky) * 32 + 8 * h, g0 = dy + o * 784 + oy * 28 + 8 * h, g1 = g0 + 784
                        let dal = load8(g0), dah = load8(g0 + 12) * half, dbl = load8(g1), dbh = load8(g1 + 12) * half
                        var lo = load8(row), hi = load8(row + 12)
                        MicroKernel.madd(&a0, dal, lo); MicroKernel.madd(&a0, dah, hi)
                        MicroKernel.madd(&b0, dbl, lo); MicroKernel.madd(&b0, dbh, hi)
                        lo = load8(row + 1); hi = load8(row + 13)
                        MicroKernel.madd(&a1, dal, lo); MicroKernel.madd(&a1, dah, hi)
                        MicroKernel.madd(&b1, dbl, lo); MicroKernel.madd(&b1, dbh, hi)
                        lo = load8(row + 2); hi = load8(row + 14)
                        MicroKernel.madd(&a2, dal, lo); MicroKernel.madd(&a2, dah, hi)
                        MicroKernel.madd(&b2, dbl, lo); MicroKernel.madd(&b2, dbh, hi)
                        lo = load8(row + 3); hi = load8(row + 15)
                        MicroKernel.madd(&a3, dal, lo); MicroKernel.madd(&a3, dah, hi)
                        MicroKernel.madd(&b3, dbl, lo); MicroKernel.madd(&b3, dbh, hi)
                        lo = load8(row + 4); hi = load8(row + 16)
                        MicroKernel.madd(&a4, dal, lo); MicroKernel.madd(&a4, dah, hi)
                        MicroKernel.madd(&b4, dbl, lo); MicroKernel.madd(&b4, dbh, hi)
                    }
                    let at = f + 8 * h
                    store8(a0, at); store8(a1, at + 16); store8(a2, at + 32); store8(a3, at + 48); store8(a4, at + 64)
                    store8(b0, at + 80); store8(b1, at + 96); store8(b2, at + 112); store8(b3, at + 128); store8(b4, at + 144)
                }
                for j in 0..<10 { dw[(o + j / 5) * 25 + ky * 5 + j % 5] += Kernels.laneSum(lanes + j) }
            }
        }
        #else
        for o in stride(from: 0, to: 6, by: 3) {
            for ky in 0..<5 {
                // Fifteen accumulators: three channels (a, b, c) x five horizontal taps.
                var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0
                var b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0
                var c0 = a0, c1 = a0, c2 = a0, c3 = a0, c4 = a0
                for oy in 0..<28 {
                    let row = x + (oy + ky) * 32
                    let g0 = dy + o * 784 + oy * 28, g1 = g0 + 784, g2 = g1 + 784
                    let dal = load16(g0), dah = load16(g0 + 12) * mask
                    let dbl = load16(g1), dbh = load16(g1 + 12) * mask
                    let dcl = load16(g2), dch = load16(g2 + 12) * mask
                    var lo = load16(row), hi = load16(row + 12)
                    MicroKernel.madd(&a0, dal, lo); MicroKernel.madd(&a0, dah, hi)
                    MicroKernel.madd(&b0, dbl, lo); MicroKernel.madd(&b0, dbh, hi)
                    MicroKernel.madd(&c0, dcl, lo); MicroKernel.madd(&c0, dch, hi)
                    lo = load16(row + 1); hi = load16(row + 13)
                    MicroKernel.madd(&a1, dal, lo); MicroKernel.madd(&a1, dah, hi)
                    MicroKernel.madd(&b1, dbl, lo); MicroKernel.madd(&b1, dbh, hi)
                    MicroKernel.madd(&c1, dcl, lo); MicroKernel.madd(&c1, dch, hi)
                    lo = load16(row + 2); hi = load16(row + 14)
                    MicroKernel.madd(&a2, dal, lo); MicroKernel.madd(&a2, dah, hi)
                    MicroKernel.madd(&b2, dbl, lo); MicroKernel.madd(&b2, dbh, hi)
                    MicroKernel.madd(&c2, dcl, lo); MicroKernel.madd(&c2, dch, hi)
                    lo = load16(row + 3); hi = load16(row + 15)
                    MicroKernel.madd(&a3, dal, lo); MicroKernel.madd(&a3, dah, hi)
                    MicroKernel.madd(&b3, dbl, lo); MicroKernel.madd(&b3, dbh, hi)
                    MicroKernel.madd(&c3, dcl, lo); MicroKernel.madd(&c3, dch, hi)
                    lo = load16(row + 4); hi = load16(row + 16)
                    MicroKernel.madd(&a4, dal, lo); MicroKernel.madd(&a4, dah, hi)
                    MicroKernel.madd(&b4, dbl, lo); MicroKernel.madd(&b4, dbh, hi)
                    MicroKernel.madd(&c4, dcl, lo); MicroKernel.madd(&c4, dch, hi)
                }
                lanes[0] = a0; lanes[1] = a1; lanes[2] = a2; lanes[3] = a3; lanes[4] = a4
                lanes[5] = b0; lanes[6] = b1; lanes[7] = b2; lanes[8] = b3; lanes[9] = b4
                lanes[10] = c0; lanes[11] = c1; lanes[12] = c2; lanes[13] = c3; lanes[14] = c4
                for j in 0..<15 {
                    dw[(o + j / 5) * 25 + ky * 5 + j % 5] += Kernels.laneSum(lanes + j)
                }
            }
        }
        #endif
    }
}
