import LeNetCore
import Testing

/// The pen's drawing, made faster, against its plain twins: the disc laid eight pixels at a
/// time and one pixel at a time, a number drawn digit by digit and whole, the grey rounded
/// without libm and with it. The same ink bit for bit. TrainingRecipeTests fingerprints the
/// training data drawn with them.
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

    /// A number drawn digit by digit (training's cut pieces need each digit's ink) is the
    /// number drawn whole, and each digit's ink is that digit drawn alone with the random
    /// draws running on from the digits before it, as it was drawn before.
    @Test func aNumberDrawnDigitByDigitIsTheNumberDrawnWhole() {
        var touched = 0
        for n in 0..<24 {
            var rng = Xoshiro256(seed: 300 + UInt64(n))
            let forms = [n % 10, 8, (n * 7) % 10].map { d in Letterforms.byDigit[d][rng.nextInt(below: Letterforms.byDigit[d].count)] }
            let style = PenStyle.random(.training, &rng)
            // The first two digits' strokes meet, the other two stand apart.
            let path = PenTrajectory(forms: forms, gaps: [-style.penWidth * 0.7, 0.2], style, &rng)
            var whole = rng, apart = rng, alone = rng
            let picture = PenRenderer.render(number: path, style, height: 44, margin: 10, &whole)
            let (drawn, digits) = PenRenderer.renderWithDigits(number: path, style, height: 44, margin: 10, &apart)
            #expect(drawn.width == picture.width && drawn.height == picture.height)
            #expect(zip(drawn.pixels, picture.pixels).filter { $0 != $1 }.count == 0, "number \(n)")
            let g = PenRenderer.numberGeometry(path, height: 44, margin: 10)
            #expect(digits.count == 3)
            for (k, range) in path.digits.enumerated() {
                var one = path
                one.strokes = Array(path.strokes[range])
                let own = PenRenderer.render(one, style, width: g.width, height: g.height, scale: g.scale, centre: g.centre, &alone)
                let differ = zip(digits[k], own.pixels).filter { $0 != ($1 < 128) }.count
                #expect(digits[k].count == own.pixels.count && differ == 0, "number \(n), digit \(k): \(differ) pixels differ")
            }
            if zip(digits[0], digits[1]).contains(where: { $0 && $1 }) { touched += 1 }
        }
        #expect(touched >= 12, "\(touched) of 24 numbers had two digits' ink overlap")
    }

    /// Every cover becomes the grey `rounded()` gives, on both sides of each half-way grey.
    @Test func aCoverBecomesTheGreyRoundedAwayFromZero() {
        func plain(_ c: Float) -> UInt8 { UInt8((255 * (1 - min(1, c))).rounded()) }
        var covers = stride(from: UInt32(0), through: Float(1).bitPattern, by: 4099).map { Float(bitPattern: $0) } + [1, 1.5, 0]
        for k in 0..<255 {
            var c = 1 - (Float(k) + 0.5) / 255
            for _ in 0..<64 { c = c.nextDown }
            for _ in 0..<128 { covers.append(c); c = c.nextUp }
        }
        let differ = covers.filter { PenRenderer.gray($0) != plain($0) }
        #expect(differ.count == 0, "covers that round otherwise, e.g. \(differ.prefix(3))")
        #expect(Set(covers.map(PenRenderer.gray)).count == 256)
    }
}
