/// Per-channel constants that turn an int32 sum into an 8-bit activation: bias added,
/// multiplied by a real scale M = multiplier * 2^-(31 + shift) < 1 the way gemmlowp does it
/// (a rounding doubling high multiply, then a rounding right shift), clamped to 0...255.
/// The clamp at 0 is the ReLU: activations after a ReLU are unsigned with zero point 0.
/// Each array holds a multiple of 16 channels so kernels load whole vectors.
public struct Requantization: @unchecked Sendable {
    public let bias: UnsafePointer<Int32>
    /// In [2^30, 2^31).
    public let multiplier: UnsafePointer<Int32>
    /// In 0...31.
    public let shift: UnsafePointer<Int32>

    public init(bias: UnsafePointer<Int32>, multiplier: UnsafePointer<Int32>, shift: UnsafePointer<Int32>) {
        self.bias = bias
        self.multiplier = multiplier
        self.shift = shift
    }

    /// The scalar definition every kernel reproduces exactly.
    @inlinable @inline(__always)
    public func apply(_ sum: Int32, channel c: Int) -> Int32 {
        Self.apply(sum, bias: bias[c], multiplier: multiplier[c], shift: shift[c])
    }

    @inlinable @inline(__always)
    public static func apply(_ sum: Int32, bias: Int32, multiplier: Int32, shift: Int32) -> Int32 {
        // sum + bias fits in 32 bits (|sum| < 2^23, |bias| <= 2^30), so does the high half
        // below; the product of two sign-extended 32-bit values is one vpmuldq lane, and
        // both shifts stay within 32-bit lanes except the first, a constant.
        let high = Int32(truncatingIfNeeded: (Int64(sum &+ bias) &* Int64(multiplier) &+ (1 << 30)) &>> 31)
        let r = (high &+ ((1 &<< shift) &>> 1)) &>> shift
        return r < 0 ? 0 : (r > 255 ? 255 : r)
    }

    /// An input value (normalised float) as its uint8 code, round(x / scale) + zero point.
    /// Out-of-range values and NaN saturate instead of trapping.
    @inlinable @inline(__always)
    public static func inputCode(_ x: Float, inverseScale: Float, zeroPoint: Int32) -> Int32 {
        var t = x * inverseScale
        t = t > -512 ? t : -512  // also maps NaN to -512
        t = t < 512 ? t : 512
        let q = Int32(t.rounded(.toNearestOrEven)) + zeroPoint
        return q < 0 ? 0 : (q > 255 ? 255 : q)
    }
}
