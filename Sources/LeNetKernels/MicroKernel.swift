import LeNetKernelAPI

/// The register-blocked heart of `gemm`: a 6x32 tile of C held in twelve SIMD16
/// accumulators while k runs. Built with `-D LENET_FMA` (for a CPU target with FMA) the
/// update is a fused multiply-add; otherwise it is `acc += a * b`, because `addProduct`
/// becomes a library call per lane on targets without FMA (docs/architecture.md, "Kernels per CPU").
enum MicroKernel {
    static let rows = GEMMTile.rows
    static let columns = GEMMTile.columns

    /// C tile (6 x 32, leading dimension ldc) (+)= packedA (k x 6) * packedB (k x 32).
    /// Built with `-D LENET_HALF_TILES` (the AVX2 level: 16 ymm registers, where twelve
    /// SIMD16 accumulators would spill) the tile is done as two 6x16 halves.
    @inline(__always)
    static func run(
        k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        #if LENET_HALF_TILES
        runHalf(k: k, a, b, c, ldc: ldc, accumulate: accumulate)
        runHalf(k: k, a, b + 16, c + 16, ldc: ldc, accumulate: accumulate)
        #else
        runFull(k: k, a, b, c, ldc: ldc, accumulate: accumulate)
        #endif
    }

    /// Columns 0-15 of a packed 32-column panel (pass `b + 16`, `c + 16` for the rest):
    /// six SIMD16 accumulators, twelve ymm registers.
    @inline(__always)
    static func runHalf(
        k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        var c0 = SIMD16<Float>(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0
        var pa = a, pb = b
        for _ in 0..<k {
            let v = load16(pb)
            madd(&c0, SIMD16<Float>(repeating: pa[0]), v)
            madd(&c1, SIMD16<Float>(repeating: pa[1]), v)
            madd(&c2, SIMD16<Float>(repeating: pa[2]), v)
            madd(&c3, SIMD16<Float>(repeating: pa[3]), v)
            madd(&c4, SIMD16<Float>(repeating: pa[4]), v)
            madd(&c5, SIMD16<Float>(repeating: pa[5]), v)
            pa += rows
            pb += columns
        }
        @inline(__always) func put(_ row: Int, _ v: SIMD16<Float>) {
            let p = c + row * ldc
            store16(accumulate ? load16(p) + v : v, p)
        }
        put(0, c0); put(1, c1); put(2, c2); put(3, c3); put(4, c4); put(5, c5)
    }

    @inline(__always)
    static func runFull(
        k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>()
        var c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>()
        var c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>(), c41 = SIMD16<Float>()
        var c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
        var pa = a, pb = b
        for _ in 0..<k {
            let b0 = load16(pb), b1 = load16(pb + 16)
            var s = SIMD16<Float>(repeating: pa[0])
            madd(&c00, s, b0); madd(&c01, s, b1)
            s = SIMD16<Float>(repeating: pa[1])
            madd(&c10, s, b0); madd(&c11, s, b1)
            s = SIMD16<Float>(repeating: pa[2])
            madd(&c20, s, b0); madd(&c21, s, b1)
            s = SIMD16<Float>(repeating: pa[3])
            madd(&c30, s, b0); madd(&c31, s, b1)
            s = SIMD16<Float>(repeating: pa[4])
            madd(&c40, s, b0); madd(&c41, s, b1)
            s = SIMD16<Float>(repeating: pa[5])
            madd(&c50, s, b0); madd(&c51, s, b1)
            pa += 6
            pb += 32
        }
        put(c, accumulate, c00, c01); put(c + ldc, accumulate, c10, c11); put(c + 2 * ldc, accumulate, c20, c21)
        put(c + 3 * ldc, accumulate, c30, c31); put(c + 4 * ldc, accumulate, c40, c41); put(c + 5 * ldc, accumulate, c50, c51)
    }

    /// The last strip's rows when there are only two of them (m = 8 for training's image
    /// groups, m = 32 for inference's): rows 0-1 of the strip times `panels` consecutive
    /// B panels (1, or 2 at the AVX-512 level), eight accumulators, where a whole 6x32 tile
    /// would spend three times the multiplies. Each sum is the same chain over k.
    @inline(__always)
    static func runTwoRows(
        k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, panels: Int,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        #if LENET_FMA && !LENET_HALF_TILES
        if panels == 2 {
            runTwoRowsTwoPanels(k: k, a, b, c, ldc: ldc, accumulate: accumulate)
            return
        }
        #endif
        var c00 = SIMD16<Float>(), c01 = c00, c10 = c00, c11 = c00
        var pa = a, pb = b
        for _ in 0..<k {
            let b0 = load16(pb), b1 = load16(pb + 16)
            let s0 = SIMD16<Float>(repeating: pa[0]), s1 = SIMD16<Float>(repeating: pa[1])
            madd(&c00, s0, b0); madd(&c01, s0, b1)
            madd(&c10, s1, b0); madd(&c11, s1, b1)
            pa += rows
            pb += columns
        }
        put(c, accumulate, c00, c01)
        put(c + ldc, accumulate, c10, c11)
    }

    /// `runTwoRows` over two panels (the second `k * columns` floats after the first) into
    /// 64 columns of C.
    @inline(__always)
    static func runTwoRowsTwoPanels(
        k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        var c00 = SIMD16<Float>(), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00
        var pa = a, pb = b
        let next = k * columns
        for _ in 0..<k {
            let b0 = load16(pb), b1 = load16(pb + 16), b2 = load16(pb + next), b3 = load16(pb + next + 16)
            let s0 = SIMD16<Float>(repeating: pa[0]), s1 = SIMD16<Float>(repeating: pa[1])
            madd(&c00, s0, b0); madd(&c01, s0, b1); madd(&c02, s0, b2); madd(&c03, s0, b3)
            madd(&c10, s1, b0); madd(&c11, s1, b1); madd(&c12, s1, b2); madd(&c13, s1, b3)
            pa += rows
            pb += columns
        }
        put(c, accumulate, c00, c01)
        put(c + 32, accumulate, c02, c03)
        put(c + ldc, accumulate, c10, c11)
        put(c + ldc + 32, accumulate, c12, c13)
    }

    /// 32 floats of a C row: stored, or added to what it holds.
    @inline(__always)
    static func put(_ p: UnsafeMutablePointer<Float>, _ accumulate: Bool, _ lo: SIMD16<Float>, _ hi: SIMD16<Float>) {
        if accumulate {
            store16(load16(p) + lo, p)
            store16(load16(p + 16) + hi, p + 16)
        } else {
            store16(lo, p)
            store16(hi, p + 16)
        }
    }

    /// The one-row case (batch-1 fully-connected layers): C row (+)= packedA row 0 * packedB,
    /// two accumulators instead of twelve, so a single image does not pay for six.
    @inline(__always)
    static func runOneRow(
        k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>()
        var pa = a, pb = b
        for _ in 0..<k {
            let s = SIMD16<Float>(repeating: pa[0])
            madd(&c0, s, load16(pb)); madd(&c1, s, load16(pb + 16))
            pa += rows
            pb += columns
        }
        put(c, accumulate, c0, c1)
    }

    @inline(__always)
    static func madd(_ acc: inout SIMD16<Float>, _ a: SIMD16<Float>, _ b: SIMD16<Float>) {
        #if LENET_FMA
        acc.addProduct(a, b)
        #else
        acc += a * b
        #endif
    }

    /// `madd` on eight lanes.
    @inline(__always)
    static func madd(_ acc: inout SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) {
        #if LENET_FMA
        acc.addProduct(a, b)
        #else
        acc += a * b
        #endif
    }
}
