import ArgumentParser
import Foundation
import LeNetCore

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train LeNet-5 on MNIST and save a checkpoint after every epoch.",
        discussion: """
            Progress is a live bar on a terminal and one line per epoch otherwise. Ctrl-C stops \
            at the next batch and keeps the checkpoint of the last completed epoch. The same \
            options and seed give a bit-identical model with any number of threads.

            --resume continues a run as it was: its epochs, limit, data directory, batch size, \
            optimizer, learning rate, schedule, seed, augmentation and pen share come from the checkpoint, \
            and the checkpoint is overwritten. Resumed to its own epoch count it equals the \
            uninterrupted run bit for bit. --epochs, --limit, --data and --output may be given \
            again (the output says what changes); options that decide the arithmetic may only \
            repeat the checkpoint's values.
            """
    )

    /// The library's defaults (TrainingOptions), which the C API and Python share.
    static let defaults = TrainingOptions()

    // Options are optional so that a resumed run can tell "given" from "default".
    @Option(help: "Directory with the MNIST .gz (or uncompressed IDX) files (default: data/mnist).")
    var data: String?
    @Option(help: "Number of epochs (default \(defaults.epochs); with --resume: the total to reach).")
    var epochs: Int?
    @Option(help: "Images per batch (default \(defaults.batchSize)).")
    var batchSize: Int?
    @Option(help: "Learning rate (default \(defaults.optimizer.learningRate)).")
    var lr: Float?
    @Option(help: "adam or sgd (with momentum \(defaults.optimizer.momentum)) (default \(defaults.optimizer.kind.rawValue)).")
    var optimizer: String?
    @Option(help: "Learning-rate schedule: cosine (anneal to 0 over --epochs) or constant (default \(defaults.schedule.rawValue)).")
    var lrSchedule: String?
    @Option(help: "Random seed: initial weights, shuffling and augmentation (default \(defaults.seed)).")
    var seed: UInt64?
    @Flag(inversion: .prefixedNo, help: "Random shifts (up to \(Int(Augmentation.maxShift)) px) and rotations (up to \(Int(Augmentation.maxDegrees)) degrees) of training digits (default \(defaults.augment ? "on" : "off")).")
    var augment: Bool?
    @Option(help: "Digits written by lenet's handwriting model (`lenet synth`: letterforms and hands MNIST lacks) added to the training set, as a share of it (default \(defaults.penShare): 12,000 beside MNIST's 60,000; 0: none).")
    var penShare: Float?
    @Option(help: "Worker threads (default: LENET_NUM_THREADS, else all cores).")
    var threads: Int?
    @Option(help: "Train on the first N training images only.")
    var limit: Int?
    @Option(name: .shortAndLong, help: "Where to write the checkpoint (default models/lenet_mnist.lenet; with --resume, the resumed file).")
    var output: String?
    @Option(help: "Continue the run saved in this training checkpoint (.lenet), as it was.")
    var resume: String?
    @Option(help: ArgumentHelp("Also write the run's numbers to this file, one JSON object a line: one per epoch (loss, accuracies, learning rate, seconds, images/s) and one per --log-every batches (appended to with --resume); `lenet plot` draws it.", valueName: "jsonl"))
    var log: String?
    @Option(help: "With --log: a line every N batches too, with the mean loss and accuracy of those batches.")
    var logEvery: Int?

    /// Metadata keys the CLI adds so that --resume finds the run's data again.
    static let dataKey = "training.data", limitKey = "training.limit"

    func run() throws {
        let threadCount = try resolveThreads(threads)
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let logEvery {
            guard logEvery >= 1 else { throw ValidationError("--log-every must be at least 1") }
            guard log != nil else { throw ValidationError("--log-every needs --log FILE to write to") }
        }
        let run = try resume.map(resumedRun) ?? newRun(threads: threadCount)
        run.trainer.threads = threadCount
        let output = self.output ?? resume ?? "models/lenet_mnist.lenet"

        let train = try DigitSet.mnist(directory: run.data, split: .train).prefix(run.limit)
        let test = try DigitSet.mnist(directory: run.data, split: .test)
        let trainer = run.trainer, o = trainer.options
        // A read-only, missing or full destination fails now, not after the epochs are spent.
        let checkpointSize = try Model(parameters: trainer.parameters, training: trainer.state).encoded(as: .lenet).count
        try FileIO.checkWritable(output, size: checkpointSize)
        let pens = try o.penDigits(besides: train.count)
        print("training on \(train.count) images\(pens > 0 ? " + \(pens) written by the handwriting model" : ""), testing on \(test.count); \(threadCount) thread(s), batch \(o.batchSize), \(o.optimizer.kind.rawValue) lr \(o.optimizer.learningRate) (\(o.schedule.rawValue))\(o.augment ? ", augmented" : "")")
        let logFile = try log.map { try TrainingLog(path: $0, every: logEvery, append: resume != nil) }
        Interrupt.install()
        let interactive = Terminal.isInteractive
        let runStart = monotonicSeconds()
        var loopSeconds = 0.0
        var bar = ProgressBar()
        let runInfo = [(Self.dataKey, run.data)] + (run.limit.map { [(Self.limitKey, "\($0)")] } ?? [])
        do {
            try trainer.run(train: train, test: test, onBatch: { p in
                if interactive { bar.update(p) }
                logFile?.batch(p)
                return Interrupt.requested == 0
            }, onEpoch: { report, model in
                if interactive { bar.finish() }
                bar = ProgressBar()
                loopSeconds += report.seconds
                var m = model
                m.info += runInfo
                try m.save(output)
                logFile?.epoch(report)
                print(String(format: "epoch %2d/%d  loss %.4f  train %.2f%%  test %.2f%%  %.1fs  %.0f img/s",
                             report.epoch, report.epochs, report.loss, report.trainAccuracy * 100, (report.testAccuracy ?? 0) * 100,
                             report.seconds, Double(report.images) / report.seconds))
                Terminal.flush()
            })
        } catch LeNetError.cancelled {
            if interactive { bar.finish() }
            print(trainer.epoch > 0 ? "interrupted: \(output) keeps epoch \(trainer.epoch)" : "interrupted before the first epoch ended: nothing saved")
            throw ExitCode(130)
        }
        print(String(format: "saved %@; training loop %.1fs, total %.1fs", output, loopSeconds, monotonicSeconds() - runStart))
    }

    struct Run {
        var trainer: Trainer
        var data: String
        var limit: Int?
    }

    private func newRun(threads: Int) throws -> Run {
        var options = Self.defaults
        if let epochs { options.epochs = epochs }
        if let batchSize { options.batchSize = batchSize }
        if let kind = try optimizerKind() { options.optimizer.kind = kind }
        if let lr { options.optimizer.learningRate = lr }
        if let seed { options.seed = seed }
        if let augment { options.augment = augment }
        if let penShare { options.penShare = penShare }
        if let schedule = try schedule() { options.schedule = schedule }
        return Run(trainer: try Trainer(options: options, threads: threads), data: data ?? "data/mnist", limit: limit)
    }

    private func resumedRun(_ path: String) throws -> Run {
        let checkpoint = try Model.load(path)
        if checkpoint.isInt8 { throw ValidationError("\(path) is an int8 model: resume from the float checkpoint it was quantized from") }
        guard let state = checkpoint.training else {
            throw ValidationError("\(path) is not a training checkpoint (it has no optimizer state)")
        }
        let saved = state.options
        func same<T: Equatable>(_ given: T?, _ stored: T, _ flag: String) throws {
            if let given, given != stored {
                throw ValidationError("\(flag) \(given) differs from the resumed run's \(stored): a resumed run keeps the arithmetic it started with; start a new run to change it")
            }
        }
        try same(batchSize, saved.batchSize, "--batch-size")
        try same(lr, saved.optimizer.learningRate, "--lr")
        try same(try optimizerKind()?.rawValue, saved.optimizer.kind.rawValue, "--optimizer")
        try same(try schedule()?.rawValue, saved.schedule.rawValue, "--lr-schedule")
        try same(seed, saved.seed, "--seed")
        try same(augment, saved.augment, "--augment")
        try same(penShare, saved.penShare, "--pen-share")

        let trainer = try Trainer(resuming: checkpoint, threads: 1)
        let stored = Dictionary(checkpoint.info.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let storedLimit = try stored[Self.limitKey].map { text -> Int in
            guard let n = MetadataNumber.integer(text, as: Int.self), n >= 1 else {
                throw ValidationError("\(path): metadata '\(Self.limitKey)' = '\(text)' is not a count of images")
            }
            return n
        }
        let storedData = stored[Self.dataKey]
        let target = epochs ?? saved.epochs
        guard target > trainer.epoch else {
            throw ValidationError("\(path) has already completed \(trainer.epoch) of its \(saved.epochs) epochs; pass --epochs above \(trainer.epoch) to train further")
        }
        trainer.targetEpochs = target
        print("resuming \(path) after epoch \(trainer.epoch) of \(saved.epochs)")
        if target != saved.epochs {
            print("--epochs \(target) changes the run's length from \(saved.epochs): the learning-rate schedule is re-planned over \(target) epochs")
        }
        if let limit, limit != storedLimit {
            print("--limit \(limit) changes the training set (the run used \(storedLimit.map { "the first \($0) images" } ?? "all images")): it will not equal the uninterrupted run")
        }
        if let data, let storedData, data != storedData {
            print("--data \(data) replaces the run's \(storedData)")
        }
        // Checkpoints written before the data directory was recorded resume with the default.
        return Run(trainer: trainer, data: data ?? storedData ?? "data/mnist", limit: limit ?? storedLimit)
    }

    private func optimizerKind() throws -> OptimizerKind? {
        guard let optimizer else { return nil }
        guard let kind = OptimizerKind(rawValue: optimizer.lowercased()) else {
            throw ValidationError("--optimizer must be one of: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    private func schedule() throws -> LearningRateSchedule? {
        guard let lrSchedule else { return nil }
        guard let schedule = LearningRateSchedule(rawValue: lrSchedule.lowercased()) else {
            throw ValidationError("--lr-schedule must be one of: \(LearningRateSchedule.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return schedule
    }
}
