import LeNetKernelAPI

/// One operand of a matrix product: `pointer` holds a row-major matrix with leading
/// dimension `stride`; `transposed` means the product reads it as its transpose.
package struct MatrixOperand {
    package var pointer: UnsafePointer<Float>
    package var stride: Int
    package var transposed: Bool

    @inline(__always)
    package init(_ pointer: UnsafePointer<Float>, stride: Int, transposed: Bool = false) {
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
/// (the scratch's `kernels.gemmPacked`, built per CPU level) serves every layout the
/// network needs. The matrices here are small (k <= 800,
/// n <= a few thousand), so a packed B panel stays in L1/L2 without further blocking.
package func gemm(
    m: Int, n: Int, k: Int,
    _ a: MatrixOperand, _ b: MatrixOperand,
    _ c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool, scratch: Scratch
) {
    let aSize = GEMMPacking.packedASize(m: m, k: k), bSize = GEMMPacking.packedBSize(n: n, k: k)
    let base = scratch.reserve(aSize + bSize + GEMMPacking.tileSize)
    GEMMPacking.packA(m: m, k: k, a, into: base, kernels: scratch.kernels)
    GEMMPacking.packB(n: n, k: k, b, into: base + aSize, kernels: scratch.kernels)
    scratch.kernels.gemmPacked(m: m, n: n, k: k, UnsafePointer(base), UnsafePointer(base + aSize), c, ldc: ldc,
               accumulate: accumulate, tile: base + aSize + bSize)
}

/// `gemm` with A pre-packed (weights packed once per update), B packed here.
package func gemm(
    m: Int, n: Int, k: Int, packedA: UnsafePointer<Float>, _ b: MatrixOperand,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, scratch: Scratch
) {
    let bSize = GEMMPacking.packedBSize(n: n, k: k)
    let base = scratch.reserve(bSize + GEMMPacking.tileSize)
    GEMMPacking.packB(n: n, k: k, b, into: base, kernels: scratch.kernels)
    scratch.kernels.gemmPacked(m: m, n: n, k: k, packedA, UnsafePointer(base), c, ldc: ldc, accumulate: accumulate, tile: base + bSize)
}

/// `gemm` with B pre-packed, A packed here (a single row is read in place).
package func gemm(
    m: Int, n: Int, k: Int, _ a: MatrixOperand, packedB: UnsafePointer<Float>,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, scratch: Scratch
) {
    if m == 1 && !a.transposed && n > 0 && k > 0 {
        return scratch.kernels.gemvPacked(n: n, k: k, a.pointer, packedB, c, accumulate: accumulate)
    }
    let aSize = GEMMPacking.packedASize(m: m, k: k)
    let base = scratch.reserve(aSize + GEMMPacking.tileSize)
    GEMMPacking.packA(m: m, k: k, a, into: base, kernels: scratch.kernels)
    scratch.kernels.gemmPacked(m: m, n: n, k: k, UnsafePointer(base), packedB, c, ldc: ldc, accumulate: accumulate, tile: base + aSize)
}

/// The panel layouts `gemmPacked` reads, packed by a CPU level's build (`Reference.packA`
/// and `packB` are the scalar twins the tests compare every level with).
package enum GEMMPacking {
    @inline(__always)
    package static func packA(m: Int, k: Int, _ a: MatrixOperand, into dst: UnsafeMutablePointer<Float>, kernels: any KernelProvider.Type) {
        kernels.packA(m: m, k: k, a.pointer, stride: a.stride, transposed: a.transposed, into: dst)
    }

    @inline(__always)
    package static func packB(n: Int, k: Int, _ b: MatrixOperand, into dst: UnsafeMutablePointer<Float>, kernels: any KernelProvider.Type) {
        kernels.packB(n: n, k: k, b.pointer, stride: b.stride, transposed: b.transposed, into: dst)
    }

    static let tileSize = GEMMTile.rows * GEMMTile.columns

    /// `m` rounded up to whole strips of GEMMTile.rows: the rows a product over packed A computes.
    package static func paddedRows(_ m: Int) -> Int {
        (m + GEMMTile.rows - 1) / GEMMTile.rows * GEMMTile.rows
    }

    package static func packedASize(m: Int, k: Int) -> Int {
        paddedRows(m) * k
    }

    package static func packedBSize(n: Int, k: Int) -> Int {
        (n + GEMMTile.columns - 1) / GEMMTile.columns * GEMMTile.columns * k
    }
}
