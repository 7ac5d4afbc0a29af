import CVectorMath
import LeNetKernelAPI

extension Kernels {
    /// One row times packed B, c[0..<n] (+)= x[0..<k] * B, with x read where it lies: a
    /// single image's fully-connected layer. As a product it packed x into a 6-row strip
    /// (five rows of zeros) and ran one 32-column panel at a time on two accumulators, each
    /// multiply-add waiting for the one before; here several panels run at once, eight
    /// accumulator registers in flight. Each output is the chain of multiply-adds over k
    /// from zero that `gemmPacked` forms: the same bits.
    public static func gemvPacked(
        n: Int, k: Int, _ x: UnsafePointer<Float>, _ packedB: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        accumulate: Bool
    ) {
        let nr = GEMMTile.columns, panels = (n + nr - 1) / nr
        var p = 0
        #if !LENET_HALF_TILES
        while p + 4 <= panels {
            gemvPanels(4, k, x, packedB + p * nr * k, c, from: p * nr, n: n, accumulate: accumulate)
            p += 4
        }
        #endif
        while p + 2 <= panels {
            gemvPanels(2, k, x, packedB + p * nr * k, c, from: p * nr, n: n, accumulate: accumulate)
            p += 2
        }
        if p < panels { gemvPanels(1, k, x, packedB + p * nr * k, c, from: p * nr, n: n, accumulate: accumulate) }
    }

    /// `count` (1, 2 or 4) consecutive panels: columns `from ..< from + 32 * count` of c.
    @inline(__always)
    static func gemvPanels(
        _ count: Int, _ k: Int, _ x: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        from j: Int, n: Int, accumulate: Bool
    ) {
        let panel = GEMMTile.columns * k, ahead = 8 * GEMMTile.columns
        var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
        var pb = b
        for kk in 0..<k {
            let s = SIMD16<Float>(repeating: x[kk])
            lenet_prefetch_line(pb + ahead); lenet_prefetch_line(pb + ahead + 16)
            if count >= 2 { lenet_prefetch_line(pb + ahead + panel); lenet_prefetch_line(pb + ahead + panel + 16) }
            if count == 4 {
                lenet_prefetch_line(pb + ahead + 2 * panel); lenet_prefetch_line(pb + ahead + 2 * panel + 16)
                lenet_prefetch_line(pb + ahead + 3 * panel); lenet_prefetch_line(pb + ahead + 3 * panel + 16)
            }
            MicroKernel.madd(&a0, s, load16(pb)); MicroKernel.madd(&a1, s, load16(pb + 16))
            if count >= 2 { MicroKernel.madd(&a2, s, load16(pb + panel)); MicroKernel.madd(&a3, s, load16(pb + panel + 16)) }
            if count == 4 {
                MicroKernel.madd(&a4, s, load16(pb + 2 * panel)); MicroKernel.madd(&a5, s, load16(pb + 2 * panel + 16))
                MicroKernel.madd(&a6, s, load16(pb + 3 * panel)); MicroKernel.madd(&a7, s, load16(pb + 3 * panel + 16))
            }
            pb += GEMMTile.columns
        }
        @inline(__always) func put(_ v: SIMD16<Float>, _ column: Int) {
            if column + 16 <= n {
                store16(accumulate ? load16(c + column) + v : v, c + column)
            } else {
                for l in 0..<max(0, n - column) { c[column + l] = accumulate ? c[column + l] + v[l] : v[l] }
            }
        }
        put(a0, j); put(a1, j + 16)
        if count >= 2 { put(a2, j + 32); put(a3, j + 48) }
        if count == 4 { put(a4, j + 64); put(a5, j + 80); put(a6, j + 96); put(a7, j + 112) }
    }
}
