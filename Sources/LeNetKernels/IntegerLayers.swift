import LeNetKernelAPI

// The Swift half of the int8 path: everything between the C multiply-accumulate loops.
// Each has a scalar twin in LeNetCore's IntegerReference. Written as plain loops over
// contiguous lanes, which LLVM vectorizes (vpmullq, vpsravq, vpmovqw on AVX-512): the
// explicit SIMD16<Int64> conversions and clamps compile to out-of-line generic calls here.

extension Kernels {
    public static func inputCodes(
        _ x: UnsafePointer<Float>, inverseScale: Float, zeroPoint: Int32, _ codes: UnsafeMutablePointer<UInt8>
    ) {
        for y in 0..<32 {
            let src = x + y * 32, row = codes + y * IntegerLayout.codesRow
            for i in 0..<32 {
                row[i] = UInt8(truncatingIfNeeded: Requantization.inputCode(src[i], inverseScale: inverseScale, zeroPoint: zeroPoint))
            }
            for i in 32..<IntegerLayout.codesRow { row[i] = 0 }
        }
    }

    // Packing reads the codes image written by a separate pass: reading a row right after
    // writing it stalled on store forwarding (the packing loads straddle the stores) and
    // took as long as the rest of conv1.

    public static func packPairs(_ codes: UnsafePointer<UInt8>, _ pairs: UnsafeMutablePointer<UInt32>) {
        for y in 0..<32 {
            let row = codes + y * IntegerLayout.codesRow, dst = pairs + y * IntegerLayout.pairRow
            for i in 0..<32 { dst[i] = UInt32(row[i]) | UInt32(row[i + 1]) << 16 }
            for i in 32..<IntegerLayout.pairRow { dst[i] = 0 }
        }
    }

    public static func packQuads(_ codes: UnsafePointer<UInt8>, _ quads: UnsafeMutablePointer<UInt32>) {
        for y in 0..<32 {
            let row = codes + y * IntegerLayout.codesRow, dst = quads + y * IntegerLayout.pairRow
            for i in 0..<32 { dst[i] = UInt32(row[i]) | UInt32(row[i + 1]) << 8 | UInt32(row[i + 2]) << 16 | UInt32(row[i + 3]) << 24 }
            for i in 32..<IntegerLayout.pairRow { dst[i] = 0 }
        }
    }

    public static func requantizeConv1(_ sums: UnsafePointer<Int32>, _ r: Requantization, _ y: UnsafeMutablePointer<UInt8>) {
        // Each channel's rows requantized into a contiguous stack buffer (vectorized), then
        // the six channels interleaved into HWC.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6 * 224) { buffer in
            let t = buffer.baseAddress!
            for c in 0..<6 {
                let bias = r.bias[c], m = r.multiplier[c], s = r.shift[c], src = sums + c * 224, dst = t + c * 224
                for i in 0..<224 { dst[i] = UInt8(truncatingIfNeeded: Requantization.apply(src[i], bias: bias, multiplier: m, shift: s)) }
            }
            for py in 0..<14 {
                let row = y + py * 84, p0 = t + py * 16
                for px in 0..<14 {
                    row[px * 6] = p0[px]
                    row[px * 6 + 1] = p0[224 + px]
                    row[px * 6 + 2] = p0[448 + px]
                    row[px * 6 + 3] = p0[672 + px]
                    row[px * 6 + 4] = p0[896 + px]
                    row[px * 6 + 5] = p0[1120 + px]
                }
            }
        }
    }

    public static func im2rowConv2(_ x: UnsafePointer<UInt8>, _ rows: UnsafeMutablePointer<UInt8>) {
        // Each (row, ky) is 30 consecutive bytes (5 columns x 6 channels): two overlapping
        // 16-byte copies instead of a memcpy call.
        let src = UnsafeRawPointer(x), dst = UnsafeMutableRawPointer(rows)
        for oy in 0..<10 {
            for ox in 0..<10 {
                let out = (oy * 10 + ox) * IntegerLayout.conv2Row
                for ky in 0..<5 {
                    let from = ((oy + ky) * 14 + ox) * 6, to = out + ky * 30
                    dst.storeBytes(of: src.loadUnaligned(fromByteOffset: from, as: SIMD16<UInt8>.self), toByteOffset: to,
                                   as: SIMD16<UInt8>.self)
                    dst.storeBytes(of: src.loadUnaligned(fromByteOffset: from + 14, as: SIMD16<UInt8>.self), toByteOffset: to + 14,
                                   as: SIMD16<UInt8>.self)
                }
            }
        }
    }

    public static func poolRequantizeConv2(_ sums: UnsafePointer<Int32>, _ r: Requantization, _ y: UnsafeMutablePointer<UInt8>) {
        for py in 0..<5 {
            for px in 0..<5 {
                let p = sums + (2 * py * 10 + 2 * px) * 16, out = y + (py * 5 + px) * 16
                for c in 0..<16 {
                    let a = max(p[c], p[c + 16]), b = max(p[c + 160], p[c + 176])
                    out[c] = UInt8(truncatingIfNeeded: r.apply(max(a, b), channel: c))
                }
            }
        }
    }

    public static func requantizeDense(
        rows: Int, columns: Int, _ sums: UnsafePointer<Int32>, ldSums: Int, _ r: Requantization, _ y: UnsafeMutablePointer<UInt8>
    ) {
        for i in 0..<rows {
            let src = sums + i * ldSums, dst = y + i * columns
            for c in 0..<columns { dst[c] = UInt8(truncatingIfNeeded: r.apply(src[c], channel: c)) }
        }
    }
}
