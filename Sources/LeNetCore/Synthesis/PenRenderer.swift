/// Ink laid by a round pen along a trajectory: at each sample a disc of the pen's width
/// (swelling and thinning with the pressure, thinner at a fast stroke's ends), its edge
/// anti-aliased over a pixel; where discs overlap the ink is the darkest, not the sum, as
/// a pen's ink is.
package enum PenRenderer {
    /// Dark ink (0) on white paper (255), `side` x `side`, the digit fitted `height` pixels high.
    package static func render(_ path: PenTrajectory, _ style: PenStyle, side: Int, height: Int, _ rng: inout Xoshiro256) -> GrayImage {
        let (lo, hi) = bounds(path)
        let size = hi - lo, scale = min(Float(height) / max(size.y, 1e-3), Float(side) * 0.85 / max(size.x, 1e-3))
        return render(path, style, width: side, height: side, scale: scale, centre: (lo + hi) / 2, &rng)
    }

    /// A number: the digits `height` pixels high, `margin` pixels of paper around the ink.
    package static func render(number path: PenTrajectory, _ style: PenStyle, height: Int, margin: Int, _ rng: inout Xoshiro256) -> GrayImage {
        let g = numberGeometry(path, height: height, margin: margin)
        return render(path, style, width: g.width, height: g.height, scale: g.scale, centre: g.centre, &rng)
    }

    /// The number as `render(number:)` draws it, and where each digit's own ink lies on that
    /// canvas (darker than mid-grey drawn alone): which digit a piece of the number holds.
    /// Each digit is drawn alone, the random draws running on as in one drawing of them all,
    /// and the number is the darkest of them: the same ink bit for bit (overlapping discs
    /// keep the darkest too), each stroke drawn once.
    package static func renderWithDigits(number path: PenTrajectory, _ style: PenStyle, height: Int, margin: Int,
                                         _ rng: inout Xoshiro256) -> (picture: GrayImage, digits: [[Bool]]) {
        let g = numberGeometry(path, height: height, margin: margin)
        var whole = [Float](repeating: 0, count: g.width * g.height)
        let digits = path.digits.map { range -> [Bool] in
            var one = path
            one.strokes = Array(path.strokes[range])
            let ink = inked(one, style, width: g.width, height: g.height, scale: g.scale, centre: g.centre, &rng)
            for i in whole.indices { whole[i] = max(whole[i], ink[i]) }
            return ink.map { gray($0) < 128 }
        }
        return (GrayImage(width: g.width, height: g.height, pixels: whole.map(gray)), digits)
    }

    package static func numberGeometry(_ path: PenTrajectory, height: Int, margin: Int) -> (width: Int, height: Int, scale: Float, centre: SIMD2<Float>) {
        let (lo, hi) = bounds(path)
        let scale = Float(height) / max(hi.y - lo.y, 1e-3)
        return (Int(((hi.x - lo.x) * scale).rounded(.up)) + 2 * margin, height + 2 * margin, scale, (lo + hi) / 2)
    }

    static func bounds(_ path: PenTrajectory) -> (SIMD2<Float>, SIMD2<Float>) {
        var lo = SIMD2<Float>(repeating: .infinity), hi = SIMD2<Float>(repeating: -.infinity)
        for stroke in path.strokes {
            for p in stroke {
                lo = pointwiseMin(lo, p)
                hi = pointwiseMax(hi, p)
            }
        }
        return (lo, hi)
    }

    package static func render(_ path: PenTrajectory, _ style: PenStyle, width: Int, height: Int, scale: Float, centre: SIMD2<Float>,
                       _ rng: inout Xoshiro256) -> GrayImage {
        GrayImage(width: width, height: height, pixels: inked(path, style, width: width, height: height, scale: scale, centre: centre, &rng).map(gray))
    }

    /// A pixel of ink cover (0 paper to 1 ink) as grey, dark ink on white paper, rounded half
    /// away from zero as `rounded()` does but without its call into libm: every pixel drawn
    /// passes here. The grey is in [0, 255], so its whole part and the rest are exact.
    package static func gray(_ cover: Float) -> UInt8 {
        let x = 255 * (1 - min(1, cover)), whole = Int(x)
        return UInt8(x - Float(whole) >= 0.5 ? whole + 1 : whole)
    }

    /// The pen's ink cover along the path, 0 paper to 1 ink.
    static func inked(_ path: PenTrajectory, _ style: PenStyle, width: Int, height: Int, scale: Float, centre: SIMD2<Float>,
                      _ rng: inout Xoshiro256) -> [Float] {
        let middle = SIMD2(Float(width), Float(height)) / 2
        let radius = max(0.5, style.penWidth * scale / 2)
        var ink = [Float](repeating: 0, count: width * height)
        for stroke in path.strokes {
            let phase = rng.nextFloat(0, 2 * .pi), cycles = rng.nextFloat(0.5, 2)
            for (i, p) in stroke.enumerated() {
                let t = Float(i) / Float(max(1, stroke.count - 1))
                let swell = 1 + style.pressure * LibC.sin(phase + 2 * .pi * cycles * t)
                // A fast hand lands and lifts the pen in motion: the ends thin out.
                let ends = min(t, 1 - t) * 12, taper = 1 - style.speed * 0.45 * max(0, 1 - ends)
                stamp(&ink, width: width, height: height, (p - centre) * scale + middle, radius * swell * taper)
            }
        }
        return ink
    }

    /// A disc of radius r at c on `ink` (width x height, 0 paper to 1 ink): coverage 1
    /// inside, falling to 0 over the pixel at its edge; where ink is already darker it stays.
    /// Not inlined: a copy in each of render's callers cost the library 2.6 KB of its budget.
    @inline(never)
    package static func stamp(_ ink: inout [Float], width: Int, height: Int, _ c: SIMD2<Float>, _ r: Float) {
        let x0 = max(0, Int((c.x - r - 1).rounded(.down))), x1 = min(width - 1, Int((c.x + r + 1).rounded(.up)))
        let y0 = max(0, Int((c.y - r - 1).rounded(.down))), y1 = min(height - 1, Int((c.y + r + 1).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        // Eight pixels of a row at a time, the same arithmetic per pixel as one at a time
        // (the square root and the clamps are exact), so the ink is the same bit for bit;
        // most of a training run's pictures are drawn here. A chunk may run past the disc's
        // box within the row: there the cover is 0, and the ink stays as it was.
        let lanes = SIMD8<Float>(0, 1, 2, 3, 4, 5, 6, 7)
        ink.withUnsafeMutableBufferPointer { ink in
            for y in y0...y1 {
                let dy = Float(y) + 0.5 - c.y, row = y * width
                var x = x0
                while x <= x1 {
                    if x + 8 <= width {
                        let dx = SIMD8<Float>(repeating: Float(x)) + lanes + 0.5 - c.x
                        var cover = r + 0.5 - (dx * dx + dy * dy).squareRoot()
                        cover.replace(with: 0, where: cover .< 0)
                        cover.replace(with: 1, where: cover .> 1)
                        let at = UnsafeMutableRawPointer(ink.baseAddress! + row + x)
                        let old = at.loadUnaligned(as: SIMD8<Float>.self)
                        at.storeBytes(of: old.replacing(with: cover, where: cover .> old), as: SIMD8<Float>.self)
                        x += 8
                    } else {
                        let dx = Float(x) + 0.5 - c.x
                        let cover = min(1, max(0, r + 0.5 - (dx * dx + dy * dy).squareRoot()))
                        ink[row + x] = max(ink[row + x], cover)
                        x += 1
                    }
                }
            }
        }
    }
}
