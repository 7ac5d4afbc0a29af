import CVectorMath
import LeNetKernelAPI

// The panel packing of `gemmPacked`'s operands, built per CPU level like the product itself
// (LeNetCore's `GEMMPacking` is its scalar twin). Packing moves every element of both
// operands once per product, and in training the operands change every step: compiled in
// the core for the baseline ISA and with overflow checks, it took about a tenth of a
// training run.
extension Kernels {
    /// op(A) (m x k; stored k x m when `transposed`) into strips of GEMMTile.rows rows: strip
    /// p holds, for each kk, rows 6p..6p+5 of column kk, zero past m.
    public static func packA(
        m: Int, k: Int, _ a: UnsafePointer<Float>, stride: Int, transposed: Bool, into dst: UnsafeMutablePointer<Float>
    ) {
        let mr = GEMMTile.rows
        var d = dst, i0 = 0
        while i0 < m {
            let rows = min(mr, m - i0)
            if transposed {
                for kk in 0..<k {
                    let src = a + kk * stride + i0
                    for i in 0..<rows { d[i] = src[i] }
                    for i in rows..<mr { d[i] = 0 }
                    d += mr
                }
            } else if rows == mr {
                let r0 = a + i0 * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride, r4 = r3 + stride, r5 = r4 + stride
                for kk in 0..<k {
                    d[0] = r0[kk]; d[1] = r1[kk]; d[2] = r2[kk]; d[3] = r3[kk]; d[4] = r4[kk]; d[5] = r5[kk]
                    d += mr
                }
            } else {
                // A short last strip (one row for a single image's dense layer): zero it
                // in one fill, then place the rows; a zero loop per column became a
                // memset call per column, most of a batch-1 pack.
                let src = a + i0 * stride
                d.update(repeating: 0, count: mr * k)
                for kk in 0..<k {
                    for i in 0..<rows { d[i] = src[i * stride + kk] }
                    d += mr
                }
            }
            i0 += mr
        }
    }

    /// op(B) (k x n; stored n x k when `transposed`) into strips of GEMMTile.columns
    /// columns: strip p holds, for each kk, columns 32p..32p+31 of row kk, zero past n.
    public static func packB(
        n: Int, k: Int, _ b: UnsafePointer<Float>, stride: Int, transposed: Bool, into dst: UnsafeMutablePointer<Float>
    ) {
        let nr = GEMMTile.columns
        var d = dst, j0 = 0
        while j0 < n {
            let cols = min(nr, n - j0)
            if transposed {
                // 8 x 8 blocks transposed in registers, the ragged edges one float at a time.
                if cols < nr { d.update(repeating: 0, count: nr * k) }
                var j = 0
                while j < cols {
                    let width = min(8, cols - j), src = b + (j0 + j) * stride
                    var kk = 0
                    if width == 8 {
                        while kk + 8 <= k {
                            lenet_transpose8x8(src + kk, stride, d + kk * nr + j, nr)
                            kk += 8
                        }
                    }
                    for jj in 0..<width {
                        for t in kk..<k { d[t * nr + j + jj] = src[jj * stride + t] }
                    }
                    j += width
                }
                d += nr * k
            } else {
                for kk in 0..<k {
                    let src = b + kk * stride + j0
                    if cols == nr {
                        store16(load16(src), d)
                        store16(load16(src + 16), d + 16)
                    } else {
                        if kk == 0 { d.update(repeating: 0, count: nr * k) }  // the short last panel, zeroed in one fill
                        for j in 0..<cols { d[j] = src[j] }
                    }
                    d += nr
                }
            }
            j0 += nr
        }
    }
}
