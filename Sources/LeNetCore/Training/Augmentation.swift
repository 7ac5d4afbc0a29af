import LeNetKernelAPI

/// A random shift (up to `maxShift` pixels each way) and rotation (up to `maxDegrees`)
/// of one digit, and now and then its strokes thickened (`bold`), drawn before the parallel
/// part so the draws do not depend on threads.
package struct Augmentation: Sendable, Equatable {
    package var dx: Float, dy: Float, radians: Float
    /// The digit's ink grown by a pixel every way (a 3x3 maximum) before it moves.
    package var bold = false

    package init(dx: Float, dy: Float, radians: Float, bold: Bool = false) {
        self.dx = dx
        self.dy = dy
        self.radians = radians
        self.bold = bold
    }

    package static let maxShift: Float = 2
    package static let maxDegrees: Float = 10
    /// How often a digit is drawn bold: MNIST's strokes are a tenth of the digit's height,
    /// a bold typeface's a fifth, and a model that never saw such strokes read a bold serif
    /// 8 or 4 unsure, then as two surer halves (benchmarks/README.md, "Touching digits").
    package static let boldShare: Float = 0.15

    /// A transform for a digit with `label`: never bold for a touching pair
    /// (TrainingLabel.noDigit), which drawn bolder would teach thick strokes as no digit.
    package static func random(_ rng: inout Xoshiro256, label: UInt8) -> Augmentation {
        let r = maxDegrees * .pi / 180
        return Augmentation(dx: rng.nextFloat(-maxShift, maxShift), dy: rng.nextFloat(-maxShift, maxShift),
                            radians: rng.nextFloat(-r, r), bold: rng.nextUnitFloat() < boldShare && label != TrainingLabel.noDigit)
    }

    /// Writes the 32x32 input of the digit moved by this transform (bilinear sampling,
    /// background outside the digit), normalised like `Normalization.input`.
    package func input(from digit: UnsafePointer<UInt8>, _ norm: Normalization, into x: UnsafeMutablePointer<Float>) {
        // The digit on a zero canvas wide enough for any sample a shift of 2 px plus a
        // rotation of 10 degrees can reach, so sampling needs no bounds tests, only a clamp.
        let side = Self.canvasSide, margin = Self.canvasMargin
        var canvas = (SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(),
                      SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(),
                      SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(),
                      SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(),
                      SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(),
                      SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>(), SIMD64<Float>())
        withUnsafeMutableBytes(of: &canvas) { raw in
            let c = raw.bindMemory(to: Float.self).baseAddress!
            for r in 0..<28 {
                let row = c + (r + margin) * side + margin, src = digit + r * 28
                if bold {
                    for col in 0..<28 {
                        var m: UInt8 = 0
                        for nr in max(0, r - 1)...min(27, r + 1) {
                            for nc in max(0, col - 1)...min(27, col + 1) { m = max(m, digit[nr * 28 + nc]) }
                        }
                        row[col] = Float(m)
                    }
                } else {
                    for col in 0..<28 { row[col] = Float(src[col]) }
                }
            }
            let centre: Float = 15.5, cs = LibC.cos(radians), sn = LibC.sin(radians)
            let scale = 1 / (255 * norm.std), background = -norm.mean / norm.std
            // 32x32 frame coordinates -> canvas coordinates: the digit sits at +2 in the frame.
            let offset = Float(margin - 2), limit = Float(side - 2)
            for v in 0..<32 {
                let oy = Float(v) - centre - dy
                for u in 0..<32 {
                    // Inverse map: output pixel -> source position.
                    let ox = Float(u) - centre - dx
                    let sx = min(max(cs * ox + sn * oy + centre + offset, 0), limit)
                    let sy = min(max(-sn * ox + cs * oy + centre + offset, 0), limit)
                    let x0 = Int(sx), y0 = Int(sy)
                    let fx = sx - Float(x0), fy = sy - Float(y0)
                    let p = c + y0 * side + x0
                    let top = p[0] + (p[1] - p[0]) * fx
                    let bottom = p[side] + (p[side + 1] - p[side]) * fx
                    x[v * 32 + u] = (top + (bottom - top) * fy) * scale + background
                }
            }
        }
    }

    // 48 x 48 floats: 28 digit pixels plus a margin of 10 on each side.
    static let canvasSide = 48
    static let canvasMargin = 10
}
