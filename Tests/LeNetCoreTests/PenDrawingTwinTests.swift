import LeNetCore
import Testing

/// The pen's disc, laid eight pixels at a time, against its plain twin one pixel at a time:
/// the same ink bit for bit, anywhere, against any edge of the canvas. TrainingRecipeTests
/// fingerprints the training data drawn with it.
@Suite struct PenDrawingTwinTests {
    /// The disc as PenRenderer laid it before it went eight pixels at a time.
    func stampedOneByOne(_ ink: inout [Float], width: Int, height: Int, _ c: SIMD2<Float>, _ r: Float) {
        let x0 = max(0, Int((c.x - r - 1).rounded(.down))), x1 = min(width - 1, Int((c.x + r + 1).rounded(.up)))
        let y0 = max(0, Int((c.y - r - 1).rounded(.down))), y1 = min(height - 1, Int((c.y + r + 1).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            let dy = Float(y) + 0.5 - c.y
            for x in x0...x1 {
                let dx = Float(x) + 0.5 - c.x
                let cover = min(1, max(0, r + 0.5 - (dx * dx + dy * dy).squareRoot()))
                ink[y * width + x] = max(ink[y * width + x], cover)
            }
        }
    }

    @Test func aDiscLaidEightPixelsAtATimeIsTheSameInk() {
        var rng = Xoshiro256(seed: 17)
        for (width, height) in [(29, 23), (8, 8), (5, 40), (64, 44)] {
            // Rounds of a dozen discs on a fresh canvas: enough to overlap, few enough to
            // leave edges.
            for round in 0..<40 {
                var ink = [Float](repeating: 0, count: width * height), twin = ink
                for _ in 0..<12 {
                    // Centres up to a few pixels off the canvas, radii from a hairline to a marker.
                    let c = SIMD2(rng.nextFloat(-4, Float(width) + 4), rng.nextFloat(-4, Float(height) + 4)), r = rng.nextFloat(0.5, 4)
                    PenRenderer.stamp(&ink, width: width, height: height, c, r)
                    stampedOneByOne(&twin, width: width, height: height, c, r)
                }
                let differ = zip(ink, twin).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differ == 0, "\(differ) pixels differ on \(width)x\(height), round \(round)")
                if round == 0 { #expect(ink.contains { $0 > 0 && $0 < 1 }, "ink laid, its edges anti-aliased") }
            }
        }
    }
}
