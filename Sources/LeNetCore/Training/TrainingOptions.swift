#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
        // Each group of 8 keeps its own gradient (247 KB): 4096 bounds that at 126 MB.
        guard batchSize >= 1, batchSize <= 4096 else {
            throw LeNetError.invalidArgument("batch size must be between 1 and 4096, got \(batchSize)")
        }
        let lr = optimizer.learningRate
        guard lr.isFinite, lr > 0, lr < 10 else { throw LeNetError.invalidArgument("learning rate must be in (0, 10), got \(lr)") }
        guard optimizer.momentum >= 0, optimizer.momentum < 1 else {
            throw LeNetError.invalidArgument("momentum must be in [0, 1), got \(optimizer.momentum)")
        }
        guard normalization.std.isFinite, normalization.std > 0, normalization.mean.isFinite else {
            throw LeNetError.invalidArgument("normalisation std must be positive and mean finite")
        }
    }
}

/// How the learning rate moves over a run: constant, or cosine-annealed from the set rate
/// to zero over all the run's steps (`epochs` x batches per epoch), which lets the last
/// epochs settle into a minimum instead of hopping around it.
public enum LearningRateSchedule: String, Sendable, CaseIterable {
    case constant, cosine

    /// The rate for step `step` (0-based) of `total`.
    public func rate(_ base: Float, step: Int, total: Int) -> Float {
        switch self {
        case .constant: return base
        case .cosine:
            guard total > 0 else { return base }
            let t = Double(min(step, total)) / Double(total)
            return base * Float(0.5 * (1 + cosineOf(Double.pi * t)))
        }
    }
}

/// cos without Foundation.
func cosineOf(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.cos(x)
    #else
    return Musl.cos(x)
    #endif
}

/// Where a run stands after one batch, for progress displays; returning false from the
/// progress callback stops training after that batch.
public struct BatchProgress: Sendable {
    public var epoch: Int          // 1-based
    public var batch: Int          // 1-based within the epoch
    public var batches: Int
    public var images: Int         // images seen this epoch
    public var meanLoss: Double    // over this epoch so far
    public var accuracy: Double    // over this epoch so far
    public var learningRate: Double // of this batch's optimizer step
}

public struct EpochResult: Sendable {
    public var epoch: Int
    public var loss: Double
    public var accuracy: Double
    public var images: Int
    /// The rate of the epoch's first optimizer step.
    public var learningRate: Double
}
