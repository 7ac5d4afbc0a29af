import LeNetCore

/// A user's own labelled pictures for `lenet train --images`: read once through the same
/// preprocessing as `lenet predict` (the 28x28 kept in memory, so an epoch costs what
/// MNIST's do), the unreadable ones listed and left out, a share held back to measure the
/// model on, the rest mixed with MNIST or repeated to fill an epoch.
struct TrainingPictures {
    /// Metadata keys: where the pictures were and what they held, so that a checkpoint
    /// tells which pictures it saw and --resume can check it reads the same ones.
    static let folderKey = "training.pictures", digestKey = "training.pictures.digest", countKey = "training.pictures.count"
    static let shareKey = "training.pictures.share", validationKey = "training.validation"
    static let initKey = "training.init", initDigestKey = "training.init.digest"

    /// Trained alone, the pictures are repeated until an epoch holds this many (100
    /// batches of 64), each time augmented differently: a few dozen pictures make no epoch.
    static let aloneEpoch = 6_400

    /// Where a run's pictures are and how it uses them; `digest` what a resumed run must find.
    struct Plan {
        var folder: String
        /// Their share of an epoch beside MNIST, and the share of them held back.
        var share: Double
        var validation: Double
        var digest: String?
    }

    var plan: Plan
    var all: DigitSet
    var train: DigitSet
    var validation: DigitSet
    var folder: String { plan.folder }

    /// Reads the plan's pictures on `threads` cores and holds its share of them back (drawn
    /// from `seed`). A picture that cannot be read is listed on stderr and left out.
    static func load(_ plan: Plan, seed: UInt64, threads: Int) throws -> TrainingPictures {
        let folder = plan.folder
        let set = try Eval.pictures(folder, limit: nil, threads: threads)
        if !set.unreadable.isEmpty {
            Terminal.error("\(set.unreadable.count) picture(s) in \(folder) could not be read and are left out:")
            for u in set.unreadable.prefix(20) { Terminal.error("  " + Terminal.printable(u.error.hasPrefix(u.file) ? u.error : "\(u.file): \(u.error)")) }
            if set.unreadable.count > 20 { Terminal.error("  ... and \(set.unreadable.count - 20) more") }
        }
        guard set.count > 0 else { throw ValidationError("none of the \(set.unreadable.count) picture(s) in \(folder) could be read: there is nothing to train on") }
        let all = try DigitSet(images: set.digits, labels: set.labels)
        let (train, validation) = try all.heldBack(plan.validation, seed: seed)
        return TrainingPictures(plan: plan, all: all, train: train, validation: validation)
    }

    /// The epoch's training set: MNIST's digits with the pictures repeated to the plan's
    /// share of it, or the pictures alone, repeated to `aloneEpoch`.
    func trainingSet(mnist: DigitSet?) throws -> DigitSet {
        guard let mnist else { return train.repeated(to: Self.aloneEpoch) }
        return try mnist.mixing(train, share: plan.share)
    }

    /// What the checkpoint records of the pictures (their share only when mixed with MNIST).
    func metadata(mixed: Bool) -> [(String, String)] {
        [(Self.folderKey, folder), (Self.countKey, "\(all.count)"), (Self.digestKey, all.digest), (Self.validationKey, "\(plan.validation)")]
            + (mixed ? [(Self.shareKey, "\(plan.share)")] : [])
    }
}
