import LeNetKernelAPI

extension Kernels {
    /// The product of two packed operands; `tile` is 6x32 floats of scratch for edge tiles.
    public static func gemmPacked(
        m: Int, n: Int, k: Int, _ packedA: UnsafePointer<Float>, _ packedB: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, tile: UnsafeMutablePointer<Float>
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        let mr = GEMMTile.rows, nr = GEMMTile.columns
        let bPanels = (n + nr - 1) / nr
        // A last strip of two rows (m = 8, 32) has a kernel of its own (below): a third of
        // the whole tile's multiplies; measured 1.1-1.4x faster at m = 8 at AVX2 and AVX-512.
        // Other edges take the 6x32 tile, and so does the baseline build (no FMA, 16 xmm).
        #if LENET_FMA
        let twoRowEdge = m % mr == 2
        #else
        let twoRowEdge = false
        #endif
        let aPanels = twoRowEdge ? m / mr : (m + mr - 1) / mr
        for jp in 0..<bPanels {
            let j0 = jp * nr, cols = min(nr, n - j0)
            let pb = packedB + jp * nr * k
            for ip in 0..<aPanels {
                let i0 = ip * mr, rows = min(mr, m - i0)
                let pa = packedA + ip * mr * k
                if rows == mr && cols == nr {
                    MicroKernel.run(k: k, pa, pb, c + i0 * ldc + j0, ldc: ldc, accumulate: accumulate)
                } else if rows == 1 {
                    let full = cols == nr
                    MicroKernel.runOneRow(k: k, pa, pb, full ? c + i0 * ldc + j0 : tile, accumulate: full && accumulate)
                    if !full {
                        let dst = c + i0 * ldc + j0
                        for j in 0..<cols { dst[j] = accumulate ? dst[j] + tile[j] : tile[j] }
                    }
                } else {
                    // Edge tile: compute the full 6x32 into a private tile, copy what is valid.
                    MicroKernel.run(k: k, pa, pb, tile, ldc: nr, accumulate: false)
                    for i in 0..<rows {
                        let dst = c + (i0 + i) * ldc + j0, src = tile + i * nr
                        if accumulate {
                            for j in 0..<cols { dst[j] += src[j] }
                        } else {
                            dst.update(from: src, count: cols)
                        }
                    }
                }
            }
        }
        if twoRowEdge {
            twoRowStrip(n: n, k: k, packedA + aPanels * mr * k, packedB, c + aPanels * mr * ldc, ldc: ldc, accumulate: accumulate,
                        tile: tile)
        }
    }

    /// The last two rows of C from their strip of packed A: whole panels through
    /// `MicroKernel.runTwoRows` (two at a time at the AVX-512 level), a partial last panel
    /// through `tile`.
    @inline(__always)
    static func twoRowStrip(
        n: Int, k: Int, _ pa: UnsafePointer<Float>, _ packedB: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool, tile: UnsafeMutablePointer<Float>
    ) {
        let nr = GEMMTile.columns, fullPanels = n / nr
        #if LENET_FMA && !LENET_HALF_TILES
        let step = 2
        #else
        let step = 1
        #endif
        var jp = 0
        while jp + step <= fullPanels {
            MicroKernel.runTwoRows(k: k, pa, packedB + jp * nr * k, panels: step, c + jp * nr, ldc: ldc, accumulate: accumulate)
            jp += step
        }
        if jp < fullPanels {
            MicroKernel.runTwoRows(k: k, pa, packedB + jp * nr * k, panels: 1, c + jp * nr, ldc: ldc, accumulate: accumulate)
            jp += 1
        }
        let cols = n - jp * nr
        guard cols > 0 else { return }
        MicroKernel.runTwoRows(k: k, pa, packedB + jp * nr * k, panels: 1, tile, ldc: nr, accumulate: false)
        for i in 0..<2 {
            let dst = c + i * ldc + jp * nr, src = tile + i * nr
            if accumulate {
                for j in 0..<cols { dst[j] += src[j] }
            } else {
                dst.update(from: src, count: cols)
            }
        }
    }
}
