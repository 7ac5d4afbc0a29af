import CLeNetTypes
import LeNetCore

/// The defaults of `lenet train` and Python's `lenet.train` (the library's one set): 10
/// epochs, batch 64, Adam with learning rate 2e-3 and cosine annealing, seed 1,
/// augmentation, a 0.2 share of pen digits, a 0.1 share of touching pairs, the library's
/// thread setting, no callback.
@_cdecl("lenet_train_default_params")
public func lenet_train_default_params() -> lenet_train_params {
    let o = TrainingOptions()
    return lenet_train_params(
        struct_size: MemoryLayout<lenet_train_params>.size, epochs: Int32(o.epochs), batch_size: Int32(o.batchSize),
        learning_rate: o.optimizer.learningRate, optimizer: cOptimizer(o.optimizer.kind), momentum: o.optimizer.momentum,
        lr_schedule: cSchedule(o.schedule), seed: o.seed, augment: o.augment ? 1 : 0, threads: 0, progress: nil, user_data: nil,
        checkpoint_path: nil, pen_share: o.penShare, init_model: nil, pair_share: o.pairShare)
}

private func cOptimizer(_ kind: OptimizerKind) -> lenet_optimizer {
    switch kind {
    case .adam: return LENET_OPTIMIZER_ADAM
    case .sgd: return LENET_OPTIMIZER_SGD
    }
}

private func cSchedule(_ schedule: LearningRateSchedule) -> lenet_lr_schedule {
    switch schedule {
    case .cosine: return LENET_LR_COSINE
    case .constant: return LENET_LR_CONSTANT
    }
}

/// Trains a new LeNet-5 on `train`, evaluating on `test` after every epoch (`test` may be
/// NULL). `params` comes from lenet_train_default_params(), then edited. The progress
/// callback, if any, runs on the calling thread after every batch and every epoch; when it
/// returns nonzero training stops and the function returns LENET_ERR_CANCELLED, with
/// `*out_model` holding the model of the last completed epoch (or NULL before the first).
/// On success `*out_model` is the trained model with its training state (save it with
/// lenet_model_save, resume it with lenet_train_resume); free it with lenet_model_free.
/// The same params and data give a bit-identical model with any thread count.
/// Returns LENET_ERR_INVALID_ARGUMENT (NULL arguments, bad struct_size, out-of-range
/// options), LENET_ERR_CANCELLED, or LENET_ERR_IO when saving to `checkpoint_path` fails
/// (then `*out_model` holds the last completed epoch, as for a cancelled run).
@_cdecl("lenet_train")
public func lenet_train(
    _ params: UnsafePointer<lenet_train_params>?, _ train: lenet_dataset_const_ptr, _ test: lenet_dataset_const_ptr,
    _ out_model: UnsafeMutablePointer<lenet_model_ptr>?
) -> lenet_status {
    out_model?.pointee = nil
    return withStatus {
        let p = try trainParams(params)
        var o = TrainingOptions()
        o.epochs = Int(p.epochs)
        o.batchSize = Int(p.batch_size)
        o.optimizer.learningRate = p.learning_rate
        o.optimizer.momentum = p.momentum
        o.seed = p.seed
        o.augment = p.augment != 0
        o.penShare = p.pen_share
        o.pairShare = p.pair_share
        guard let kind = OptimizerKind.allCases.first(where: { cOptimizer($0) == p.optimizer }) else {
            throw LeNetError.invalidArgument("optimizer \(p.optimizer.rawValue) is not a lenet_optimizer")
        }
        guard let schedule = LearningRateSchedule.allCases.first(where: { cSchedule($0) == p.lr_schedule }) else {
            throw LeNetError.invalidArgument("lr_schedule \(p.lr_schedule.rawValue) is not a lenet_lr_schedule")
        }
        o.optimizer.kind = kind
        o.schedule = schedule
        let trainer: Trainer
        if let start = p.init_model {
            let model = try ModelBox.from(start).model
            if model.isInt8 {
                throw LeNetError.invalidArgument("params->init_model is an int8 model: fine-tuning needs the float model it was quantized from")
            }
            trainer = try Trainer(options: o, initialParameters: model.parameters, threads: threadCount(p.threads))
        } else {
            trainer = try Trainer(options: o, threads: threadCount(p.threads))
        }
        try run(trainer, p, train, test, out_model)
    }
}

/// Continues the training run saved in `checkpoint` (a model with training state, e.g.
/// loaded from a file `lenet train` or lenet_train wrote) up to `params->epochs` epochs in
/// all. Only epochs, threads, progress, user_data and checkpoint_path are taken from `params`; the other
/// options are the checkpoint's, so the result equals an uninterrupted run. Returns, besides
/// lenet_train's codes, LENET_ERR_INVALID_ARGUMENT when the model has no training state, has
/// already reached params->epochs, or made its own data (augmentation, pen digits, touching
/// pairs) by another recipe than this library's (`training.recipe`, docs/checkpoint-format.md:
/// the rest of the run would differ; start a new run or fine-tune with `init_model`).
@_cdecl("lenet_train_resume")
public func lenet_train_resume(
    _ checkpoint: lenet_model_const_ptr, _ params: UnsafePointer<lenet_train_params>?, _ train: lenet_dataset_const_ptr,
    _ test: lenet_dataset_const_ptr, _ out_model: UnsafeMutablePointer<lenet_model_ptr>?
) -> lenet_status {
    out_model?.pointee = nil
    return withStatus {
        let p = try trainParams(params)
        let model = try ModelBox.from(checkpoint).model
        guard model.training != nil else { throw LeNetError.invalidArgument("the model has no training state to resume from") }
        let trainer = try Trainer(resuming: model, threads: threadCount(p.threads))
        guard Int(p.epochs) > trainer.epoch else {
            throw LeNetError.invalidArgument("the run has completed \(trainer.epoch) epochs; params->epochs (\(p.epochs)) must exceed that")
        }
        trainer.targetEpochs = Int(p.epochs)
        try run(trainer, p, train, test, out_model)
    }
}

private func trainParams(_ params: UnsafePointer<lenet_train_params>?) throws -> lenet_train_params {
    let p = try GrowableStruct.read(required(params, "params"), defaults: lenet_train_default_params(),
                                    name: "lenet_train_params", firstSize: GrowableStruct.trainParamsFirstSize)
    guard p.threads >= 0, p.threads <= 256 else { throw LeNetError.invalidArgument("params->threads must be 0 to 256, got \(p.threads)") }
    return p
}

private func run(
    _ trainer: Trainer, _ p: lenet_train_params, _ train: lenet_dataset_const_ptr, _ test: lenet_dataset_const_ptr,
    _ out_model: UnsafeMutablePointer<lenet_model_ptr>?
) throws {
    let out = try required(out_model, "out_model")
    let trainData = try DatasetBox.from(train, "train").data
    let testData = try test.map { try DatasetBox.from($0, "test").data }
    var latest: ModelBox?
    var epochStart = monotonicSeconds()
    func report(_ progress: lenet_progress) -> Bool {
        guard let callback = p.progress else { return true }
        var copy = progress
        return callback(&copy, p.user_data) == 0
    }
    let checkpointPath = p.checkpoint_path.map { String(cString: $0) }
    defer { out.pointee = latest?.retainedHandle() }
    try trainer.run(train: trainData, test: testData, onBatch: { b in
        if b.batch == 1 { epochStart = monotonicSeconds() }
        return report(lenet_progress(
            epoch: Int32(clamping: b.epoch), epochs: Int32(clamping: trainer.targetEpochs), batch: Int32(clamping: b.batch),
            batches: Int32(clamping: b.batches),
            images: Int64(b.images), loss: b.meanLoss, accuracy: b.accuracy, epoch_done: 0, test_accuracy: -1,
            seconds: monotonicSeconds() - epochStart, learning_rate: b.learningRate))
    }, onEpoch: { r, model in
        latest = try ModelBox(model)
        if let checkpointPath { try model.save(checkpointPath) }
        let go = report(lenet_progress(
            epoch: Int32(clamping: r.epoch), epochs: Int32(clamping: r.epochs), batch: 0, batches: 0, images: Int64(r.images), loss: r.loss,
            accuracy: r.trainAccuracy, epoch_done: 1, test_accuracy: r.testAccuracy ?? -1, seconds: r.seconds,
            learning_rate: r.learningRate))
        if !go { throw LeNetError.cancelled }
    })
}
