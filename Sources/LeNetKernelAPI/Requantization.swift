/// Per-channel constants that turn an int32 sum into an 8-bit activation: bias added,
/// multiplied by a real scale M = multiplier * 2^-shift with a single rounding (half up),
/// clamped to 0...255. The clamp at 0 is the ReLU: activations after a ReLU are unsigned
/// with zero point 0. Each array holds a multiple of 16 channels so kernels load whole
/// vectors.
public struct Requantization: @unchecked Sendable {
    public let bias: UnsafePointer<Int32>
    public let multiplier: UnsafePointer<Int64>
    public let shift: UnsafePointer<Int64>

    public init(bias: UnsafePointer<Int32>, multiplier: UnsafePointer<Int64>, shift: UnsafePointer<Int64>) {
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
    public static func apply(_ sum: Int32, bias: Int32, multiplier: Int64, shift: Int64) -> Int32 {
        let x = (Int64(sum) + Int64(bias)) * multiplier + (Int64(1) << (shift - 1))
        let r = x >> shift
        return Int32(truncatingIfNeeded: r < 0 ? 0 : (r > 255 ? 255 : r))
    }

    /// An input value (normalised float) as its int8 code minus the zero point: the
    /// number conv1 multiplies. Out-of-range values and NaN saturate instead of trapping.
    @inlinable @inline(__always)
    public static func inputCode(_ x: Float, inverseScale: Float, zeroPoint: Int32) -> Int32 {
        var t = x * inverseScale
        t = t > -512 ? t : -512  // also maps NaN to -512
        t = t < 512 ? t : 512
        let q = Int32(t.rounded(.toNearestOrEven)) + zeroPoint
        return (q < 0 ? 0 : (q > 255 ? 255 : q)) - zeroPoint
    }
}
