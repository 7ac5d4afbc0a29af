/// A positive real scale as an integer multiplier and a right shift, M = multiplier *
/// 2^-shift with multiplier in [2^30, 2^31): the form gemmlowp and TFLite requantize with.
/// Applied with one rounding on a 64-bit product (TFLite's reference path) rather than
/// gemmlowp's doubling-high-multiply followed by a rounding shift, which rounds twice.
public struct FixedPointMultiplier: Equatable, Sendable {
    public let multiplier: Int64
    public let shift: Int64

    /// Nil for scales outside 2^-31 ... 2^29, which a calibrated LeNet never comes near.
    public init?(_ real: Double) {
        guard real.isFinite, real > 0 else { return nil }
        var m = (real.significand * 1_073_741_824).rounded()  // significand in [1, 2) -> [2^30, 2^31]
        var shift = 30 - Int64(real.exponent)
        if m == 2_147_483_648 {
            m /= 2
            shift -= 1
        }
        guard shift >= 1, shift <= 61 else { return nil }
        multiplier = Int64(m)
        self.shift = shift
    }

    public var real: Double { Double(multiplier) * Double(sign: .plus, exponent: -Int(shift), significand: 1) }
}
