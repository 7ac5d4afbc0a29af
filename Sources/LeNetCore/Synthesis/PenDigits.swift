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
        var rng = Xoshiro256(seed: seed ^ 0x4E55_4D42_4552_5321 &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let forms = digits.map { d in Letterforms.byDigit[d][rng.nextInt(below: Letterforms.byDigit[d].count)] }
        let style = PenStyle.random(ranges, &rng)
        var between = (1..<max(1, digits.count)).map { _ in rng.nextFloat(gaps.lowerBound, gaps.upperBound) }
        // The two paths come within half a pen's width of each other: their ink meets, however
        // thin a fast stroke's end.
        if let t = touching, between.indices.contains(t) { between[t] = -style.penWidth * rng.nextFloat(0.5, 0.9) }
        let path = PenTrajectory(forms: forms, gaps: between, style, &rng)
        return (PenRenderer.render(number: path, style, height: height, margin: 10, &rng), forms, style)
    }

    /// The seed a training run with `seed` writes its digits with: none that `lenet synth`
    /// writes with a small seed, so evaluation sets drawn there are digits training never saw.
    package static func trainingSeed(_ seed: UInt64) -> UInt64 { (seed &* 0x2545_F491_4F6C_DD1D) ^ 0x7472_6169_6E69_6E67 }

    /// `count` digits as a training set.
    package static func set(count: Int, seed: UInt64, ranges: PenStyle.Ranges = .training, threads: Int) throws -> DigitSet {
        let images = try preprocessed(count: count, threads: threads) {
            try? DigitPreprocessing.mnistDigit(from: written($0, seed: seed, ranges: ranges).picture)
        }
        return try DigitSet(images: images, labels: (0..<count).map { UInt8($0 % 10) })
    }

    /// `count` pictures of two digits whose strokes touch, each written by one hand and
    /// taken to 28x28 as a picture of one digit would be (as a number's reader shows its
    /// model a stretch it has not cut), labelled `TrainingLabel.noDigit`. Pair i depends
    /// only on (seed, i).
    package static func touchingPairs(count: Int, seed: UInt64, ranges: PenStyle.Ranges = .training, threads: Int) throws -> DigitSet {
        let images = try preprocessed(count: count, threads: threads) { i in
            var rng = Xoshiro256(seed: seed ^ 0x5041_4952_5354_4F55 &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            let digits = [rng.nextInt(below: 10), rng.nextInt(below: 10)]
            return try? DigitPreprocessing.mnistDigit(from: writtenNumber(digits, i, seed: seed, ranges: ranges, gaps: numberGaps, touching: 0).picture)
        }
        return DigitSet.noDigits(images: images)
    }

    /// The paper between two digits of a number, in digit heights (`lenet synth`'s default):
    /// from nearly touching to a third of a digit's height.
    package static let numberGaps: ClosedRange<Float> = 0.03...0.35

    /// Pictures 0..<count, each made by `digit` as its 28x28 (nil: none could be made), in
    /// parallel: the same bytes for any thread count.
    private static func preprocessed(count: Int, threads: Int, _ digit: @Sendable @escaping (Int) -> [UInt8]?) throws -> [UInt8] {
        var images = [UInt8](repeating: 0, count: count * DigitSet.pixels)
        let failed = images.withUnsafeMutableBufferPointer { out -> Bool in
            let base = out.baseAddress!
            var failures = [Bool](repeating: false, count: count)
            failures.withUnsafeMutableBufferPointer { flags in
                let flag = flags.baseAddress!
                parallelFor(tasks: count, threads: threads) { i in
                    guard let digit = digit(i) else {
                        flag[i] = true
                        return
                    }
                    (base + i * DigitSet.pixels).update(from: digit, count: DigitSet.pixels)
                }
            }
            return failures.contains(true)
        }
        // A written digit always has ink; a failure here is a bug in the stroke model.
        guard !failed else { throw LeNetError.invalidArgument("the stroke model wrote a picture without a digit") }
        return images
    }
}
