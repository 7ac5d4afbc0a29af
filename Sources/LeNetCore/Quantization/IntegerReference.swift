import LeNetKernelAPI

/// Scalar twins of the int8 kernels (the C loops and the Swift layers around them), and
/// a whole int8 network written straight from the definitions in PyTorch's layouts.
/// The tests require the fast path to equal these exactly. Not used on any hot path.
package enum IntegerReference {
    @inline(__always)
    static func pairDot(_ a: UInt32, _ b: UInt32) -> Int32 {
        Int32(Int16(truncatingIfNeeded: a)) * Int32(Int16(truncatingIfNeeded: b))
            + Int32(Int16(truncatingIfNeeded: a >> 16)) * Int32(Int16(truncatingIfNeeded: b >> 16))
    }

    /// Twin of `lenetq_conv1_pool` (lanes 14 and 15 of each row are left alone): each
    /// window's rows as three pairs, the last holding one tap.
    package static func conv1Pool(_ pairs: UnsafePointer<UInt32>, _ w: UnsafePointer<UInt32>, _ out: UnsafeMutablePointer<Int32>) {
        pooledConv1(out) { c, y, x in
            var s: Int32 = 0
            for ky in 0..<5 {
                for j in 0..<3 { s += pairDot(pairs[(y + ky) * IntegerLayout.pairRow + x + 2 * j], w[(c * 5 + ky) * 3 + j]) }
            }
            return s
        }
    }

    /// conv1 + 2x2 max-pool: out[(c * 14 + py) * 16 + px] is the largest of `window(c, y, x)`,
    /// channel c's sum over the window at (y, x), over the pool's four windows.
    static func pooledConv1(_ out: UnsafeMutablePointer<Int32>, window: (Int, Int, Int) -> Int32) {
        for c in 0..<6 {
            for py in 0..<14 {
                for px in 0..<14 {
                    var best = Int32.min
                    for d in 0..<4 { best = max(best, window(c, 2 * py + d / 2, 2 * px + d % 2)) }
                    out[(c * 14 + py) * 16 + px] = best
                }
            }
        }
    }

    /// Twin of `lenetq_gemm`.
    package static func gemm(
        _ a: UnsafePointer<UInt8>, lda: Int, _ b: UnsafePointer<Int16>, _ c: UnsafeMutablePointer<Int32>, ldc: Int,
        m: Int, blocks: Int, kpairs: Int
    ) {
        blockedGEMM(a, lda: lda, b, width: 2, c, ldc: ldc, m: m, blocks: blocks, groups: kpairs)
    }

    /// C[i][16 q + j] = sum over k of a[i][k] * B_q(k, j), B_q stored as [k / width][j][k % width].
    static func blockedGEMM<B: FixedWidthInteger>(
        _ a: UnsafePointer<UInt8>, lda: Int, _ b: UnsafePointer<B>, width: Int, _ c: UnsafeMutablePointer<Int32>, ldc: Int,
        m: Int, blocks: Int, groups: Int
    ) {
        for i in 0..<m {
            for q in 0..<blocks {
                for j in 0..<16 {
                    var s: Int32 = 0
                    for k in 0..<(width * groups) {
                        s += Int32(a[i * lda + k]) * Int32(b[((q * groups + k / width) * 16 + j) * width + k % width])
                    }
                    c[i * ldc + q * 16 + j] = s
                }
            }
        }
    }

    /// Twin of `lenetq_conv1_pool_quads`: each window's five rows of taps 0-3 as horizontal
    /// quads, its column at kx = 4 as two vertical ones.
    package static func conv1PoolQuads(_ quads: UnsafePointer<UInt32>, _ w: UnsafePointer<UInt32>, _ out: UnsafeMutablePointer<Int32>) {
        let R = IntegerLayout.pairRow, column = quads + IntegerLayout.columnQuads, n = IntegerLayout.conv1Quads
        pooledConv1(out) { c, y, x in
            var s: Int32 = 0
            for ky in 0..<5 { s += quadDot(quads[(y + ky) * R + x], w[c * n + ky]) }
            return s + quadDot(column[y * R + x + 4], w[c * n + 5]) + quadDot(column[(y + 4) * R + x + 4], w[c * n + 6])
        }
    }

    /// uint8 bytes of `a` times int8 bytes of `b`, summed.
    static func quadDot(_ a: UInt32, _ b: UInt32) -> Int32 {
        (0..<4).reduce(0) { s, t in s + Int32(UInt8(truncatingIfNeeded: a >> (8 * t))) * Int32(Int8(truncatingIfNeeded: b >> (8 * t))) }
    }

    /// Twin of `lenetq_gemm_quads`.
    package static func gemmQuads(
        _ a: UnsafePointer<UInt8>, lda: Int, _ b: UnsafePointer<Int8>, _ c: UnsafeMutablePointer<Int32>, ldc: Int,
        m: Int, blocks: Int, kquads: Int
    ) {
        blockedGEMM(a, lda: lda, b, width: 4, c, ldc: ldc, m: m, blocks: blocks, groups: kquads)
    }

    package static func inputCodes(_ x: UnsafePointer<Float>, inverseScale: Float, zeroPoint: Int32, _ codes: UnsafeMutablePointer<UInt8>) {
        for y in 0..<32 {
            for i in 0..<IntegerLayout.codesRow {
                codes[y * IntegerLayout.codesRow + i] = i < 32 ? UInt8(Requantization.inputCode(x[y * 32 + i], inverseScale: inverseScale, zeroPoint: zeroPoint)) : 0
            }
        }
    }

    package static func packPairs(_ codes: UnsafePointer<UInt8>, _ pairs: UnsafeMutablePointer<UInt32>) {
        func code(_ y: Int, _ i: Int) -> UInt32 { i < 32 ? UInt32(codes[y * IntegerLayout.codesRow + i]) : 0 }
        for y in 0..<32 {
            for i in 0..<IntegerLayout.pairRow { pairs[y * IntegerLayout.pairRow + i] = code(y, i) | code(y, i + 1) << 16 }
        }
    }

    package static func packQuads(_ codes: UnsafePointer<UInt8>, _ quads: UnsafeMutablePointer<UInt32>) {
        func code(_ y: Int, _ i: Int) -> UInt32 { i < 32 && y < 32 ? UInt32(codes[y * IntegerLayout.codesRow + i]) : 0 }
        for y in 0..<32 {
            for i in 0..<IntegerLayout.pairRow {
                quads[y * IntegerLayout.pairRow + i] = code(y, i) | code(y, i + 1) << 8 | code(y, i + 2) << 16 | code(y, i + 3) << 24
                quads[IntegerLayout.columnQuads + y * IntegerLayout.pairRow + i] = code(y, i) | code(y + 1, i) << 8 | code(y + 2, i) << 16 | code(y + 3, i) << 24
            }
        }
    }

    package static func requantizeConv1(_ sums: UnsafePointer<Int32>, _ r: Requantization, _ y: UnsafeMutablePointer<UInt8>) {
        for c in 0..<6 {
            for py in 0..<14 {
                for px in 0..<14 { y[(py * 14 + px) * 6 + c] = UInt8(r.apply(sums[(c * 14 + py) * 16 + px], channel: c)) }
            }
        }
    }

    package static func im2rowConv2(_ x: UnsafePointer<UInt8>, _ rows: UnsafeMutablePointer<UInt8>) {
        for oy in 0..<10 {
            for ox in 0..<10 {
                for ky in 0..<5 {
                    for kx in 0..<5 {
                        for c in 0..<6 { rows[(oy * 10 + ox) * IntegerLayout.conv2Row + (ky * 5 + kx) * 6 + c] = x[((oy + ky) * 14 + ox + kx) * 6 + c] }
                    }
                }
            }
        }
    }

    package static func poolRequantizeConv2(_ sums: UnsafePointer<Int32>, _ r: Requantization, _ y: UnsafeMutablePointer<UInt8>) {
        for py in 0..<5 {
            for px in 0..<5 {
                for c in 0..<16 {
                    var m = Int32.min
                    for dy in 0..<2 {
                        for dx in 0..<2 { m = max(m, sums[((2 * py + dy) * 10 + 2 * px + dx) * 16 + c]) }
                    }
                    y[(py * 5 + px) * 16 + c] = UInt8(r.apply(m, channel: c))
                }
            }
        }
    }

    package static func requantizeDense(
        rows: Int, columns: Int, _ sums: UnsafePointer<Int32>, ldSums: Int, _ r: Requantization, _ y: UnsafeMutablePointer<UInt8>
    ) {
        for i in 0..<rows {
            for c in 0..<columns { y[i * columns + c] = UInt8(r.apply(sums[i * ldSums + c], channel: c)) }
        }
    }

    /// The int8 network on one normalised 1x32x32 input, from the definitions: every
    /// convolution output requantized (ReLU as the clamp at 0), then max-pooled; PyTorch's
    /// layouts throughout. Logits = (fc3 sum + bias) * input scale * weight scale.
    package static func logits(_ q: QuantizedLeNet, input x: [Float]) throws -> [Float] {
        let m = try (0..<4).map { try q.multipliers(ofLayer: $0) }
        func requantize(_ sum: Int32, _ layer: Int, _ o: Int) -> Int32 {
            Requantization.apply(sum, bias: q.layers[layer].bias[o], multiplier: m[layer][o].multiplier, shift: m[layer][o].shift)
        }
        func convolve(_ input: [Int32], channels: Int, side: Int, _ layer: Int) -> [Int32] {
            let outputs = q.layers[layer].weightScales.count, o = side - 4, w = q.layers[layer].weights
            var y = [Int32](repeating: 0, count: outputs * o * o)
            for oc in 0..<outputs {
                for oy in 0..<o {
                    for ox in 0..<o {
                        var s: Int32 = 0
                        for c in 0..<channels {
                            for ky in 0..<5 {
                                for kx in 0..<5 { s += Int32(w[((oc * channels + c) * 5 + ky) * 5 + kx]) * input[(c * side + oy + ky) * side + ox + kx] }
                            }
                        }
                        y[(oc * o + oy) * o + ox] = requantize(s, layer, oc)
                    }
                }
            }
            return y
        }
        func pool(_ a: [Int32], planes: Int, side: Int) -> [Int32] {
            let h = side / 2
            var y = [Int32](repeating: 0, count: planes * h * h)
            for p in 0..<planes {
                for i in 0..<h {
                    for j in 0..<h {
                        let r = (p * side + 2 * i) * side + 2 * j
                        y[(p * h + i) * h + j] = max(max(a[r], a[r + 1]), max(a[r + side], a[r + side + 1]))
                    }
                }
            }
            return y
        }
        func dense(_ v: [Int32], _ layer: Int) -> [Int32] {
            let w = q.layers[layer].weights, outputs = q.layers[layer].weightScales.count
            return (0..<outputs).map { o in
                var s: Int32 = 0
                for k in 0..<v.count { s += Int32(w[o * v.count + k]) * v[k] }
                return layer == 4 ? s : requantize(s, layer, o)
            }
        }
        let input = x.map { Requantization.inputCode($0, inverseScale: 1 / q.inputScale, zeroPoint: q.inputZeroPoint) - q.inputZeroPoint }
        let p1 = pool(convolve(input, channels: 1, side: 32, 0), planes: 6, side: 28)
        let p2 = pool(convolve(p1, channels: 6, side: 14, 1), planes: 16, side: 10)
        let sums = dense(dense(dense(p2, 2), 3), 4)
        return (0..<10).map { Float(sums[$0] &+ q.layers[4].bias[$0]) * q.logitScales[$0] }
    }
}
