import LeNetKernelAPI

/// Digits written by the stroke model: each a letterform of its digit in a style drawn from
/// `ranges`, rendered as dark ink on white paper, then taken to 28x28 by the preprocessing
/// users' pictures go through (so the network learns them as it will be shown them).
/// Digit i is i % 10 (the classes balanced) and depends only on (seed, i): the same set
/// for any thread count, and a set drawn with another seed shares no style with it.
package enum PenDigits {
    /// The canvas a digit is written on, and the digit's height in it.
    static let side = 64, height = 44

    /// Digit `index` of the set `seed` draws: its picture, letterform and style.
    /// With `forms`, digit i is written in forms[i % forms.count] instead.
    package static func written(_ index: Int, seed: UInt64, ranges: PenStyle.Ranges,
                                forms: [Letterform]? = nil) -> (picture: GrayImage, form: Letterform, style: PenStyle) {
        var rng = Xoshiro256(seed: seed ^ 0x5045_4E44_4947_4954 &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let ofDigit = Letterforms.byDigit[index % 10]
        let form = forms.map { $0[index % $0.count] } ?? ofDigit[rng.nextInt(below: ofDigit.count)]
        let style = PenStyle.random(ranges, &rng)
        let path = PenTrajectory(form, style, &rng)
        return (PenRenderer.render(path, style, side: side, height: height, &rng), form, style)
    }

    /// Picture `index` of the number `digits` written by one hand (one style), each digit in
    /// a form of its own, `gaps` apart (their ink's, in digit heights, drawn per pair);
    /// the pair after digit `touching` (0-based), if any, touches: its strokes meet.
    package static func writtenNumber(_ digits: [Int], _ index: Int, seed: UInt64, ranges: PenStyle.Ranges, gaps: ClosedRange<Float>,
                                      touching: Int? = nil) -> (picture: GrayImage, forms: [Letterform], style: PenStyle) {
        var (path, forms, style, rng) = numberPath(digits, index, seed: seed, ranges: ranges, gaps: gaps, touching: touching)
        return (PenRenderer.render(number: path, style, height: height, margin: 10, &rng), forms, style)
    }

    /// The same picture, and where each digit's own ink lies on it.
    package static func writtenNumberWithDigits(_ digits: [Int], _ index: Int, seed: UInt64, ranges: PenStyle.Ranges,
                                                gaps: ClosedRange<Float>, touching: Int? = nil) -> (picture: GrayImage, digits: [[Bool]]) {
        var (path, _, style, rng) = numberPath(digits, index, seed: seed, ranges: ranges, gaps: gaps, touching: touching)
        return PenRenderer.renderWithDigits(number: path, style, height: height, margin: 10, &rng)
    }

    private static func numberPath(_ digits: [Int], _ index: Int, seed: UInt64, ranges: PenStyle.Ranges, gaps: ClosedRange<Float>,
                                   touching: Int?) -> (PenTrajectory, [Letterform], PenStyle, Xoshiro256) {
        var rng = Xoshiro256(seed: seed ^ 0x4E55_4D42_4552_5321 &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let forms = digits.map { d in Letterforms.byDigit[d][rng.nextInt(below: Letterforms.byDigit[d].count)] }
        let style = PenStyle.random(ranges, &rng)
        var between = (1..<max(1, digits.count)).map { _ in rng.nextFloat(gaps.lowerBound, gaps.upperBound) }
        // The two paths come within half a pen's width of each other: their ink meets, however
        // thin a fast stroke's end.
        if let t = touching, between.indices.contains(t) { between[t] = -style.penWidth * rng.nextFloat(0.5, 0.9) }
        let path = PenTrajectory(forms: forms, gaps: between, style, &rng)
        return (path, forms, style, rng)
    }

    /// The share of a training run's pen digits written as print (Letterforms.typeset,
    /// PenStyle.Ranges.print), the rest in the hands of `trainingDigits`. A quarter (with
    /// touching pairs at 0.1, TrainingOptions.pairShare): make_numbers.py seeds 11-13,
    /// models of seeds 1-4, whole numbers 92.8% -> 93.4% on average, each seed 0.4-1.1
    /// points up, touching pairs 80.0% -> 81.9%, printed numbers 99.5-100% with all four
    /// (print as 4% more digits beside the hands', with or without print's own forms: 0.2
    /// and 0.4 points less).
    package static let printShare = 0.25

    /// The pen digits of a training run: `count` of them, printShare written as print.
    package static func trainingSet(count: Int, seed: UInt64, threads: Int) throws -> DigitSet {
        let printed = Int(Double(count) * printShare)
        let hands = try set(count: count - printed, seed: seed, ranges: .trainingDigits, threads: threads)
        guard printed > 0 else { return hands }
        return try hands.appending(set(count: printed, seed: printSeed(seed), ranges: .print, forms: Letterforms.typeset, threads: threads))
    }

    /// The seed print's digits are written with: another set than the hands' of `seed`.
    static func printSeed(_ seed: UInt64) -> UInt64 { seed ^ 0xB01D }

    /// The seed a training run with `seed` writes its digits with: none that `lenet synth`
    /// writes with a small seed, so evaluation sets drawn there are digits training never saw.
    package static func trainingSeed(_ seed: UInt64) -> UInt64 { (seed &* 0x2545_F491_4F6C_DD1D) ^ 0x7472_6169_6E69_6E67 }

    /// `count` digits as a training set (in `forms`, as written(forms:) takes them, if given).
    package static func set(count: Int, seed: UInt64, ranges: PenStyle.Ranges = .training, forms: [Letterform]? = nil,
                            threads: Int) throws -> DigitSet {
        let made = try preprocessed(count: count, threads: threads) { i in
            (try? DigitPreprocessing.mnistDigit(from: written(i, seed: seed, ranges: ranges, forms: forms).picture)).map { ($0, UInt8(i % 10)) }
        }
        return try DigitSet(images: made.images, labels: made.labels)
    }

    /// `count` pictures of two digits whose strokes touch, each written by one hand and
    /// taken to 28x28 as a picture of one digit would be (as a number's reader shows its
    /// model a stretch it has not cut), labelled `TrainingLabel.noDigit`. Pair i depends
    /// only on (seed, i).
    package static func touchingPairs(count: Int, seed: UInt64, ranges: PenStyle.Ranges = .training, threads: Int) throws -> DigitSet {
        let made = try preprocessed(count: count, threads: threads) { i in
            var rng = Xoshiro256(seed: seed ^ 0x5041_4952_5354_4F55 &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            let digits = [rng.nextInt(below: 10), rng.nextInt(below: 10)]
            let picture = writtenNumber(digits, i, seed: seed, ranges: ranges, gaps: numberGaps, touching: 0).picture
            return (try? DigitPreprocessing.mnistDigit(from: picture)).map { ($0, TrainingLabel.noDigit) }
        }
        return DigitSet.noDigits(images: made.images)
    }

    /// `count` digits as a number's reader cuts them out of touching pairs: each the piece on
    /// one side of one of the reader's cuts (NumberSegmentation's lattice of a pair's picture)
    /// that holds nearly all of one digit's ink (90%) and little of the other's (a quarter
    /// as much), labelled with that digit: a digit with a sliver of its neighbour, or
    /// missing one, as the model will be shown it. Piece i comes from the first of the
    /// pairs i * 16 + j that gives one (none of them: no piece i).
    package static func cutPieces(count: Int, seed: UInt64, ranges: PenStyle.Ranges = .training, threads: Int) throws -> DigitSet {
        let made = try preprocessed(count: count, threads: threads, skipping: true) { i in
            var rng = Xoshiro256(seed: seed ^ 0x4355_5450_4945_4345 &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            for j in 0..<16 {
                let digits = [rng.nextInt(below: 10), rng.nextInt(below: 10)]
                let (picture, ink) = writtenNumberWithDigits(digits, i * 16 + j, seed: seed ^ 0x4355_5453, ranges: ranges,
                                                             gaps: numberGaps, touching: 0)
                // The lattice's boxes first; only the piece picked is made a 28x28. Every part
                // is offered cuts, however narrow (NumberSegmentation.loneAspect keeps the
                // reader from cutting a narrow part alone unless the model doubts it).
                guard let found = try? NumberSegmentation.ink(picture),
                      let lattice = try? NumberSegmentation.lattice(found, slant: found.slant, unsure: doubtEvery, digits: false),
                      lattice.groups == 1 else { continue }
                // Each digit's ink in a box, from a summed-area table of both (the second
                // digit's count in the high half): the lattice offers dozens of boxes.
                let w = picture.width, sw = w + 1
                var sums = [Int](repeating: 0, count: sw * (picture.height + 1))
                for y in 0..<picture.height {
                    var run = 0
                    for x in 0..<w {
                        run += (ink[0][y * w + x] ? 1 : 0) + (ink[1][y * w + x] ? 1 << 32 : 0)
                        sums[(y + 1) * sw + x + 1] = sums[y * sw + x + 1] + run
                    }
                }
                func inside(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> SIMD2<Double> {
                    let s = sums[(y1 + 1) * sw + x1 + 1] - sums[y0 * sw + x1 + 1] - sums[(y1 + 1) * sw + x0] + sums[y0 * sw + x0]
                    return SIMD2(Double(s & 0xFFFF_FFFF), Double(s >> 32))
                }
                let total = inside(0, 0, w - 1, picture.height - 1)
                // The pieces from the pair's start to a cut (the first digit's) or from a cut
                // to its end (the second's) that hold one digit's ink and little of the other's.
                var good = [(edge: Int, digit: Int)]()
                for (k, e) in lattice.edges.enumerated() where (e.from == 0) != (e.to == lattice.nodes - 1) {
                    let p = e.piece, side = e.from == 0 ? 0 : 1
                    let counts = inside(max(0, p.x0), max(0, p.y0), min(w - 1, p.x1), min(picture.height - 1, p.y1))
                    let mine = counts[side], other = counts[1 - side]
                    if mine >= 0.9 * total[side], other <= 0.25 * mine { good.append((k, digits[side])) }
                }
                guard !good.isEmpty else { continue }
                let pick = good[rng.nextInt(below: good.count)]
                guard let digit = lattice.digit(pick.edge) else { continue }
                return (digit, UInt8(pick.digit))
            }
            return nil
        }
        return try DigitSet(images: made.images, labels: made.labels)
    }

    private static func doubtEvery(_ digits: [[UInt8]]) -> [Bool] { digits.map { _ in true } }

    /// The paper between two digits of a number, in digit heights (`lenet synth`'s default):
    /// from nearly touching to a third of a digit's height.
    package static let numberGaps: ClosedRange<Float> = 0.03...0.35

    /// Pictures 0..<count, each made by `digit` as its 28x28 and label (nil: none could be
    /// made), in parallel: the same bytes for any thread count. With `skipping`, the ones
    /// not made are left out; without, one not made is an error.
    private static func preprocessed(count: Int, threads: Int, skipping: Bool = false,
                                     _ digit: @Sendable @escaping (Int) -> (pixels: [UInt8], label: UInt8)?) throws
        -> (images: [UInt8], labels: [UInt8]) {
        var images = [UInt8](repeating: 0, count: count * DigitSet.pixels), labels = [UInt8](repeating: 0, count: count)
        let failed = images.withUnsafeMutableBufferPointer { out -> [Bool] in
            labels.withUnsafeMutableBufferPointer { labelsOut -> [Bool] in
                let base = out.baseAddress!, label = labelsOut.baseAddress!
                var failures = [Bool](repeating: false, count: count)
                failures.withUnsafeMutableBufferPointer { flags in
                    let flag = flags.baseAddress!
                    parallelFor(tasks: count, threads: threads) { i in
                        guard let made = digit(i) else {
                            flag[i] = true
                            return
                        }
                        (base + i * DigitSet.pixels).update(from: made.pixels, count: DigitSet.pixels)
                        label[i] = made.label
                    }
                }
                return failures
            }
        }
        guard failed.contains(true) else { return (images, labels) }
        // A written digit always has ink; a failure here is a bug in the stroke model.
        guard skipping else { throw LeNetError.invalidArgument("the stroke model wrote a picture without a digit") }
        let kept = failed.indices.filter { !failed[$0] }
        return (kept.flatMap { images[($0 * DigitSet.pixels)..<(($0 + 1) * DigitSet.pixels)] }, kept.map { labels[$0] })
    }
}
