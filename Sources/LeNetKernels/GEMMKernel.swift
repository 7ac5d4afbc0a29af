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
        let aPanels = (m + mr - 1) / mr, bPanels = (n + nr - 1) / nr
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
    }
}
