// The train service: the epoch loop `lenet train`, lenet_train and lenet_train_resume share.

extension Trainer {
    /// Continues the run a training checkpoint holds, with its history.
    public convenience init(resuming model: Model, threads: Int = Threads.defaultCount) throws {
        guard let state = model.training else {
            throw LeNetError.invalidArgument("the model is not a training checkpoint (it has no optimizer state)")
        }
        try self.init(resuming: state, threads: threads)
        history = try model.history() ?? TrainingHistory()
    }

    /// Trains until `targetEpochs`, evaluating on `test` and `validation` (if any) after
    /// every epoch (`validation`: pictures of the user's own held back from training); on
    /// `train` and the options' shares of pen digits and touching pairs (each pair whole and
    /// a digit cut out of another; written once, before the first epoch).
    /// `onBatch` sees every batch and may cancel (return false: `LeNetError.cancelled`);
    /// `onEpoch` receives the report and the model as it stands (with training state, to
    /// save or keep) and may throw to stop. The CLI and the C API both train through here.
    public func run(
        train: DigitSet, test: DigitSet?, validation: DigitSet? = nil,
        onBatch: (BatchProgress) -> Bool = { _ in true },
        onEpoch: (EpochReport, Model) throws -> Void
    ) throws {
        let pens = try options.penDigits(besides: train.count), pairs = try options.touchingPairs(besides: train.count)
        let seed = PenDigits.trainingSeed(options.seed)
        var train = train
        if pens > 0 { train = try train.appending(PenDigits.trainingSet(count: pens, seed: seed, threads: threads)) }
        if pairs > 0 {
            train = try train.appending(PenDigits.touchingPairs(count: pairs, seed: seed, threads: threads))
            train = try train.appending(PenDigits.cutPieces(count: pairs, seed: seed, threads: threads))
        }
        while epoch < targetEpochs {
            let start = monotonicSeconds()
            let result = try trainEpoch(train, progress: onBatch)
            let seconds = monotonicSeconds() - start
            let predictor = Predictor(parameters: parameters, normalization: options.normalization)
            func accuracy(_ set: DigitSet?) -> Double? {
                guard let set, set.count > 0 else { return nil }
                return predictor.evaluate(set, threads: threads).accuracy
            }
            let testAccuracy = accuracy(test), validationAccuracy = accuracy(validation)
            var info: [(key: String, value: String)] = [("accuracy.train", "\(result.accuracy)")]
            if let testAccuracy { info.append(("accuracy.test", "\(testAccuracy)")) }
            if let validationAccuracy { info.append(("accuracy.validation", "\(validationAccuracy)")) }
            info += [("training.images", "\(train.count)"), ("training.loss", "\(result.loss)")]
            history.append(.init(epoch: result.epoch, loss: result.loss, trainAccuracy: result.accuracy, testAccuracy: testAccuracy,
                                 learningRate: result.learningRate, validationAccuracy: validationAccuracy))
            info.append((TrainingHistory.metadataKey, history.encoded))
            let s = state
            var model = Model(parameters: s.parameters, normalization: options.normalization, info: info, training: s)
            // A run whose weights grew past what the network can carry stops before it writes.
            try model.markAnswersChecked()
            try onEpoch(EpochReport(epoch: result.epoch, epochs: targetEpochs, loss: result.loss, trainAccuracy: result.accuracy,
                                    testAccuracy: testAccuracy, seconds: seconds, images: result.images,
                                    learningRate: result.learningRate, validationAccuracy: validationAccuracy), model)
        }
    }
}
