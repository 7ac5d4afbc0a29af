/// Where a run stands after one batch, for progress displays; returning false from the
/// progress callback stops training after that batch.
public struct BatchProgress: Sendable {
    public var epoch: Int          // 1-based
    public var batch: Int          // 1-based within the epoch
    public var batches: Int
    public var images: Int         // images seen this epoch
    public var meanLoss: Double    // over this epoch so far
    public var accuracy: Double    // over this epoch's digits so far
    /// The images seen this epoch that are digits: all but the touching pairs, which have
    /// no right answer.
    public var digits: Int
    public var learningRate: Double // of this batch's optimizer step
}

/// What one epoch of `Trainer.trainEpoch` measured.
package struct EpochResult: Sendable {
    package var epoch: Int
    package var loss: Double
    package var accuracy: Double
    package var images: Int
    /// The rate of the epoch's first optimizer step.
    package var learningRate: Double
}

/// One finished epoch, as a run reports it.
public struct EpochReport: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var loss: Double
    public var trainAccuracy: Double
    /// Accuracy on the test set, when the run has one.
    public var testAccuracy: Double?
    /// Seconds of the training loop of this epoch (evaluation excluded).
    public var seconds: Double
    public var images: Int
    /// The rate of the epoch's first optimizer step.
    public var learningRate: Double
    /// Accuracy on the pictures held back from training, when the run holds some back.
    public var validationAccuracy: Double? = nil
}
