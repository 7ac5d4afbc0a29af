import LeNetCore

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train LeNet-5 on MNIST or your own pictures and save a checkpoint after every epoch.",
        discussion: """
            Progress is a live bar on a terminal and one line per epoch otherwise. Ctrl-C stops \
            at the next batch and keeps the checkpoint of the last completed epoch. The same \
            options and seed give a bit-identical model with any number of threads.

            Your own handwriting: --images DIR trains on your labelled pictures (the layouts \
            `lenet eval --images` takes), each read as `lenet predict` reads it; alone, or \
            with --data mixed with MNIST so that the model keeps what it knew (your pictures \
            repeated to --images-share of each epoch). --validation holds a share of them \
            back, and every epoch reports the accuracy on those and on MNIST's test set, so \
            that forgetting shows. --init MODEL starts from a trained model (fine-tuning: \
            \(fineTuneEpochs) epochs unless given), e.g. \
            `lenet train --images my-digits/ --data data/mnist --init models/lenet_mnist.lenet \
            -o models/mine.lenet`. The checkpoint records the pictures (folder, count, digest) \
            and the model it started from.

            --resume continues a run as it was: its epochs, limit, data directory, batch size, \
            optimizer, learning rate, schedule, seed, augmentation and pen share come from the checkpoint, \
            and the checkpoint is overwritten. Resumed to its own epoch count it equals the \
            uninterrupted run bit for bit. --epochs, --limit, --data and --output may be given \
            again (the output says what changes); options that decide the arithmetic may only \
            repeat the checkpoint's values. A checkpoint whose run made its own data (augmentation, \
            pen digits, touching pairs) by another recipe than this lenet's (one written before \
            0.6's training.recipe, or by a lenet that writes that data differently) is refused: \
            its remaining epochs would train on other pictures; --init starts a new run from its weights.
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
    @Flag(inversion: .prefixedNo, help: "Random shifts (up to \(Int(Augmentation.maxShift)) px) and rotations (up to \(Int(Augmentation.maxDegrees)) degrees) of training digits, \(Int(Augmentation.boldShare * 100))% of them drawn bold (their strokes grown by a pixel) (default \(defaults.augment ? "on" : "off")).")
    var augment: Bool?
    @Option(help: "Digits written by lenet's handwriting model (`lenet synth`: letterforms and hands MNIST lacks; a quarter of them print's forms traced with a broad pen, so that a bold 4 or 8 reads as one digit) added to the training set, as a share of it (default \(defaults.penShare): 12,000 beside MNIST's 60,000; 0: none).")
    var penShare: Float?
    @Option(help: "Pictures of two touching digits written by the handwriting model, taught as no single digit (the model answers them unsure, so `lenet read` cuts touching digits apart), and as many digits cut out of such pairs as `lenet read` cuts them, taught as their digits; as a share of the training set (default \(defaults.pairShare); 0: none).")
    var pairShare: Float?
    @Option(help: "Worker threads (default: LENET_NUM_THREADS, else all cores).")
    var threads: Int?
    @Option(help: "Train on the first N training images only.")
    var limit: Int?
    @Option(name: .shortAndLong, help: "Where to write the checkpoint (default models/lenet_mnist.lenet; with --resume, the resumed file).")
    var output: String?
    @Option(help: "Continue the run saved in this training checkpoint (.lenet), as it was.")
    var resume: String?
    @Option(help: ArgumentHelp("Train on your own labelled pictures: DIR/labels.csv (file,label) or subfolders 0-9 of PNGs. Alone, or mixed with MNIST when --data is given too.", valueName: "DIR"))
    var images: String?
    @Option(help: "With --images and --data: the share of each epoch's images that are your pictures, repeated as needed (default \(defaultPicturesShare)).")
    var imagesShare: Double?
    @Option(help: "With --images: the share of your pictures held back and measured after every epoch (default \(defaultValidation); 0: none).")
    var validation: Double?
    @Option(name: .customLong("init"), help: ArgumentHelp("Start from this trained float model's weights instead of random ones (fine-tuning; default \(fineTuneEpochs) epochs).", valueName: "MODEL"))
    var initModel: String?
    @Option(help: ArgumentHelp("Also write the run's numbers to this file, one JSON object a line: one per epoch (loss, accuracies, learning rate, seconds, images/s) and one per --log-every batches (appended to with --resume); `lenet plot` draws it.", valueName: "jsonl"))
    var log: String?
    @Option(help: "With --log: a line every N batches too, with the mean loss and accuracy of those batches.")
    var logEvery: Int?

    /// Metadata keys the CLI adds so that --resume finds the run's data again.
    static let dataKey = "training.data", limitKey = "training.limit"

    /// Your pictures' share of an epoch beside MNIST, and the share held back.
    static let defaultPicturesShare = 0.5, defaultValidation = 0.2
    /// Fine-tuning's epochs (--init), chosen on generated hands the default model misreads
    /// (benchmarks/README.md, "Teaching it your handwriting"): 3 epochs beside MNIST take a
    /// few seconds; 5 read those hands no better. The learning rate stays the default's: a
    /// third of it read them worse (96.4% against 97.2%, 87.0 against 88.8, 99.6 against 99.8).
    static let fineTuneEpochs = 3

    func run() throws {
        let threadCount = try resolveThreads(threads)
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let logEvery {
            guard logEvery >= 1 else { throw ValidationError("--log-every must be at least 1") }
            guard log != nil else { throw ValidationError("--log-every needs --log FILE to write to") }
        }
        if let imagesShare, !(imagesShare > 0 && imagesShare < 1) { throw ValidationError("--images-share must be between 0 and 1 (exclusive)") }
        if let validation, !(validation >= 0 && validation < 1) { throw ValidationError("--validation must be in [0, 1)") }
        if images == nil, resume == nil, imagesShare != nil || validation != nil {
            throw ValidationError("--images-share and --validation apply to --images")
        }
        if resume != nil, initModel != nil { throw ValidationError("--init starts a new run; --resume continues one") }
        let run = try resume.map(resumedRun) ?? newRun(threads: threadCount)
        run.trainer.threads = threadCount
        let output = self.output ?? resume ?? "models/lenet_mnist.lenet"
        let trainer = run.trainer, o = trainer.options

        let pictures = try run.pictures.map { try TrainingPictures.load($0, seed: o.seed, threads: threadCount) }
        if let pictures, let expected = pictures.plan.digest, pictures.all.digest != expected {
            throw ValidationError("the pictures in \(pictures.folder) are not the ones the run started with (\(pictures.all.count) pictures, digest \(pictures.all.digest); the run's: \(expected)): resuming needs the same pictures; start a new run (--init \(resume ?? "MODEL")) to train on these")
        }
        let mnist = try run.data.map { try DigitSet.mnist(directory: $0, split: .train).prefix(run.limit) }
        let train = try pictures.map { try $0.trainingSet(mnist: mnist) } ?? mnist!
        // MNIST's test set shows what the model keeps; beside pictures alone, when it is there.
        let testData = run.data ?? (pictures != nil && FileIO.exists("data/mnist/t10k-images-idx3-ubyte.gz") ? "data/mnist" : nil)
        let test = try testData.map { try DigitSet.mnist(directory: $0, split: .test) }
        // A read-only, missing or full destination fails now, not after the epochs are spent.
        let checkpointSize = try Model(parameters: trainer.parameters, training: trainer.state).encoded(as: .lenet).count
        try FileIO.checkWritable(output, size: checkpointSize)
        let pens = try o.penDigits(besides: train.count), pairs = try o.touchingPairs(besides: train.count)
        let yours = pictures.map { p in
            "; \(p.train.count) of your pictures (\(p.validation.count) held back) \(mnist == nil ? "repeated" : "mixed in at \(p.plan.share)")" } ?? ""
        let start = run.initFrom.map { "; from \($0)" } ?? ""
        print("training on \(train.count) images\(pens > 0 ? " + \(pens) written by the handwriting model" : "")\(pairs > 0 ? " + \(pairs) touching pairs and digits cut from as many" : "")\(yours)\(start), testing on \(test?.count ?? 0); \(threadCount) thread(s), batch \(o.batchSize), \(o.optimizer.kind.rawValue) lr \(o.optimizer.learningRate) (\(o.schedule.rawValue))\(o.augment ? ", augmented" : "")")
        let logFile = try log.map { try TrainingLog(path: $0, every: logEvery, append: resume != nil) }
        Interrupt.install()
        let interactive = Terminal.isInteractive
        let runStart = monotonicSeconds()
        var loopSeconds = 0.0
        var bar = ProgressBar()
        let runInfo = (run.data.map { [(Self.dataKey, $0)] } ?? []) + (run.limit.map { [(Self.limitKey, "\($0)")] } ?? [])
            + (pictures?.metadata(mixed: mnist != nil) ?? [])
            + run.initInfo
        do {
            try trainer.run(train: train, test: test, validation: pictures?.validation, onBatch: { p in
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
                let test = report.testAccuracy.map { String(format: "  test %.2f%%", $0 * 100) } ?? ""
                let held = report.validationAccuracy.map { String(format: "  yours %.2f%%", $0 * 100) } ?? ""
                print(String(format: "epoch %2d/%d  loss %.4f  train %.2f%%%@%@  %.1fs  %.0f img/s",
                             report.epoch, report.epochs, report.loss, report.trainAccuracy * 100, test, held,
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
        /// MNIST's directory when the run trains on it (nil: your pictures alone).
        var data: String?
        var limit: Int?
        var pictures: TrainingPictures.Plan?
        /// The model the run started from, and what the checkpoint records of it.
        var initFrom: String? = nil
        var initInfo: [(String, String)] = []
    }

    private func newRun(threads: Int) throws -> Run {
        var options = Self.defaults
        // Fine-tuning moves a trained model a little; your pictures are the point, so the
        // handwriting model's digits are not added unless asked for. Its touching pairs are:
        // without them three epochs undo what `lenet read` relies on (make_numbers.py seed 11,
        // the default fine-tuned on 200 pictures: touching numbers 72% -> 29% whole, 76%
        // with the pairs kept).
        if initModel != nil { options.epochs = Self.fineTuneEpochs }
        if images != nil { options.penShare = 0 }
        if let epochs { options.epochs = epochs }
        if let batchSize { options.batchSize = batchSize }
        if let kind = try optimizerKind() { options.optimizer.kind = kind }
        if let lr { options.optimizer.learningRate = lr }
        if let seed { options.seed = seed }
        if let augment { options.augment = augment }
        if let penShare { options.penShare = penShare }
        if let pairShare { options.pairShare = pairShare }
        if let schedule = try schedule() { options.schedule = schedule }
        let plan = images.map { TrainingPictures.Plan(folder: $0, share: imagesShare ?? Self.defaultPicturesShare, validation: validation ?? Self.defaultValidation) }
        // With pictures, MNIST is trained on only when asked for (--data).
        let mnist = images == nil ? data ?? "data/mnist" : data
        guard let initModel else {
            return Run(trainer: try Trainer(options: options, threads: threads), data: mnist, limit: limit, pictures: plan)
        }
        let start = try Model.load(initModel)
        if start.isInt8 {
            throw ValidationError("\(initModel) is an int8 model: fine-tuning changes weights by small steps that int8 cannot hold; start from the float model it was quantized from")
        }
        let trainer = try Trainer(options: options, initialParameters: start.parameters, threads: threads)
        return Run(trainer: trainer, data: mnist, limit: limit, pictures: plan, initFrom: initModel,
                   initInfo: [(TrainingPictures.initKey, initModel), (TrainingPictures.initDigestKey, start.parameterDigest)])
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
        try same(pairShare, saved.pairShare, "--pair-share")

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
        // The run's own pictures, checked against the digest it recorded before an epoch runs.
        var plan: TrainingPictures.Plan?
        if let folder = images ?? stored[TrainingPictures.folderKey] {
            func number(_ key: String, _ fallback: Double) throws -> Double {
                guard let text = stored[key] else { return fallback }
                guard let v = Double(text), v.isFinite, v >= 0, v < 1 else { throw ValidationError("\(path): metadata '\(key)' = '\(text)' is not a share") }
                return v
            }
            try same(imagesShare, try number(TrainingPictures.shareKey, Self.defaultPicturesShare), "--images-share")
            try same(validation, try number(TrainingPictures.validationKey, 0), "--validation")
            if let images, let storedFolder = stored[TrainingPictures.folderKey], images != storedFolder {
                print("--images \(images) replaces the run's \(storedFolder) (the pictures must be the same)")
            }
            plan = TrainingPictures.Plan(folder: folder, share: try number(TrainingPictures.shareKey, Self.defaultPicturesShare),
                                validation: try number(TrainingPictures.validationKey, 0), digest: stored[TrainingPictures.digestKey])
        }
        // A run on pictures alone recorded no MNIST directory; checkpoints written before the
        // data directory was recorded resume with the default.
        let mnist = plan != nil && storedData == nil ? data : data ?? storedData ?? "data/mnist"
        return Run(trainer: trainer, data: mnist, limit: limit ?? storedLimit, pictures: plan,
                   initInfo: [TrainingPictures.initKey, TrainingPictures.initDigestKey].compactMap { k in stored[k].map { (k, $0) } })
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
