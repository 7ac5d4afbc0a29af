/// A real scale in [2^-32, 1) as an integer multiplier and a right shift, M = multiplier *
/// 2^-(31 + shift) with multiplier in [2^30, 2^31): the form gemmlowp and TFLite requantize
/// with (Requantization.apply).
package struct FixedPointMultiplier: Equatable, Sendable {
    package let multiplier: Int32
    package let shift: Int32

    /// Nil outside [2^-32, 1): calibration keeps every LeNet scale inside.
    package init?(_ real: Double) {
        guard real.isFinite, real >= 0x1p-32, real < 1 else { return nil }
        // real = significand * 2^exponent, significand in [1, 2), exponent in -32...-1.
        var m = (real.significand * 0x1p30).rounded()
        var shift = -1 - Int32(real.exponent)
        if m == 0x1p31 {
            m /= 2
            shift -= 1
        }
        if shift < 0 {  // real rounded up to 1: the largest multiplier below it
            m = 0x1p31 - 1
            shift = 0
        }
        multiplier = Int32(m)
        self.shift = shift
    }

    package var real: Double { Double(multiplier) * Double(sign: .plus, exponent: -31 - Int(shift), significand: 1) }
}
