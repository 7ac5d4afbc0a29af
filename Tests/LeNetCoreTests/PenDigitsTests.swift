import LeNetCore
import LeNetKernelAPI
import Testing

/// The handwriting model: every letterform drawn whole on its canvas, the style's slant and
/// pen width doing what they say, sets the same on any thread count and different per seed,
/// and training runs adding their share of pen digits.
@Suite struct PenDigitsTests {
    static let upright = PenStyle(slant: 0, radians: 0, aspect: 1, wobble: 0, penWidth: 0.1, pressure: 0, speed: 0)

    func drawn(_ form: Letterform, _ style: PenStyle = upright) -> GrayImage {
        var rng = Xoshiro256(seed: 3)
        return PenRenderer.render(PenTrajectory(form, style, &rng), style, side: 64, height: 44, &rng)
    }

    /// The box of the pixels darker than mid-grey.
    func inkBox(_ g: GrayImage) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        var box: (x0: Int, y0: Int, x1: Int, y1: Int)?
        for y in 0..<g.height {
            for x in 0..<g.width where g[x, y] < 128 {
                box = box.map { (min($0.x0, x), min($0.y0, y), max($0.x1, x), max($0.y1, y)) } ?? (x, y, x, y)
            }
        }
        return box
    }

    @Test func everyLetterformIsDrawnWholeAndReadableByThePreprocessing() throws {
        #expect(Set(Letterforms.all.map(\.digit)) == Set(0..<10))
        #expect(Set(Letterforms.all.map(\.key)).count == Letterforms.all.count, "keys are unique")
        for form in Letterforms.all {
            let g = drawn(form)
            let box = try #require(inkBox(g), "\(form.key) has no ink")
            // Fitted to 44 of 64 pixels high, nothing touches the canvas's edge.
            #expect(box.y1 - box.y0 >= 40 && box.y1 - box.y0 <= 48, "\(form.key): \(box)")
            #expect(box.x0 > 0 && box.y0 > 0 && box.x1 < 63 && box.y1 < 63, "\(form.key): \(box)")
            let digit = try DigitPreprocessing.mnistDigit(from: g)
            #expect(digit.contains { $0 > 200 }, "\(form.key) came out blank")
        }
    }

    /// Print's forms: two a digit in the order a set takes them (digit d at d and d + 10),
    /// each drawn whole, and the two only print has among them.
    @Test func typesetFormsAreTwoADigitInOrder() throws {
        #expect(Letterforms.typeset.count == 20)
        for (i, form) in Letterforms.typeset.enumerated() {
            #expect(form.digit == i % 10, "\(form.key) at \(i)")
            let box = try #require(inkBox(drawn(form)), "\(form.key) has no ink")
            #expect(box.y1 - box.y0 >= 40 && box.x0 > 0 && box.x1 < 63, "\(form.key): \(box)")
        }
        let keys = Set(Letterforms.typeset.map(\.key))
        #expect(keys.contains("4-foot") && keys.contains("8-small-top"))
        #expect(!Letterforms.all.contains { $0.key == "4-foot" || $0.key == "8-small-top" }, "print's own forms stay out of the hands'")
    }

    /// A training run's pen digits: the hands' first, then printShare of them as print,
    /// written upright with broad pens (more ink a digit than the hands' on average), each
    /// part labelled digit i as i % 10 and the same on any thread count.
    @Test func aQuarterOfTrainingPenDigitsArePrint() throws {
        let set = try PenDigits.trainingSet(count: 200, seed: 5, threads: 2)
        #expect(set.count == 200)
        #expect(try PenDigits.trainingSet(count: 200, seed: 5, threads: 1).images == set.images)
        let printed = Int(200 * PenDigits.printShare), hands = 200 - printed
        #expect(printed == 50)
        let labels: [UInt8] = (0..<hands).map { UInt8($0 % 10) } + (0..<printed).map { UInt8($0 % 10) }
        #expect(Array(set.labels) == labels)
        let alone = try PenDigits.set(count: hands, seed: 5, ranges: .trainingDigits, threads: 2)
        #expect(Array(set.images[0..<(hands * 784)]) == alone.images, "the hands' digits are the set's first")
        func meanInk(_ range: Range<Int>) -> Double {
            Double(range.reduce(0) { n, i in n + set.images[(i * 784)..<((i + 1) * 784)].filter { $0 > 128 }.count }) / Double(range.count)
        }
        #expect(meanInk(hands..<200) > 1.2 * meanInk(0..<hands), "print's pens are broad")
    }

    /// A slant of 0.5 leans a 1 to the right: its top half's ink sits right of its bottom's.
    @Test func slantLeansTheDigit() throws {
        let one = try #require(Letterforms.byDigit[1].first { $0.name == "stroke" })
        func lean(_ slant: Float) -> Double {
            var style = Self.upright
            style.slant = slant
            let g = drawn(one, style)
            var top = (sum: 0, n: 0), bottom = (sum: 0, n: 0)
            for y in 0..<g.height {
                for x in 0..<g.width where g[x, y] < 128 {
                    if y < 32 { top = (top.sum + x, top.n + 1) } else { bottom = (bottom.sum + x, bottom.n + 1) }
                }
            }
            return Double(top.sum) / Double(top.n) - Double(bottom.sum) / Double(bottom.n)
        }
        #expect(abs(lean(0)) < 2)
        #expect(lean(0.5) > 8)
        #expect(lean(-0.5) < -8)
    }

    @Test func aWiderPenLaysMoreInk() {
        let eight = Letterforms.byDigit[8][0]
        func ink(_ width: Float) -> Int {
            var style = Self.upright
            style.penWidth = width
            return drawn(eight, style).pixels.filter { $0 < 128 }.count
        }
        #expect(ink(0.04) * 2 < ink(0.12))
    }

    @Test func aSetIsTheSameOnAnyThreadCountAndDiffersPerSeed() throws {
        let one = try PenDigits.set(count: 30, seed: 9, threads: 1), two = try PenDigits.set(count: 30, seed: 9, threads: 2)
        #expect(one.images == two.images && one.labels == two.labels)
        #expect(one.labels == (0..<30).map { UInt8($0 % 10) })
        let other = try PenDigits.set(count: 30, seed: 10, threads: 2)
        #expect(other.images != one.images)
        #expect(PenDigits.trainingSeed(9) != 9)
    }

    /// Touching pairs: the same on any thread count, labelled no digit, two digits side by
    /// side in the 28x28 (wider ink than tall in most), another set per seed.
    @Test func touchingPairsAreTwoDigitsSideBySideLabelledNoDigit() throws {
        let one = try PenDigits.touchingPairs(count: 40, seed: 9, threads: 1)
        let two = try PenDigits.touchingPairs(count: 40, seed: 9, threads: 2)
        #expect(one.images == two.images && one.labels == two.labels)
        #expect(one.labels.allSatisfy { $0 == TrainingLabel.noDigit })
        #expect(try PenDigits.touchingPairs(count: 40, seed: 10, threads: 2).images != one.images)
        var wide = 0
        for i in 0..<one.count {
            let g = GrayImage(width: 28, height: 28, pixels: one.images[(i * 784)..<((i + 1) * 784)].map { 255 - $0 })
            let box = try #require(inkBox(g))
            if box.x1 - box.x0 > box.y1 - box.y0 { wide += 1 }
        }
        #expect(wide >= 30, "\(wide) of 40 pairs are wider than tall")
        // The public initialiser refuses the label: only the library makes such sets.
        #expect(throws: LeNetError.self) { try DigitSet(images: one.images, labels: one.labels) }
    }

    /// Digits cut out of touching pairs as the reader cuts them: the same on any thread
    /// count, nearly every one made, labelled with a digit, and read as that digit by the
    /// tests' model (trained on other seeds' pieces) far more often than chance: a piece
    /// labelled with the wrong side's digit would be read as its own.
    @Test func cutPiecesAreTheDigitsTheyHold() throws {
        let one = try PenDigits.cutPieces(count: 120, seed: 91, threads: 1)
        let two = try PenDigits.cutPieces(count: 120, seed: 91, threads: 2)
        #expect(one.images == two.images && one.labels == two.labels)
        #expect(one.count >= 110, "\(one.count) of 120 pieces made")
        #expect(one.labels.allSatisfy { $0 <= 9 })
        let answers = Predictor(parameters: Fixtures.trained.parameters).classify(digits: one.images, threads: 2)
        let right = zip(answers, one.labels).filter { $0.label == Int($1) }.count
        #expect(right * 10 >= one.count * 8, "\(right) of \(one.count) pieces read as their digit")
    }

    @Test func trainingAddsItsShareOfTouchingPairs() throws {
        var o = TrainingOptions()
        o.pairShare = 0.1
        #expect(try o.touchingPairs(besides: 60_000) == 6_000)
        o.pairShare = 0
        #expect(try o.touchingPairs(besides: 60_000) == 0)
        o.pairShare = 10
        #expect(throws: LeNetError.self) { try o.touchingPairs(besides: 200_000) }
    }

    /// A run adds its share of pen digits to the data (rounded), and none with a share of 0.
    @Test func trainingAddsItsShareOfPenDigits() throws {
        var o = TrainingOptions()
        #expect(try o.penDigits(besides: 60_000) == 12_000)
        o.penShare = 0.25
        #expect(try o.penDigits(besides: 10) == 3)
        o.penShare = 0
        #expect(try o.penDigits(besides: 60_000) == 0)
        o.penShare = 10
        #expect(throws: LeNetError.self) { try o.penDigits(besides: 200_000) }
        o.penShare = -0.1
        #expect(throws: LeNetError.self) { try o.validate() }
    }
}
