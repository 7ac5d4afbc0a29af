/// One operand of a matrix product: `pointer` holds a row-major matrix with leading
/// dimension `stride`; `transposed` means the product reads it as its transpose.
public struct MatrixOperand {
    public var pointer: UnsafePointer<Float>
    public var stride: Int
    public var transposed: Bool

    @inline(__always)
    public init(_ pointer: UnsafePointer<Float>, stride: Int, transposed: Bool = false) {
        self.pointer = pointer
        self.stride = stride
        self.transposed = transposed
    }

    /// Element (row, column) of the operand as the product sees it.
    @inline(__always)
    func at(_ r: Int, _ c: Int) -> Float {
        transposed ? pointer[c * stride + r] : pointer[r * stride + c]
    }
}

/// C[m x n] = A[m x k] * B[k x n], or C += A * B when `accumulate`.
///
/// Both operands are packed into zero-padded panels (A in 6-row strips, B in 32-column
/// strips, transposes resolved while packing), so one register-blocked 6x32 micro-kernel
/// serves every layout the network needs. The matrices here are small (k <= 800,
/// n <= a few thousand), so a packed B panel stays in L1/L2 without further blocking.
public func gemm(
    m: Int, n: Int, k: Int,
    _ a: MatrixOperand, _ b: MatrixOperand,
    _ c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool, scratch: Scratch
) {
    let aSize = GEMMPacking.packedASize(m: m, k: k), bSize = GEMMPacking.packedBSize(n: n, k: k)
    let base = scratch.reserve(aSize + bSize + GEMMPacking.tileSize)
    GEMMPacking.packA(m: m, k: k, a, into: base)
    GEMMPacking.packB(n: n, k: k, b, into: base + aSize)
    gemmPacked(m: m, n: n, k: k, UnsafePointer(base), UnsafePointer(base + aSize), c, ldc: ldc,
               accumulate: accumulate, tile: base + aSize + bSize)
}

/// `gemm` with A pre-packed (weights packed once per update), B packed here.
public func gemm(
    m: Int, n: Int, k: Int, packedA: UnsafePointer<Float>, _ b: MatrixOperand,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, scratch: Scratch
) {
    let bSize = GEMMPacking.packedBSize(n: n, k: k)
    let base = scratch.reserve(bSize + GEMMPacking.tileSize)
    GEMMPacking.packB(n: n, k: k, b, into: base)
    gemmPacked(m: m, n: n, k: k, packedA, UnsafePointer(base), c, ldc: ldc, accumulate: accumulate, tile: base + bSize)
}

/// `gemm` with B pre-packed, A packed here.
public func gemm(
    m: Int, n: Int, k: Int, _ a: MatrixOperand, packedB: UnsafePointer<Float>,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, scratch: Scratch
) {
    let aSize = GEMMPacking.packedASize(m: m, k: k)
    let base = scratch.reserve(aSize + GEMMPacking.tileSize)
    GEMMPacking.packA(m: m, k: k, a, into: base)
    gemmPacked(m: m, n: n, k: k, UnsafePointer(base), packedB, c, ldc: ldc, accumulate: accumulate, tile: base + aSize)
}

/// The product of two packed operands; `tile` is 6x32 floats of scratch for edge tiles.
func gemmPacked(
    m: Int, n: Int, k: Int, _ packedA: UnsafePointer<Float>, _ packedB: UnsafePointer<Float>,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, tile: UnsafeMutablePointer<Float>
) {
    guard m > 0, n > 0 else { return }
    if k == 0 {
        if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    let mr = MicroKernel.rows, nr = MicroKernel.columns
    let aPanels = (m + mr - 1) / mr, bPanels = (n + nr - 1) / nr
    for jp in 0..<bPanels {
        let j0 = jp * nr, cols = min(nr, n - j0)
        let pb = packedB + jp * nr * k
        for ip in 0..<aPanels {
            let i0 = ip * mr, rows = min(mr, m - i0)
            let pa = packedA + ip * mr * k
            if rows == mr && cols == nr {
                MicroKernel.run(k: k, pa, pb, c + i0 * ldc + j0, ldc: ldc, accumulate: accumulate)
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

/// The panel layouts `gemmPacked` reads.
public enum GEMMPacking {
    static let tileSize = MicroKernel.rows * MicroKernel.columns

    public static func packedASize(m: Int, k: Int) -> Int {
        (m + MicroKernel.rows - 1) / MicroKernel.rows * MicroKernel.rows * k
    }

    public static func packedBSize(n: Int, k: Int) -> Int {
        (n + MicroKernel.columns - 1) / MicroKernel.columns * MicroKernel.columns * k
    }

    /// Packs op(A) into strips of 6 rows: strip p holds, for each kk, rows 6p..6p+5 of column kk.
    public static func packA(m: Int, k: Int, _ a: MatrixOperand, into dst: UnsafeMutablePointer<Float>) {
        let mr = MicroKernel.rows
        var d = dst
        var i0 = 0
        while i0 < m {
            let rows = min(mr, m - i0)
            if a.transposed {
                // Stored k x m: row kk of storage holds column kk of op(A), contiguous in i.
                for kk in 0..<k {
                    let src = a.pointer + kk * a.stride + i0
                    for i in 0..<rows { d[i] = src[i] }
                    for i in rows..<mr { d[i] = 0 }
                    d += mr
                }
            } else {
                // Row-major m x k: gather six rows per kk (contiguous writes, short strided reads).
                let src = a.pointer + i0 * a.stride
                for kk in 0..<k {
                    for i in 0..<rows { d[i] = src[i * a.stride + kk] }
                    for i in rows..<mr { d[i] = 0 }
                    d += mr
                }
            }
            i0 += mr
        }
    }

    /// Packs op(B) into strips of 32 columns: strip p holds, for each kk, columns 32p..32p+31 of row kk.
    public static func packB(n: Int, k: Int, _ b: MatrixOperand, into dst: UnsafeMutablePointer<Float>) {
        let nr = MicroKernel.columns
        var d = dst
        var j0 = 0
        while j0 < n {
            let cols = min(nr, n - j0)
            if b.transposed {
                // Stored n x k: column j of op(B) is row j of storage, contiguous in kk.
                for j in 0..<nr {
                    if j < cols {
                        let src = b.pointer + (j0 + j) * b.stride
                        for kk in 0..<k { d[kk * nr + j] = src[kk] }
                    } else {
                        for kk in 0..<k { d[kk * nr + j] = 0 }
                    }
                }
                d += nr * k
            } else {
                for kk in 0..<k {
                    let src = b.pointer + kk * b.stride + j0
                    if cols == nr {
                        store16(load16(src), d)
                        store16(load16(src + 16), d + 16)
                    } else {
                        for j in 0..<cols { d[j] = src[j] }
                        for j in cols..<nr { d[j] = 0 }
                    }
                    d += nr
                }
            }
            j0 += nr
        }
    }
}
