/// A model as a `.lenet` checkpoint (Formats/CheckpointFile.swift): the metadata keys
/// the loader interprets, and the tensors of a float, int8 or training checkpoint.
extension Model {
    // Keys the loader interprets; everything else is carried through as `info`.
    enum Key {
        static let architecture = "lenet.architecture", dtype = "lenet.dtype"
        static let mean = "normalization.mean", std = "normalization.std"
        static let epochs = "training.epochs", batchSize = "training.batch_size", optimizer = "training.optimizer"
        static let learningRate = "training.learning_rate", momentum = "training.momentum", seed = "training.seed"
        static let augment = "training.augment", penShare = "training.pen_share", pairShare = "training.pair_share", schedule = "training.lr_schedule", epoch = "training.epoch", step = "training.optimizer_step"
        static let recipe = "training.recipe"
        static let interpreted: Set<String> = [architecture, dtype, mean, std, epochs, batchSize, optimizer, learningRate,
                                               momentum, seed, augment, penShare, pairShare, schedule, epoch, step, recipe]
    }

    static let firstMoment = "optimizer.first", secondMoment = "optimizer.second", rngState = "rng.state"

    /// Every metadata entry the file holds, in file order: the interpreted keys first,
    /// then `info`.
    package var metadata: [(key: String, value: String)] {
        var meta: [(key: String, value: String)] = [
            (Key.architecture, Self.architecture), (Key.dtype, quantized == nil ? "f32" : "int8"),
            (Key.mean, "\(normalization.mean)"), (Key.std, "\(normalization.std)"),
        ] + (quantized?.metadata ?? [])
        if let s = training {
            let o = s.options
            meta += [
                (Key.epochs, "\(o.epochs)"), (Key.batchSize, "\(o.batchSize)"), (Key.optimizer, o.optimizer.kind.rawValue),
                (Key.learningRate, "\(o.optimizer.learningRate)"), (Key.momentum, "\(o.optimizer.momentum)"),
                (Key.seed, "\(o.seed)"), (Key.augment, o.augment ? "true" : "false"), (Key.penShare, "\(o.penShare)"),
                (Key.pairShare, "\(o.pairShare)"),
                (Key.schedule, o.schedule.rawValue),
                (Key.epoch, "\(s.epoch)"), (Key.step, "\(s.optimizer.step)"),
            ]
            // A checkpoint from before recipes were recorded keeps saying nothing of its own.
            if let recipe = s.recipe { meta.append((Key.recipe, "\(recipe)")) }
        }
        return meta + info.filter { !Key.interpreted.contains($0.key) && !QuantizedLeNet.Key.interpreted.contains($0.key) }
    }

    package var checkpoint: CheckpointFile {
        if let q = quantized { return CheckpointFile(metadata: metadata, tensors: q.tensors) }
        var tensors = LeNet5.tensors.map { t in
            CheckpointFile.Tensor(name: t.name, shape: t.shape, floats: parameters[t.offset..<(t.offset + t.count)])
        }
        if let s = training {
            tensors += [
                .init(name: Self.firstMoment, shape: [LeNet5.parameterCount], floats: s.optimizer.first),
                .init(name: Self.secondMoment, shape: [LeNet5.parameterCount], floats: s.optimizer.second),
                .init(name: Self.rngState, words: s.rng.words),
            ]
        }
        return CheckpointFile(metadata: metadata, tensors: tensors)
    }

    package init(checkpoint f: CheckpointFile) throws {
        guard let arch = f.value(Key.architecture) else { throw LeNetError.format("metadata '\(Key.architecture)' is missing") }
        guard arch == Self.architecture else { throw LeNetError.format("architecture '\(arch)' is not \(Self.architecture)") }
        if f.value(Key.dtype) == "int8" {
            self.init(quantized: try QuantizedLeNet(checkpoint: f), normalization: try Self.normalization(f),
                      info: f.metadata.filter { !Key.interpreted.contains($0.key) && !QuantizedLeNet.Key.interpreted.contains($0.key) })
            try markAnswersChecked()
            return
        }
        guard f.value(Key.dtype) == "f32" else {
            throw LeNetError.format("dtype '\(f.value(Key.dtype) ?? "(missing)")' is not supported by this reader (f32, int8)")
        }
        let params = try Self.parameters(f)
        let norm = try Self.normalization(f)
        let training = try f.value(Key.epoch).map { _ in try Self.trainingState(f, parameters: params, normalization: norm) }
        self.init(parameters: params, normalization: norm,
                  info: f.metadata.filter { !Key.interpreted.contains($0.key) }, training: training)
        try markAnswersChecked()
    }

    /// The ten float tensors, each present, of its shape and finite.
    private static func parameters(_ f: CheckpointFile) throws -> [Float] {
        var params = [Float](repeating: 0, count: LeNet5.parameterCount)
        for t in LeNet5.tensors {
            guard let stored = f.tensor(t.name) else { throw LeNetError.format("tensor '\(t.name)' is missing") }
            guard stored.shape == t.shape else { throw LeNetError.format("tensor '\(t.name)' has shape \(stored.shape), expected \(t.shape)") }
            let values = try stored.floats()
            guard values.withUnsafeBufferPointer({ firstNonFinite($0.baseAddress!, count: $0.count) }) == nil else {
                throw LeNetError.format("tensor '\(t.name)' holds a NaN or infinity")
            }
            params.replaceSubrange(t.offset..<(t.offset + t.count), with: values)
        }
        return params
    }

    /// A training checkpoint's state: options, optimizer moments, RNG and epoch, each
    /// checked so that resuming cannot start from a poisoned state.
    private static func trainingState(_ f: CheckpointFile, parameters params: [Float], normalization norm: Normalization) throws -> TrainingState {
        func number<T: LosslessStringConvertible>(_ key: String) throws -> T {
            guard let s = f.value(key) else { throw LeNetError.format("metadata '\(key)' is missing") }
            let spelling = T.self == Bool.self || MetadataNumber.isDecimal(s, integer: !(T.self is any BinaryFloatingPoint.Type))
            guard spelling, let v = T(s) else {
                throw LeNetError.format("metadata '\(key)' = '\(s)' is not a valid number")
            }
            return v
        }
        var o = TrainingOptions()
        o.epochs = try number(Key.epochs)
        o.batchSize = try number(Key.batchSize)
        guard let kind = OptimizerKind(rawValue: f.value(Key.optimizer) ?? "") else {
            throw LeNetError.format("metadata '\(Key.optimizer)' is not one of adam, sgd")
        }
        o.optimizer.kind = kind
        o.optimizer.learningRate = try number(Key.learningRate)
        o.optimizer.momentum = try number(Key.momentum)
        o.seed = try number(Key.seed)
        o.augment = try number(Key.augment) as Bool
        // Checkpoints from before the stroke model (0.4) trained on their data alone.
        o.penShare = f.value(Key.penShare) == nil ? 0 : try number(Key.penShare)
        // Before touching pairs (0.6), none.
        o.pairShare = f.value(Key.pairShare) == nil ? 0 : try number(Key.pairShare)
        guard let schedule = LearningRateSchedule(rawValue: f.value(Key.schedule) ?? "") else {
            throw LeNetError.format("metadata '\(Key.schedule)' is not one of constant, cosine")
        }
        o.schedule = schedule
        o.normalization = norm
        do { try o.validate() } catch { throw LeNetError.format("training options: \(error)") }
        var state = OptimizerState(parameterCount: LeNet5.parameterCount)
        state.step = try number(Key.step)
        for (name, keyPath) in [(Self.firstMoment, \OptimizerState.first), (Self.secondMoment, \OptimizerState.second)] {
            guard let t = f.tensor(name), t.shape == [LeNet5.parameterCount] else {
                throw LeNetError.format("tensor '\(name)' is missing or not [\(LeNet5.parameterCount)]")
            }
            state[keyPath: keyPath] = try t.floats()
        }
        // Training resumes from these numbers: state that would poison it is refused here,
        // not discovered as a NaN model after the epochs are spent.
        guard state.first.allSatisfy(\.isFinite), state.second.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw LeNetError.format("the optimizer state holds a NaN, an infinity or a negative second moment")
        }
        guard let rng = f.tensor(Self.rngState) else { throw LeNetError.format("tensor '\(Self.rngState)' is missing") }
        let epoch: Int = try number(Key.epoch)
        // 2^40 steps is millennia of training; bounding it keeps step + 1 and the bias
        // corrections well-defined.
        guard epoch >= 0, epoch <= o.epochs, state.step >= 0, state.step <= 1 << 40 else {
            throw LeNetError.format("epoch \(epoch) of \(o.epochs) or optimizer step \(state.step) is out of range")
        }
        // Before 0.6's recipes (TrainingRecipe), none: such a run resumes only without data of its own.
        let recipe: Int? = f.value(Key.recipe) == nil ? nil : try number(Key.recipe)
        if let recipe, recipe < 1 { throw LeNetError.format("metadata '\(Key.recipe)' = \(recipe) is not a recipe (1 or more)") }
        return TrainingState(options: o, parameters: params, optimizer: state, rng: try Xoshiro256(state: rng.words()), epoch: epoch,
                             recipe: recipe)
    }

    private static func normalization(_ f: CheckpointFile) throws -> Normalization {
        try normalization(mean: f.value(Key.mean), std: f.value(Key.std))
    }

    /// The normalisation metadata: both keys, each a decimal number inside Normalization's ranges.
    static func normalization(mean: String?, std: String?) throws -> Normalization {
        func number(_ key: String, _ value: String?) throws -> Float {
            guard let value else { throw LeNetError.format("metadata '\(key)' is missing") }
            guard let v = MetadataNumber.float(value) else {
                throw LeNetError.format("metadata '\(key)' = '\(value)' is not a decimal number (docs/checkpoint-format.md)")
            }
            return v
        }
        let n = Normalization(mean: try number(Key.mean, mean), std: try number(Key.std, std))
        if let problem = n.problem { throw LeNetError.format(problem) }
        return n
    }
}
