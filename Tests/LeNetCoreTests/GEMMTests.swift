import LeNetCore
import LeNetKernelAPI
import Testing

@Suite struct GEMMTests {
    @Test(arguments: KernelLevel.available)
    func matchesReferenceOnRandomShapesAndLayouts(level: KernelLevel) {
        var rng = Xoshiro256(seed: 11)
        let scratch = Scratch(level: level)
        for trial in 0..<200 {
            let m = 1 + rng.nextInt(below: 40), n = 1 + rng.nextInt(below: 90), k = rng.nextInt(below: 70)
            let ta = rng.nextInt(below: 2) == 1, tb = rng.nextInt(below: 2) == 1, acc = rng.nextInt(below: 2) == 1
            // Leading dimensions wider than the matrix, as in sub-matrix views.
            let lda = (ta ? m : k) + rng.nextInt(below: 3), ldb = (tb ? k : n) + rng.nextInt(below: 3)
            let ldc = n + rng.nextInt(below: 3)
            let a = randomFloats((ta ? k : m) * lda + 1, &rng), b = randomFloats((tb ? n : k) * ldb + 1, &rng)
            let c0 = randomFloats(m * ldc, &rng)
            var fast = c0, slow = c0
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    let opA = MatrixOperand(ap.baseAddress!, stride: lda, transposed: ta)
                    let opB = MatrixOperand(bp.baseAddress!, stride: ldb, transposed: tb)
                    fast.withUnsafeMutableBufferPointer {
                        gemm(m: m, n: n, k: k, opA, opB, $0.baseAddress!, ldc: ldc, accumulate: acc, scratch: scratch)
                    }
                    slow.withUnsafeMutableBufferPointer {
                        Reference.gemm(m: m, n: n, k: k, opA, opB, $0.baseAddress!, ldc: ldc, accumulate: acc)
                    }
                }
            }
            // Columns beyond n in each row are padding and must be untouched.
            for i in 0..<m {
                for j in n..<ldc { #expect(fast[i * ldc + j] == c0[i * ldc + j], "trial \(trial) wrote padding") }
            }
            #expect(maxRelativeError(fast, slow) < 1e-5, "trial \(trial): m \(m) n \(n) k \(k) ta \(ta) tb \(tb)")
        }
    }

    @Test(arguments: KernelLevel.available)
    func prePackedOperandsGiveTheSameProduct(level: KernelLevel) {
        var rng = Xoshiro256(seed: 12)
        let scratch = Scratch(level: level)
        let m = 17, n = 45, k = 33
        let a = randomFloats(m * k, &rng), b = randomFloats(k * n, &rng)
        var plain = [Float](repeating: 0, count: m * n), viaA = plain, viaB = plain
        var packedA = [Float](repeating: .nan, count: GEMMPacking.packedASize(m: m, k: k))
        var packedB = [Float](repeating: .nan, count: GEMMPacking.packedBSize(n: n, k: k))
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                let opA = MatrixOperand(ap.baseAddress!, stride: k), opB = MatrixOperand(bp.baseAddress!, stride: n)
                Reference.packA(m: m, k: k, opA, into: &packedA)
                Reference.packB(n: n, k: k, opB, into: &packedB)
                plain.withUnsafeMutableBufferPointer { gemm(m: m, n: n, k: k, opA, opB, $0.baseAddress!, ldc: n, accumulate: false, scratch: scratch) }
                viaA.withUnsafeMutableBufferPointer { c in
                    packedA.withUnsafeBufferPointer { gemm(m: m, n: n, k: k, packedA: $0.baseAddress!, opB, c.baseAddress!, ldc: n, accumulate: false, scratch: scratch) }
                }
                viaB.withUnsafeMutableBufferPointer { c in
                    packedB.withUnsafeBufferPointer { gemm(m: m, n: n, k: k, opA, packedB: $0.baseAddress!, c.baseAddress!, ldc: n, accumulate: false, scratch: scratch) }
                }
            }
        }
        #expect(plain == viaA)
        #expect(plain == viaB)
    }

    /// Each level's packing against the scalar twin, on random shapes, both layouts, views
    /// with wider leading dimensions: the same panels, padding zeros included.
    @Test(arguments: KernelLevel.available)
    func levelPackingMatchesTheScalarTwin(level: KernelLevel) {
        var rng = Xoshiro256(seed: 13)
        for _ in 0..<100 {
            let rows = 1 + rng.nextInt(below: 40), cols = 1 + rng.nextInt(below: 90), transposed = rng.nextInt(below: 2) == 1
            let stride = (transposed ? rows : cols) + rng.nextInt(below: 3)
            let x = randomFloats((transposed ? cols : rows) * stride + 1, &rng)
            x.withUnsafeBufferPointer { xp in
                let op = MatrixOperand(xp.baseAddress!, stride: stride, transposed: transposed)
                // As A: rows x cols (m x k); as B: rows x cols (k x n).
                var twinA = [Float](repeating: .nan, count: GEMMPacking.packedASize(m: rows, k: cols)), levelA = twinA
                Reference.packA(m: rows, k: cols, op, into: &twinA)
                GEMMPacking.packA(m: rows, k: cols, op, into: &levelA, kernels: level.kernels)
                #expect(twinA.map(\.bitPattern) == levelA.map(\.bitPattern))
                var twinB = [Float](repeating: .nan, count: GEMMPacking.packedBSize(n: cols, k: rows)), levelB = twinB
                Reference.packB(n: cols, k: rows, op, into: &twinB)
                GEMMPacking.packB(n: cols, k: rows, op, into: &levelB, kernels: level.kernels)
                #expect(twinB.map(\.bitPattern) == levelB.map(\.bitPattern))
            }
        }
    }

    /// One row read in place (`gemvPacked`, what a single image's dense layers run) gives
    /// the bits of the packed product's one-row tile, for widths of one to five panels with
    /// partial last panels, overwriting and accumulating.
    @Test(arguments: KernelLevel.available)
    func oneRowInPlaceEqualsThePackedProduct(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 14)
        for (n, k) in [(10, 84), (84, 120), (120, 400), (128, 7), (150, 33), (33, 1)] {
            let x = randomFloats(k, &rng), b = randomFloats(k * n, &rng), start = randomFloats(n, &rng)
            var packedA = [Float](repeating: .nan, count: GEMMPacking.packedASize(m: 1, k: k))
            var packedB = [Float](repeating: .nan, count: GEMMPacking.packedBSize(n: n, k: k))
            x.withUnsafeBufferPointer { Reference.packA(m: 1, k: k, MatrixOperand($0.baseAddress!, stride: k), into: &packedA) }
            b.withUnsafeBufferPointer { Reference.packB(n: n, k: k, MatrixOperand($0.baseAddress!, stride: n), into: &packedB) }
            var tile = [Float](repeating: 0, count: GEMMTile.rows * GEMMTile.columns)
            for accumulate in [false, true] {
                var product = start, inPlace = start + [-7]  // one float past n: must stay untouched
                K.gemmPacked(m: 1, n: n, k: k, packedA, packedB, &product, ldc: n, accumulate: accumulate, tile: &tile)
                K.gemvPacked(n: n, k: k, x, packedB, &inPlace, accumulate: accumulate)
                #expect(inPlace.map(\.bitPattern) == (product + [-7]).map(\.bitPattern), "n \(n), k \(k), accumulate \(accumulate) at \(level)")
            }
        }
    }

    /// A last strip of two rows (m = 8, m = 32) has its own kernel: its rows hold the bits
    /// the same rows get inside a 12-row product (whole 6x32 tiles only), for widths of one
    /// to five panels, odd and even counts, partial last panels, overwriting and accumulating;
    /// and nothing past n is written.
    @Test(arguments: KernelLevel.available)
    func twoRowEdgeEqualsTheWholeTiles(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 15)
        for (m, n, k) in [(8, 120, 400), (8, 400, 120), (32, 84, 120), (2, 10, 84), (14, 64, 9), (8, 96, 1), (20, 150, 16)] {
            let ldc = n + 1  // one float past n in each row: must stay untouched
            let a = randomFloats(12 * k, &rng), b = randomFloats(k * n, &rng), start = randomFloats(12 * ldc, &rng)
            var packedA = [Float](repeating: .nan, count: GEMMPacking.packedASize(m: 12, k: k))
            var packedB = [Float](repeating: .nan, count: GEMMPacking.packedBSize(n: n, k: k))
            b.withUnsafeBufferPointer { Reference.packB(n: n, k: k, MatrixOperand($0.baseAddress!, stride: n), into: &packedB) }
            var tile = [Float](repeating: 0, count: GEMMTile.rows * GEMMTile.columns)
            // Rows m-2, m-1 of the m-row product against rows 6, 7 of a 12-row one with the same two A rows.
            var rows = [Float](repeating: 0, count: m * k)
            for i in 0..<k { rows[(m - 2) * k + i] = a[6 * k + i]; rows[(m - 1) * k + i] = a[7 * k + i] }
            var packedM = [Float](repeating: .nan, count: GEMMPacking.packedASize(m: m, k: k))
            rows.withUnsafeBufferPointer { Reference.packA(m: m, k: k, MatrixOperand($0.baseAddress!, stride: k), into: &packedM) }
            a.withUnsafeBufferPointer { Reference.packA(m: 12, k: k, MatrixOperand($0.baseAddress!, stride: k), into: &packedA) }
            for accumulate in [false, true] {
                var whole = start, edge = randomFloats((m - 2) * ldc, &rng) + start[(6 * ldc)..<(8 * ldc)]
                K.gemmPacked(m: 12, n: n, k: k, packedA, packedB, &whole, ldc: ldc, accumulate: accumulate, tile: &tile)
                edge.withUnsafeMutableBufferPointer { c in
                    K.gemmPacked(m: m, n: n, k: k, packedM, packedB, c.baseAddress!, ldc: ldc, accumulate: accumulate, tile: &tile)
                }
                let got = Array(edge[((m - 2) * ldc)..<(m * ldc)]), want = Array(whole[(6 * ldc)..<(8 * ldc)])
                #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "m \(m), n \(n), k \(k), accumulate \(accumulate) at \(level)")
            }
        }
    }
}
