/// A digit read from a picture of a number: its label, the ten probabilities, and where it
/// is in the picture (pixels, the box of its strokes).
public struct ReadDigit: Sendable, Equatable {
    public var label: Int
    public var probabilities: [Float]
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    /// The 28x28 digit the model saw.
    public var digit: [UInt8]
}

/// A number read from a page: its digits left to right and the box around them (pixels).
public struct ReadNumber: Sendable, Equatable {
    public var digits: [ReadDigit]
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// The digits as text, "2026".
    public var text: String { String(digits.map { Character(String($0.label)) }) }

    init(_ digits: [ReadDigit]) {
        self.digits = digits
        let x0 = digits.map(\.x).min() ?? 0, y0 = digits.map(\.y).min() ?? 0
        x = x0; y = y0
        width = (digits.map { $0.x + $0.width }.max() ?? x0) - x0
        height = (digits.map { $0.y + $0.height }.max() ?? y0) - y0
    }
}

extension Predictor {
    /// The numbers on a picture (a form's fields), in reading order: PageLayout groups the
    /// strokes into numbers and each is read as a number alone. A picture whose writing is
    /// one number is read as it is, as read(image:) reads it.
    public func readNumbers(image: GrayImage) throws -> [ReadNumber] {
        let found = try NumberSegmentation.ink(image)
        let (numbers, marks) = found.layout
        guard numbers.count > 1 || marks > 0 else { return [ReadNumber(try reading(found))] }
        return try numbers.map { ReadNumber(try reading(found.number($0))) }
    }

    /// The best reading of one number: cut along its own slant (Deslant's estimate) and,
    /// while the reading the shears agree on so far has a digit not sure (`sureEnough`),
    /// along the next round of `otherSlants`. Each shear's best reading votes for its digits
    /// with its score (`agreed`). Another shear moves where touching and overlapping digits'
    /// columns part and shows the model each piece leaning another way: make_numbers.py
    /// seeds 11-13, models of seeds 1-4, whole numbers 93.6% -> 95.4% on average with the
    /// surest shear winning, touching pairs 82.9% -> 87.6%, printed 100% kept
    /// (benchmarks/README.md, "Touching digits, round 5"); 95.6% with the vote (round 6).
    package func reading(_ found: NumberSegmentation.Found, otherSlants: [[Double]] = Predictor.otherSlants,
                         voteScale: Double = Predictor.voteScale) throws -> [ReadDigit] {
        let slant = found.slant
        var readings = [scored(try NumberSegmentation.lattice(found, slant: slant, unsure: unsure))]
        var agreed = readings[0]
        for round in otherSlants {
            guard agreed.digits.contains(where: { $0.probabilities[$0.label] < Self.sureEnough }) else { break }
            for offset in round {
                // Another shear of the same ink has the same strokes; should one find no
                // digit, the readings before it stand.
                guard let lattice = try? NumberSegmentation.lattice(found, slant: slant + offset, unsure: unsure) else { continue }
                readings.append(scored(lattice))
            }
            agreed = readings[Self.agreed(readings.map { ($0.score, $0.digits.map(\.label)) }, scale: voteScale)]
        }
        return agreed.digits
    }

    /// Which of the shears' readings (each its score and its digits' labels) to keep: the
    /// number most of them read, each weighing exp(score / scale) (its probability,
    /// sharpened), and of the readings of that number the surest. A number that only one
    /// shear reads, a little surer than what several others read, no longer wins: a digit
    /// read right at most shears outvotes one shear's slip (make_numbers.py seeds 11-13,
    /// models of seeds 1-4: whole numbers 95.35% -> 95.55%; seeds 21 and 23 94.55% ->
    /// 95.22%, MNIST's writers side by side the largest share). At scale 0 the surest wins.
    package static func agreed(_ readings: [(score: Double, labels: [Int])], scale: Double) -> Int {
        var surest = 0
        for k in readings.indices where readings[k].score > readings[surest].score { surest = k }
        let top = readings[surest].score
        guard scale > 0, top > -.infinity else { return surest }
        // A handful of readings: each number's votes are summed at its surest reading (the
        // earliest of equals), and equal votes go to the surer number, then the earlier.
        var chosen = surest, most = 0.0
        for k in readings.indices where readings[k].score > -.infinity {
            var votes = 0.0, surestOfItsNumber = true
            for j in readings.indices where readings[j].labels == readings[k].labels {
                votes += LibC.exp((readings[j].score - top) / scale)
                if readings[j].score > readings[k].score || (readings[j].score == readings[k].score && j < k) { surestOfItsNumber = false }
            }
            if surestOfItsNumber, votes > most || (votes == most && readings[k].score > readings[chosen].score) { chosen = k; most = votes }
        }
        return chosen
    }

    /// How far the vote follows the scores: a shear's reading 0.3 less sure in
    /// log-probability weighs 1/e as much (0.2 and 0.5: within 0.1 points of it).
    static let voteScale = 0.3

    /// The shears tried beside a number's own, in x per y, a round at a time: +-0.2, then,
    /// if the reading is still unsure, +-0.4 and +-0.6 (seeds 11-13, models of seeds 1 and
    /// 2: +-0.2 alone 95.0% and 94.8% whole, +-0.15 and +-0.25 within 0.2 points of it;
    /// then +-0.4 95.4%, +-0.3 95.3%, +-0.5 95.4%, +-0.4 and +-0.6 95.5% and 95.7%, with
    /// +-0.8 too 95.4%; all six in one round 95.5% and 95.6%, trying more of them).
    static let otherSlants: [[Double]] = [[-0.2, 0.2], [-0.4, 0.4, -0.6, 0.6]]

    /// A reading whose digits are all this sure is not tried at more shears: most numbers
    /// are read once, and a sure reading is not traded for a surer misreading (0.99:
    /// 0.1-0.3 points more numbers whole than trying +-0.2 on every number, 0.9 and 0.999
    /// less; before the second round, 0.99 0.2 points more than 0.9).
    static let sureEnough: Float = 0.99

    /// The digits of a number on a picture, left to right. NumberSegmentation proposes
    /// candidates (groups joined into one digit, groups cut into several); every candidate
    /// digit is classified, and the reading of the whole picture with the highest sum of
    /// log-probabilities, less `digitCost` a digit, wins: a split or a join must make the
    /// digits surer to be chosen, and a digit wider than tall pays `widthCost`. A hand that
    /// slants is cut set upright (Deslant), its digits' columns apart again; a number read
    /// unsure is cut at more shears too, and the shears' readings vote (`agreed`).
    /// On a page of several numbers, their digits one number after another (readNumbers).
    public func read(image: GrayImage) throws -> [ReadDigit] {
        try readNumbers(image: image).flatMap(\.digits)
    }

    /// Which of these digits the model reads with less than `unsureBelow` certainty.
    private func unsure(_ digits: [[UInt8]]) -> [Bool] {
        guard !digits.isEmpty else { return [] }
        return classify(digits: digits.flatMap { $0 }, threads: 1).map { $0.probabilities[$0.label] < Self.unsureBelow }
    }

    /// A part no wider than the number's other parts is offered cuts too when the model reads
    /// it this unsure: a model taught touching pairs as no digit gives them 0.1-0.5, a digit
    /// 0.9 and more. 0.4: make_numbers.py seeds 11-13, default models of seeds 1 and 2:
    /// touching pairs 78.0-79.0% -> 80.2-81.8% whole, slanted 91.8-90.7% -> 94.0-92.5%,
    /// printed 100% -> 100-99.8%; 0.5 and 0.7 cut printed digits (99.0% and 97.3%), and so
    /// does any doubt with a model whose training saw no bold digits (Augmentation.boldShare:
    /// 0.6's default at 0.5, printed 94.8%). 0.25 with today's training (twice the touching
    /// pairs, PenDigits.printShare): models of seeds 1-4 read printed numbers 99.5-100% at
    /// 0.25 and 98.7-100% at 0.4, all numbers 93.6% and 93.7%.
    static let unsureBelow: Float = 0.25

    /// The best reading of a number's candidates and its score: every candidate digit
    /// classified at once, then the path through the lattice with the highest score, node
    /// by node.
    private func scored(_ lattice: NumberSegmentation.Lattice) -> (score: Double, digits: [ReadDigit]) {
        var digits = [UInt8]()
        for e in lattice.edges { digits += e.piece.digit }
        let answers = classify(digits: digits, threads: 1)
        let scores = zip(lattice.edges, answers).map { e, a in
            LibC.log(max(Double(a.probabilities[a.label]), 1e-12)) - Self.digitCost - Self.widthCost(e.piece.aspect)
        }
        var leaving = [[Int]](repeating: [], count: lattice.nodes)
        for e in lattice.edges.indices { leaving[lattice.edges[e].from].append(e) }
        // best[n]: the best reading from the start to node n, and the edge it arrives by.
        var best = [(score: Double, edge: Int)?](repeating: nil, count: lattice.nodes)
        best[0] = (0, -1)
        for n in 0..<lattice.nodes {
            guard let here = best[n] else { continue }
            for e in leaving[n] {
                let to = lattice.edges[e].to, total = here.score + scores[e]
                if best[to] == nil || total > best[to]!.score { best[to] = (total, e) }
            }
        }
        var picked = [Int](), at = lattice.nodes - 1
        while at > 0, let b = best[at], b.edge >= 0 {
            picked.append(b.edge)
            at = lattice.edges[b.edge].from
        }
        let chosen = picked.reversed().map { e in
            let p = lattice.edges[e].piece, a = answers[e]
            return ReadDigit(label: a.label, probabilities: a.probabilities, x: p.x0, y: p.y0, width: p.x1 - p.x0 + 1,
                             height: p.y1 - p.y0 + 1, digit: p.digit)
        }
        return (best[lattice.nodes - 1]?.score ?? -.infinity, chosen)
    }

    /// What one more digit costs a reading, in log-probability: a cut must make the digits
    /// surer by a fifth of a factor e. Set for models taught to answer touching pairs unsure
    /// (the default since 0.6, TrainingOptions.pairShare). 0.2 (1.0 at first): the touching
    /// pairs 1.0 missed were mostly read as one digit at 0.5-0.9 against two at 0.99 each,
    /// which a dear digit let win (make_numbers.py seeds 11-13, the default models of seeds 1
    /// and 2: touching pairs 69.2-69.8% -> 77.0-78.3% whole, all 89.0-89.4% -> 91.6-92.1%,
    /// printed 99.8% kept; at 0 MNIST's wide digits and printed 4s and 8s are cut in two,
    /// seeds 11 and 12: handwritten 86.5-88%, printed 98-99%). Models trained without pairs
    /// read touching numbers better with it too (0.5's default: 1% -> 31% on seed 11).
    static let digitCost = 0.2

    /// What a digit wider than digits are costs, in log-probability: nothing up to 1.5 times
    /// its height (MNIST's writers make wide 0s, 2s and 5s: their 99th percentile is 1.4-1.7
    /// times the height), then 1 a unit of width, so that a chain of touching digits read as
    /// one must be surer than the digits read apart. (1.2 and 2 at first: with cheap digits
    /// those cut a 5's long flag off as a digit of its own; seeds 11-13 read within 0.5
    /// points of each other from 1.3 to 1.8 and weights 1-2.)
    static func widthCost(_ aspect: Double) -> Double { max(0, aspect - widthFree) * widthWeight }
    static let widthFree = 1.5, widthWeight = 1.0

    /// The digits of a number on a PNG (its bytes).
    public func read(png: [UInt8], limits: ImageLimits = .default) throws -> [ReadDigit] {
        try read(image: PNGCodec.decodeGray(png, limits: limits))
    }

    /// The numbers on PNG files, spread over `threads` workers (DigitBatch.map): each as
    /// read(png:) reads the file alone, in input order, each with its own result.
    public func read(pngFiles paths: [String], limits: ImageLimits = .default,
                     threads: Int = Threads.defaultCount) -> [Result<[ReadDigit], any Error>] {
        DigitBatch.map(paths.count, threads: threads) { i in try DigitImage.withFile(paths[i]) { try read(png: $0, limits: limits) } }
    }

    /// The numbers on a PNG (its bytes), as readNumbers(image:) reads them.
    public func readNumbers(png: [UInt8], limits: ImageLimits = .default) throws -> [ReadNumber] {
        try readNumbers(image: PNGCodec.decodeGray(png, limits: limits))
    }

    /// The numbers on PNG files, spread over `threads` workers as read(pngFiles:) does.
    public func readNumbers(pngFiles paths: [String], limits: ImageLimits = .default,
                            threads: Int = Threads.defaultCount) -> [Result<[ReadNumber], any Error>] {
        DigitBatch.map(paths.count, threads: threads) { i in try DigitImage.withFile(paths[i]) { try readNumbers(png: $0, limits: limits) } }
    }

    /// The numbers on raw pixels (PixelConversion's formats).
    public func readNumbers(
        pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int = 0, format: PixelFormat, limits: ImageLimits = .default
    ) throws -> [ReadNumber] {
        try readNumbers(image: PixelConversion.gray(pixels, width: width, height: height, stride: stride, format: format, limits: limits))
    }

    /// The digits of a number on raw pixels (PixelConversion's formats).
    public func read(
        pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int = 0, format: PixelFormat, limits: ImageLimits = .default
    ) throws -> [ReadDigit] {
        try read(image: PixelConversion.gray(pixels, width: width, height: height, stride: stride, format: format, limits: limits))
    }
}
