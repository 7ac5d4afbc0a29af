import CVectorMath
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

    public static func digitCodes(
        _ digit: UnsafePointer<UInt8>, scale: Float, background: Float, inverseScale: Float, zeroPoint: Int32,
        _ codes: UnsafeMutablePointer<UInt8>
    ) {
        let frame = UInt8(truncatingIfNeeded: Requantization.inputCode(background, inverseScale: inverseScale, zeroPoint: zeroPoint))
        // The 784 codes in one flat loop (whole vectors: a 28-byte row vectorizes 4 wide),
        // then placed row by row inside the frame.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 784) { buffer in
            let flat = buffer.baseAddress!
            for i in 0..<784 {
                // The multiply and the add apart, as Normalization.input does them (no fused multiply-add).
                let x = Float(digit[i]) * scale + background
                flat[i] = UInt8(truncatingIfNeeded: Requantization.inputCode(x, inverseScale: inverseScale, zeroPoint: zeroPoint))
            }
            for y in 0..<32 {
                let row = codes + y * IntegerLayout.codesRow
                for i in 0..<32 { row[i] = frame }
                for i in 32..<IntegerLayout.codesRow { row[i] = 0 }
                guard y >= 2, y < 30 else { continue }
                let src = flat + (y - 2) * 28
                for i in 0..<28 { row[i + 2] = src[i] }
            }
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
        let R = IntegerLayout.codesRow
        for y in 0..<32 {
            let row = codes + y * R, dst = quads + y * IntegerLayout.pairRow
            // The row quads: the row and itself shifted by 1, 2 and 3 bytes, interleaved (its
            // 4 zero bytes past x = 31 end the last quads).
            lenet_interleave4x32(row, row + 1, row + 2, row + 3, dst)
            for i in 32..<IntegerLayout.pairRow { dst[i] = 0 }
            // The column quads: rows y ..< y + 4 (the zero rows below the image past 31).
            let column = quads + IntegerLayout.columnQuads + y * IntegerLayout.pairRow
            lenet_interleave4x32(row, row + R, row + 2 * R, row + 3 * R, column)
            for i in 32..<IntegerLayout.pairRow { column[i] = 0 }
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
            // Rows of 96 bytes (positions 14 and 15 too), each row's tail overwritten by the
            // next; the last through a buffer, so nothing is written past the 14 x 14 x 6.
            for py in 0..<13 { lenet_interleave6x16(t + py * 16, 224, y + py * 84) }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 96) { last in
                lenet_interleave6x16(t + 13 * 16, 224, last.baseAddress!)
                (y + 13 * 84).update(from: last.baseAddress!, count: 84)
            }
        }
    }

    public static func im2rowConv2(_ x: UnsafePointer<UInt8>, _ rows: UnsafeMutablePointer<UInt8>) {
        // Each (row, ky) is 30 consecutive bytes (5 columns x 6 channels): one 32-byte copy
        // for ky < 4, whose last 2 bytes the next ky's copy overwrites, and two overlapping
        // 16-byte ones for ky = 4, which leave the row's 2 zero bytes alone.
        let src = UnsafeRawPointer(x), dst = UnsafeMutableRawPointer(rows)
        for oy in 0..<10 {
            for ox in 0..<10 {
                let out = (oy * 10 + ox) * IntegerLayout.conv2Row
                for ky in 0..<4 {
                    let from = ((oy + ky) * 14 + ox) * 6
                    dst.storeBytes(of: src.loadUnaligned(fromByteOffset: from, as: SIMD32<UInt8>.self), toByteOffset: out + ky * 30,
                                   as: SIMD32<UInt8>.self)
                }
                let from = ((oy + 4) * 14 + ox) * 6, to = out + 120
                dst.storeBytes(of: src.loadUnaligned(fromByteOffset: from, as: SIMD16<UInt8>.self), toByteOffset: to, as: SIMD16<UInt8>.self)
                dst.storeBytes(of: src.loadUnaligned(fromByteOffset: from + 14, as: SIMD16<UInt8>.self), toByteOffset: to + 14,
                               as: SIMD16<UInt8>.self)
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
