#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A random shift (up to `maxShift` pixels each way) and rotation (up to `maxDegrees`)
/// of one digit, drawn before the parallel part so the draws do not depend on threads.
public struct Augmentation: Sendable, Equatable {
    public var dx: Float, dy: Float, radians: Float

    public init(dx: Float, dy: Float, radians: Float) {
        self.dx = dx
        self.dy = dy
        self.radians = radians
    }

    public static let maxShift: Float = 2
    public static let maxDegrees: Float = 10

    public static func random(_ rng: inout Xoshiro256) -> Augmentation {
        let r = maxDegrees * .pi / 180
        return Augmentation(dx: rng.nextFloat(-maxShift, maxShift), dy: rng.nextFloat(-maxShift, maxShift),
                            radians: rng.nextFloat(-r, r))
    }

    /// Writes the 32x32 input of the digit moved by this transform (bilinear sampling,
    /// background outside the digit), normalised like `Normalization.input`.
    public func input(from digit: UnsafePointer<UInt8>, _ norm: Normalization, into x: UnsafeMutablePointer<Float>) {
        let c: Float = 15.5, cs = cosf(radians), sn = sinf(radians)
        let scale = 1 / (255 * norm.std), background = -norm.mean / norm.std
        // Pixel of the padded 32x32 image, 0 outside the 28x28 digit.
        @inline(__always) func pixel(_ r: Int, _ col: Int) -> Float {
            let rr = r - 2, cc = col - 2
            guard rr >= 0, rr < 28, cc >= 0, cc < 28 else { return 0 }
            return Float(digit[rr * 28 + cc])
        }
        for v in 0..<32 {
            for u in 0..<32 {
                // Inverse map: output pixel -> source position in the padded digit.
                let ox = Float(u) - c - dx, oy = Float(v) - c - dy
                let sx = cs * ox + sn * oy + c, sy = -sn * ox + cs * oy + c
                let x0 = Int(floorf(sx)), y0 = Int(floorf(sy))
                let fx = sx - Float(x0), fy = sy - Float(y0)
                let top = pixel(y0, x0) * (1 - fx) + pixel(y0, x0 + 1) * fx
                let bottom = pixel(y0 + 1, x0) * (1 - fx) + pixel(y0 + 1, x0 + 1) * fx
                x[v * 32 + u] = (top * (1 - fy) + bottom * fy) * scale + background
            }
        }
    }
}
