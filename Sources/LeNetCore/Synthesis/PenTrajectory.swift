/// The path of the pen for written digits: a letterform's points, each moved by the hand's
/// wobble, joined by a Catmull-Rom spline (the smooth curve through them), rounded by the
/// hand's speed (a moving average over the path), widened or narrowed; a number's digits
/// side by side with `gaps` between their ink (in digit heights; below 0 they overlap);
/// then the whole slanted and turned, as one hand writes a line. Points are in digit
/// heights, the first digit in the unit box, before fitting to a canvas.
package struct PenTrajectory {
    /// Each stroke's samples, about `step` apart along the curve.
    package var strokes: [[SIMD2<Float>]]
    /// Each digit's strokes, as ranges of `strokes`.
    package var digits: [Range<Int>]

    static let step: Float = 0.006

    package init(_ form: Letterform, _ style: PenStyle, _ rng: inout Xoshiro256) {
        self.init(forms: [form], gaps: [], style, &rng)
    }

    package init(forms: [Letterform], gaps: [Float], _ style: PenStyle, _ rng: inout Xoshiro256) {
        precondition(gaps.count == max(0, forms.count - 1), "a gap between each two digits")
        strokes = []
        digits = []
        var previous: [SIMD2<Float>]?
        for (k, form) in forms.enumerated() {
            var upright = form.strokes.map { points in
                let moved = points.map { $0 + SIMD2(Self.normal(&rng), Self.normal(&rng)) * style.wobble }
                return Self.rounded(Self.spline(moved), by: Int(style.speed * 6)).map { SIMD2(($0.x - 0.5) * style.aspect + 0.5, $0.y) }
            }
            // The next digit's ink comes `gap` after the last one's where they are closest,
            // row by row (a pen's width between the two paths), as a hand spaces digits.
            if let previous {
                let shift = gaps[k - 1] + style.penWidth - Self.closest(previous, Array(upright.joined()))
                upright = upright.map { $0.map { $0 + SIMD2(shift, 0) } }
            }
            previous = Array(upright.joined())
            digits.append(strokes.count..<(strokes.count + upright.count))
            strokes += upright
        }
        let cs = LibC.cos(style.radians), sn = LibC.sin(style.radians)
        strokes = strokes.map { stroke in
            stroke.map { p in
                let slanted = SIMD2(p.x - 0.5 + style.slant * (0.5 - p.y), p.y - 0.5)
                return SIMD2(cs * slanted.x - sn * slanted.y, sn * slanted.x + cs * slanted.y) + 0.5
            }
        }
    }

    /// How far right of `left`'s points `right`'s lie where the two come closest: the least,
    /// over bands of height, of right's leftmost minus left's rightmost point (their
    /// extents' distance when they share no band).
    static func closest(_ left: [SIMD2<Float>], _ right: [SIMD2<Float>]) -> Float {
        let bands = 80, band = { (p: SIMD2<Float>) in min(bands - 1, max(0, Int((p.y + 0.25) / 1.5 * Float(bands)))) }
        var rightmost = [Float](repeating: -.infinity, count: bands), leftmost = [Float](repeating: .infinity, count: bands)
        for p in left { rightmost[band(p)] = max(rightmost[band(p)], p.x) }
        for p in right { leftmost[band(p)] = min(leftmost[band(p)], p.x) }
        let shared = (0..<bands).filter { rightmost[$0] > -.infinity && leftmost[$0] < .infinity }
        guard !shared.isEmpty else { return (right.map(\.x).min() ?? 0) - (left.map(\.x).max() ?? 0) }
        return shared.map { leftmost[$0] - rightmost[$0] }.min()!
    }

    /// About N(0, 1): the sum of three uniforms, rescaled (bounded, so no point flies off).
    static func normal(_ rng: inout Xoshiro256) -> Float {
        (rng.nextUnitFloat() + rng.nextUnitFloat() + rng.nextUnitFloat() - 1.5) * 2
    }

    /// The Catmull-Rom curve through `p`, sampled about `step` apart.
    static func spline(_ p: [SIMD2<Float>]) -> [SIMD2<Float>] {
        guard p.count > 1 else { return p }
        var out = [p[0]]
        for i in 0..<(p.count - 1) {
            let a = p[max(0, i - 1)], b = p[i], c = p[i + 1], d = p[min(p.count - 1, i + 2)]
            let length = ((c - b) * (c - b)).sum().squareRoot()
            let n = max(1, Int(length / step))
            for k in 1...n {
                let t = Float(k) / Float(n), t2 = t * t, t3 = t2 * t
                let c1: SIMD2<Float> = c - a
                let c2: SIMD2<Float> = 2 * a - 5 * b + 4 * c - d
                let c3: SIMD2<Float> = 3 * b - a - 3 * c + d
                let q: SIMD2<Float> = b + 0.5 * (c1 * t + c2 * t2 + c3 * t3)
                out.append(q)
            }
        }
        return out
    }

    /// Each sample replaced by the mean of the `k` on each side (fewer near the ends, which
    /// stay where they are): corners become curves whose radius grows with k.
    static func rounded(_ p: [SIMD2<Float>], by k: Int) -> [SIMD2<Float>] {
        guard k > 0, p.count > 2 else { return p }
        return p.indices.map { i in
            let r = min(k, i, p.count - 1 - i)
            var sum = SIMD2<Float>()
            for j in (i - r)...(i + r) { sum += p[j] }
            return sum / Float(2 * r + 1)
        }
    }
}
