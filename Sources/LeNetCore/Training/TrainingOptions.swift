/// Everything that decides a training run's arithmetic. Two runs with equal options and
/// data produce bit-identical models, whatever the thread count.
public struct TrainingOptions: Sendable, Equatable {
    public var epochs = 10
    public var batchSize = 64
    public var optimizer = OptimizerSettings()
    public var seed: UInt64 = 1
    public var augment = false
    public var schedule = LearningRateSchedule.cosine
    public var normalization = Normalization.mnist

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
        if let problem = normalization.problem { throw LeNetError.invalidArgument(problem) }
    }
}
