/// The path of the pen for one written digit: a letterform's points, each moved by the
/// hand's wobble, joined by a Catmull-Rom spline (the smooth curve through them), rounded
/// by the hand's speed (a moving average over the path), then slanted, turned and scaled
/// by the style. Points are in the unit box, before fitting to a canvas.
package struct PenTrajectory {
    /// Each stroke's samples, about `step` apart along the curve.
    package var strokes: [[SIMD2<Float>]]

    static let step: Float = 0.006

    package init(_ form: Letterform, _ style: PenStyle, _ rng: inout Xoshiro256) {
        let cs = LibC.cos(style.radians), sn = LibC.sin(style.radians)
        strokes = form.strokes.map { points in
            let moved = points.map { $0 + SIMD2(Self.normal(&rng), Self.normal(&rng)) * style.wobble }
            let curve = Self.rounded(Self.spline(moved), by: Int(style.speed * 6))
            return curve.map { p in
                let slanted = SIMD2((p.x - 0.5) * style.aspect + style.slant * (0.5 - p.y), p.y - 0.5)
                return SIMD2(cs * slanted.x - sn * slanted.y, sn * slanted.x + cs * slanted.y) + 0.5
            }
        }
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
