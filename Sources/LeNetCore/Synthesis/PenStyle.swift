/// How one hand writes one digit: the letterform's points moved (wobble), the whole
/// slanted, turned and narrowed or widened, drawn with a pen of some width whose pressure
/// varies along the stroke, at a speed that rounds corners and thins the strokes' ends.
package struct PenStyle: Sendable, Equatable {
    /// Horizontal shear: x moves by slant * (0.5 - y), so a positive slant leans right.
    package var slant: Float
    package var radians: Float
    /// The width scale (a narrow hand < 1).
    package var aspect: Float
    /// Standard deviation of each point's displacement, in the unit box.
    package var wobble: Float
    /// The pen's diameter over the digit's height.
    package var penWidth: Float
    /// How much the width swells and thins along a stroke (0: none).
    package var pressure: Float
    /// 0 (slow, careful) ... 1 (fast): corners rounded over more of the path, ends thinner.
    package var speed: Float

    package init(slant: Float, radians: Float, aspect: Float, wobble: Float, penWidth: Float, pressure: Float, speed: Float) {
        self.slant = slant
        self.radians = radians
        self.aspect = aspect
        self.wobble = wobble
        self.penWidth = penWidth
        self.pressure = pressure
        self.speed = speed
    }

    /// The ranges a style is drawn from.
    package struct Ranges: Sendable {
        package var slant: ClosedRange<Float>
        package var degrees: ClosedRange<Float>
        package var aspect: ClosedRange<Float>
        package var wobble: ClosedRange<Float>
        package var penWidth: ClosedRange<Float>
        package var pressure: ClosedRange<Float>
        package var speed: ClosedRange<Float>

        /// What the default model trains on: upright to strongly slanted, thin pen to marker.
        package static let training = Ranges(slant: -0.3...0.6, degrees: -8...8, aspect: 0.65...1.2, wobble: 0.01...0.04,
                                             penWidth: 0.05...0.15, pressure: 0...0.35, speed: 0...1)

        /// What the default model's single pen digits are written with: the same, with pens
        /// up to a bold typeface's strokes (a fifth of the height) beside the augmentation's
        /// bold digits (Augmentation.boldShare). Touching pairs keep `training`'s pens.
        package static let trainingDigits: Ranges = {
            var r = training
            r.penWidth = 0.05...0.22
            return r
        }()

        /// Print as a pen traces it (Letterforms.typeset): upright, steady and slow, with a
        /// pen an eighth to nearly a third of the height, a bold typeface's strokes.
        package static let print = Ranges(slant: -0.05...0.05, degrees: -2...2, aspect: 0.7...1.1, wobble: 0...0.01,
                                          penWidth: 0.12...0.3, pressure: 0...0.35, speed: 0...0.2)
    }

    package static func random(_ r: Ranges, _ rng: inout Xoshiro256) -> PenStyle {
        func draw(_ range: ClosedRange<Float>) -> Float { rng.nextFloat(range.lowerBound, range.upperBound) }
        return PenStyle(slant: draw(r.slant), radians: draw(r.degrees) * .pi / 180, aspect: draw(r.aspect), wobble: draw(r.wobble),
                        penWidth: draw(r.penWidth), pressure: draw(r.pressure), speed: draw(r.speed))
    }
}
