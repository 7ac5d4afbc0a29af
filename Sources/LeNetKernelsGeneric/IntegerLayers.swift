import LeNetKernelAPI

// The Swift half of the int8 path: everything between the C multiply-accumulate loops.
// Each has a scalar twin in LeNetCore's IntegerReference.

@inline(__always)
private func load16(_ p: UnsafePointer<Int32>) -> SIMD16<Int32> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Int32>.self)
}

@inline(__always)
private func load16(_ p: UnsafePointer<Int64>) -> SIMD16<Int64> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Int64>.self)
}

/// Requantization.apply on 16 channels at once.
@inline(__always)
private func requantize(_ sums: SIMD16<Int32>, _ r: Requantization, channel c: Int) -> SIMD16<Int32> {
    let shift = load16(r.shift + c)
    let x = (SIMD16<Int64>(truncatingIfNeeded: sums) &+ SIMD16<Int64>(truncatingIfNeeded: load16(r.bias + c)))
        &* load16(r.multiplier + c) &+ (SIMD16<Int64>(repeating: 1) &<< (shift &- 1))
    let q = (x &>> shift).clamped(lowerBound: .zero, upperBound: SIMD16(repeating: 255))
    return SIMD16<Int32>(truncatingIfNeeded: q)
}

/// The same with one channel's constants for all 16 lanes.
@inline(__always)
private func requantize(_ sums: SIMD16<Int32>, bias: Int32, multiplier: Int64, shift: Int64) -> SIMD16<Int32> {
    let x = (SIMD16<Int64>(truncatingIfNeeded: sums) &+ Int64(bias)) &* multiplier &+ (Int64(1) << (shift - 1))
    let q = (x &>> shift).clamped(lowerBound: .zero, upperBound: SIMD16(repeating: 255))
    return SIMD16<Int32>(truncatingIfNeeded: q)
}

extension Kernels {
    public static func quantizeInputPairs(
        _ x: UnsafePointer<Float>, inverseScale: Float, zeroPoint: Int32, _ pairs: UnsafeMutablePointer<UInt32>
    ) {
        @inline(__always) func code(_ v: Float) -> UInt32 {
            UInt32(UInt16(truncatingIfNeeded: Requantization.inputCode(v, inverseScale: inverseScale, zeroPoint: zeroPoint)))
        }
        for y in 0..<32 {
            let src = x + y * 32, dst = pairs + y * 40
            for i in 0..<31 { dst[i] = code(src[i]) | code(src[i + 1]) << 16 }
            dst[31] = code(src[31])
            for i in 32..<40 { dst[i] = 0 }
        }
    }

    public static func requantizeConv1(_ sums: UnsafePointer<Int32>, _ r: Requantization, _ y: UnsafeMutablePointer<Int16>) {
        for c in 0..<6 {
            let bias = r.bias[c], multiplier = r.multiplier[c], shift = r.shift[c]
            for py in 0..<14 {
                let q = requantize(load16(sums + (c * 14 + py) * 16), bias: bias, multiplier: multiplier, shift: shift)
                let row = y + py * 14 * 6 + c
                for px in 0..<14 { row[px * 6] = Int16(truncatingIfNeeded: q[px]) }
            }
        }
    }

    public static func im2rowConv2(_ x: UnsafePointer<Int16>, _ rows: UnsafeMutablePointer<Int16>) {
        // Each (row, ky) is 30 consecutive values (5 columns x 6 channels): two overlapping
        // 16-lane copies instead of a memcpy call.
        let src = UnsafeRawPointer(x), dst = UnsafeMutableRawPointer(rows)
        for oy in 0..<10 {
            for ox in 0..<10 {
                let out = ((oy * 10 + ox) * 150) * 2
                for ky in 0..<5 {
                    let from = (((oy + ky) * 14 + ox) * 6) * 2, to = out + ky * 60
                    dst.storeBytes(of: src.loadUnaligned(fromByteOffset: from, as: SIMD16<Int16>.self), toByteOffset: to,
                                   as: SIMD16<Int16>.self)
                    dst.storeBytes(of: src.loadUnaligned(fromByteOffset: from + 28, as: SIMD16<Int16>.self), toByteOffset: to + 28,
                                   as: SIMD16<Int16>.self)
                }
            }
        }
    }

    public static func poolRequantizeConv2(_ sums: UnsafePointer<Int32>, _ r: Requantization, _ y: UnsafeMutablePointer<Int16>) {
        for py in 0..<5 {
            for px in 0..<5 {
                let p = sums + (2 * py * 10 + 2 * px) * 16
                let m = pointwiseMax(pointwiseMax(load16(p), load16(p + 16)), pointwiseMax(load16(p + 160), load16(p + 176)))
                let q = SIMD16<Int16>(truncatingIfNeeded: requantize(m, r, channel: 0))
                UnsafeMutableRawPointer(y + (py * 5 + px) * 16).storeBytes(of: q, as: SIMD16<Int16>.self)
            }
        }
    }

    public static func requantizeDense(
        rows: Int, columns: Int, _ sums: UnsafePointer<Int32>, ldSums: Int, _ r: Requantization, _ y: UnsafeMutablePointer<Int16>
    ) {
        for i in 0..<rows {
            let src = sums + i * ldSums, dst = y + i * columns
            var c = 0
            while c < columns {
                let q = requantize(load16(src + c), r, channel: c)
                if c + 16 <= columns {
                    UnsafeMutableRawPointer(dst + c).storeBytes(of: SIMD16<Int16>(truncatingIfNeeded: q), as: SIMD16<Int16>.self)
                } else {
                    for j in 0..<(columns - c) { dst[c + j] = Int16(truncatingIfNeeded: q[j]) }
                }
                c += 16
            }
        }
    }
}
