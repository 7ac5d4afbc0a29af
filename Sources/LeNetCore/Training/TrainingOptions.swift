/// Everything that decides a training run's arithmetic. Two runs with equal options and
/// data produce bit-identical models, whatever the thread count.
public struct TrainingOptions: Sendable, Equatable {
    public var epochs = 10
    public var batchSize = 64
    public var optimizer = OptimizerSettings()
    public var seed: UInt64 = 1
    // Both on by default since 0.5: MNIST 99.34-99.37% over seeds 1-2 (99.11-99.19% with
    // neither), digits in hands MNIST lacks read 98.6-99.9% instead of 91.7-97.5%, in 1.65x
    // the time (benchmarks/README.md, "Handwriting MNIST lacks"). Augmentation also draws
    // some digits bold (Augmentation.boldShare).
    public var augment = true
    /// Digits written by the stroke model (PenDigits) added to the training set, as a share
    /// of it (0.2: 12,000 beside MNIST's 60,000): the letterforms and hands MNIST's writers
    /// rarely show. Drawn from the seed, the same for every run with these options and data.
    public var penShare: Float = 0.2
    /// Pictures of two touching digits written by the stroke model, taught "no single
    /// digit" (the uniform answer, `TrainingLabel.noDigit`), and as many digits cut out of
    /// other such pairs as a number's reader cuts them (`PenDigits.cutPieces`), taught as
    /// their digits; as a share of the training set. A model unsure of an uncut pair lets
    /// the reader cut it, and one that reads a digit with a sliver of its neighbour reads
    /// the cut. Drawn from the seed like the pen digits. 0.05 (3,000 and 3,000 beside
    /// MNIST's 60,000) in 0.6, chosen on make_numbers.py's seed 11 with the reader's costs
    /// (Predictor.digitCost): touching pairs 26.5% -> 62% read whole with the pairs alone,
    /// 70-72% with the cut digits too; 0.1 then cost printed numbers (96.5-99.3%: a bold 8
    /// or 4 taken for two). 0.1 now, with a quarter of the pen digits written as print
    /// (PenDigits.printShare), which keeps bold glyphs whole: seeds 11-13, models of seeds
    /// 1-4, touching pairs 80.0% -> 82.9% whole, printed numbers 99.5-100%.
    public var pairShare: Float = 0.1
    public var schedule = LearningRateSchedule.cosine
    public var normalization = Normalization.mnist

    /// 784 bytes each: a million is 784 MB, beside MNIST's 47 (pen digits and pairs each).
    public static let maxPenDigits = 1_000_000

    /// How many pen digits a training set of `count` digits gets.
    public func penDigits(besides count: Int) throws -> Int { try written(penShare, of: count, "pen share", "pen digits") }

    /// How many touching pairs a training set of `count` digits gets.
    public func touchingPairs(besides count: Int) throws -> Int { try written(pairShare, of: count, "pair share", "touching pairs") }

    private func written(_ share: Float, of count: Int, _ name: String, _ what: String) throws -> Int {
        let n = Int((Float(count) * share).rounded())
        guard n <= Self.maxPenDigits else {
            throw LeNetError.invalidArgument("a \(name) of \(share) of \(count) digits is \(n) \(what), more than \(Self.maxPenDigits)")
        }
        return n
    }

    public init() {}

    public func validate() throws {
        guard epochs >= 1, epochs <= 100_000 else { throw LeNetError.invalidArgument("epochs must be between 1 and 100000, got \(epochs)") }
        // A batch keeps each group of 8's convolution gradient (10 KB) and each image's
        // rows for the dense layers' gradient (3.3 KB): 4096 bounds that at about 19 MB.
        guard batchSize >= 1, batchSize <= 4096 else {
            throw LeNetError.invalidArgument("batch size must be between 1 and 4096, got \(batchSize)")
        }
        let lr = optimizer.learningRate
        guard lr.isFinite, lr > 0, lr < 10 else { throw LeNetError.invalidArgument("learning rate must be in (0, 10), got \(lr)") }
        guard optimizer.momentum >= 0, optimizer.momentum < 1 else {
            throw LeNetError.invalidArgument("momentum must be in [0, 1), got \(optimizer.momentum)")
        }
        guard penShare >= 0, penShare <= 10 else { throw LeNetError.invalidArgument("pen share must be in [0, 10], got \(penShare)") }
        guard pairShare >= 0, pairShare <= 10 else { throw LeNetError.invalidArgument("pair share must be in [0, 10], got \(pairShare)") }
        if let problem = normalization.problem { throw LeNetError.invalidArgument(problem) }
    }
}
