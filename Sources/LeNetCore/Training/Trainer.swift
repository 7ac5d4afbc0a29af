import LeNetKernelAPI

/// Trains LeNet-5 on a `DigitSet`, one epoch per call, so a caller can evaluate and save
/// between epochs.
///
/// Determinism: each batch is cut into fixed groups of `groupSize` images; every group
/// computes its convolutions' gradient into its own buffer, summed in group order, and the
/// dense layers' gradient is one product over the batch (`BatchGradient`). Which thread
/// ran a group or a block never changes a bit of the result.
public final class Trainer {
    package static let groupSize = 8

    public let options: TrainingOptions
    public var threads: Int
    public private(set) var parameters: [Float]
    /// What the optimizer writes the next step's parameters into: the step before's, which
    /// `packed` no longer holds. Updating `parameters` in place, which `packed` shares,
    /// would copy all 247 KB first (copy on write) at every step.
    private var spare: [Float]
    package private(set) var optimizerState: OptimizerState
    package private(set) var rng: Xoshiro256
    /// Completed epochs.
    public private(set) var epoch: Int
    /// The epoch count the run aims for: `options.epochs`, or more when a resumed run is
    /// extended. It is the cosine schedule's horizon: resuming to the same target repeats
    /// the uninterrupted run exactly; extending it re-plans the remaining rates.
    public var targetEpochs: Int
    /// The finished epochs' numbers, continued by a resumed run; `run` records each epoch
    /// here and stores it in the checkpoint it hands out.
    public internal(set) var history = TrainingHistory()

    /// Workspaces lent to the tasks of a batch, one per task at a time: as many as threads
    /// run at once, each reused group after group while it is in cache.
    private let workspaces = WorkspacePool<Workspace>()
    private var packed: PackedWeights
    private let gradient: BatchGradient
    /// Each group's loss and correct answers in the batch being trained.
    private var groupResults: UnsafeMutablePointer<(loss: Double, correct: Int)>
    private let groupCount: Int

    public init(options: TrainingOptions, threads: Int = Threads.defaultCount) throws {
        try options.validate()
        self.options = options
        self.threads = max(1, threads)
        var rng = Xoshiro256(seed: options.seed)
        parameters = LeNet5.initialParameters(seed: rng.next())
        spare = [Float](repeating: 0, count: LeNet5.parameterCount)
        packed = PackedWeights(parameters)
        self.rng = rng
        optimizerState = OptimizerState(parameterCount: LeNet5.parameterCount)
        epoch = 0
        targetEpochs = options.epochs
        groupCount = (options.batchSize + Self.groupSize - 1) / Self.groupSize
        gradient = BatchGradient(batchSize: options.batchSize, groupCount: groupCount)
        groupResults = .allocate(capacity: groupCount)
    }

    /// A new run that starts from a trained model's weights instead of random ones
    /// (fine-tuning); everything else as `init(options:threads:)`, the random state too.
    public convenience init(options: TrainingOptions, initialParameters: [Float], threads: Int = Threads.defaultCount) throws {
        try self.init(options: options, threads: threads)
        guard initialParameters.count == LeNet5.parameterCount else {
            throw LeNetError.invalidArgument("the initial model has \(initialParameters.count) parameters, LeNet-5 has \(LeNet5.parameterCount)")
        }
        guard initialParameters.allSatisfy(\.isFinite) else { throw LeNetError.invalidArgument("the initial model has weights that are not finite") }
        parameters = initialParameters
        packed.update(parameters)
    }

    /// Continues a saved run: parameters, optimizer state, random state and epoch.
    public convenience init(resuming state: TrainingState, threads: Int = Threads.defaultCount) throws {
        if let problem = TrainingRecipe.resumeProblem(recipe: state.recipe, options: state.options) {
            throw LeNetError.invalidArgument(problem)
        }
        try self.init(options: state.options, threads: threads)
        guard state.parameters.count == LeNet5.parameterCount,
              state.optimizer.first.count == LeNet5.parameterCount,
              state.optimizer.second.count == LeNet5.parameterCount
        else { throw LeNetError.invalidArgument("training state has the wrong number of parameters") }
        parameters = state.parameters
        packed.update(parameters)
        optimizerState = state.optimizer
        rng = state.rng
        epoch = state.epoch
    }

    deinit {
        groupResults.deallocate()
    }

    public var state: TrainingState {
        var options = self.options
        options.epochs = targetEpochs
        return TrainingState(options: options, parameters: parameters, optimizer: optimizerState, rng: rng, epoch: epoch)
    }

    /// Trains one epoch over `data` (reshuffled from the run's generator). When `progress`
    /// returns false the epoch stops after that batch and `LeNetError.cancelled` is thrown;
    /// the trainer then holds a partly trained epoch, which callers should not save.
    @discardableResult
    package func trainEpoch(_ data: DigitSet, progress: (BatchProgress) -> Bool = { _ in true }) throws -> EpochResult {
        guard data.count > 0 else { throw LeNetError.invalidArgument("the training set is empty") }
        let order = rng.permutation(data.count)
        let batchSize = options.batchSize
        let batches = (data.count + batchSize - 1) / batchSize
        // Accuracy is over the digits: a touching pair (TrainingLabel.noDigit) has no right answer.
        var lossSum = 0.0, correct = 0, seen = 0, digits = 0
        var rate: Float = 0, firstRate: Float = 0
        var augments = [Augmentation](repeating: Augmentation(dx: 0, dy: 0, radians: 0), count: batchSize)

        for b in 0..<batches {
            let start = b * batchSize, count = min(batchSize, data.count - start)
            if options.augment {
                for i in 0..<count { augments[i] = Augmentation.random(&rng, label: data.labels[order[start + i]]) }
            }
            let end = start + count
            let groups = backpropagate(data, order[start..<end], upcoming: order[end..<min(end + Self.groupSize, order.count)], augments)
            rate = step(groups: groups, images: count, batchesPerEpoch: batches)
            if b == 0 { firstRate = rate }
            // In group order, whichever thread finished first.
            for t in 0..<groups {
                lossSum += groupResults[t].loss
                correct += groupResults[t].correct
            }
            seen += count
            digits += order[start..<end].reduce(0) { $0 + (data.labels[$1] == TrainingLabel.noDigit ? 0 : 1) }
            let p = BatchProgress(epoch: epoch + 1, batch: b + 1, batches: batches, images: seen,
                                  meanLoss: lossSum / Double(seen), accuracy: Double(correct) / Double(max(digits, 1)), digits: digits,
                                  learningRate: Double(rate))
            if !progress(p) { throw LeNetError.cancelled }
        }
        // A diverged run (a learning rate far too high) must not reach a checkpoint that
        // would then fail to load: stop here, and the previous epoch's file stays.
        guard lossSum.isFinite, parameters.allSatisfy(\.isFinite) else {
            throw LeNetError.invalidArgument("training diverged in epoch \(epoch + 1) (the loss or a weight became NaN or infinite); lower the learning rate")
        }
        epoch += 1
        return EpochResult(epoch: epoch, loss: lossSum / Double(seen), accuracy: Double(correct) / Double(max(digits, 1)), images: seen,
                           learningRate: Double(firstRate))
    }

    /// Forward and backward over one batch (`batch`: indices into `data`), each group of
    /// `groupSize` images on some worker into its own convolution-gradient buffer and
    /// result slot, its dense layers' rows kept for the batch's product (`BatchGradient`).
    /// Returns how many groups it filled. Each group first asks for the next one's digits
    /// (after the last group, `upcoming`: the next batch's first).
    private func backpropagate(_ data: DigitSet, _ batch: ArraySlice<Int>, upcoming: ArraySlice<Int>, _ augments: [Augmentation]) -> Int {
        let groups = (batch.count + Self.groupSize - 1) / Self.groupSize, scale = 1 / Float(batch.count)
        let weights = packed, options = options, results = groupResults, gradient = gradient
        let workspaces = workspaces
        data.images.withUnsafeBufferPointer { images in
            parallelFor(tasks: groups, threads: threads) { t in
                let ws = workspaces.take(capacity: Self.groupSize)
                defer { workspaces.give(ws) }
                let first = t * Self.groupSize, m = min(Self.groupSize, batch.count - first)
                let next = t + 1 < groups ? batch.dropFirst(first + Self.groupSize).prefix(Self.groupSize) : upcoming
                for index in next { prefetch(images.baseAddress! + index * DigitSet.pixels, bytes: DigitSet.pixels) }
                var labels = [UInt8](repeating: 0, count: m)
                for j in 0..<m {
                    let index = batch[batch.startIndex + first + j]
                    labels[j] = data.labels[index]
                    let digit = images.baseAddress! + index * DigitSet.pixels, x = ws.x + j * LeNet5.inputSize
                    if options.augment {
                        augments[first + j].input(from: digit, options.normalization, into: x)
                    } else {
                        options.normalization.input(from: digit, into: x)
                    }
                }
                LeNet5.forward(weights, count: m, ws)
                let correct = LeNet5.countCorrect(ws.logits, labels, m)
                let loss = LeNet5.backwardExceptDenseWeights(weights, labels: labels, count: m, scale: scale, ws, grads: gradient.group(t))
                gradient.keepDenseRows(of: ws, count: m, first: first)
                results[t] = (loss, correct)
            }
        }
        return groups
    }

    /// Forms the batch's gradient and applies the optimizer, block by block in parallel
    /// (`BatchGradient.blocks`: disjoint ranges of the parameters). Returns the learning
    /// rate it applied.
    private func step(groups: Int, images: Int, batchesPerEpoch: Int) -> Float {
        var settings = options.optimizer
        settings.learningRate = options.schedule.rate(settings.learningRate, step: optimizerState.step,
                                                      total: targetEpochs * batchesPerEpoch)
        optimizerState.step += 1
        let stepNumber = optimizerState.step, gradient = gradient, workspaces = workspaces
        let kernels = KernelLevel.active.kernels, blocks = BatchGradient.blocks
        // The new parameters go into the step before's buffer, computed from the current ones.
        swap(&parameters, &spare)
        let current = spare
        // One access to optimizerState, through a pointer: two nested accesses to its arrays
        // would overlap (a runtime exclusivity error in debug builds).
        parameters.withUnsafeMutableBufferPointer { p in
            current.withUnsafeBufferPointer { old in withUnsafeMutablePointer(to: &optimizerState) { state in
                state.pointee.first.withUnsafeMutableBufferPointer { m in
                    state.pointee.second.withUnsafeMutableBufferPointer { v in
                        parallelFor(tasks: blocks.count, threads: threads) { b in
                            let ws = workspaces.take(capacity: Self.groupSize)
                            defer { workspaces.give(ws) }
                            gradient.form(blocks[b], groupCount: groups, images: images, scratch: ws.scratch)
                            settings.apply(step: stepNumber, range: BatchGradient.range(of: blocks[b]), kernels: kernels, params: p.baseAddress!,
                                           from: old.baseAddress!, grads: gradient.total, first: m.baseAddress!, second: v.baseAddress!)
                        }
                    }
                }
            } }
        }
        packed.update(parameters, threads: threads)
        return settings.learningRate
    }
}

/// A training run frozen between epochs: what `Trainer(resuming:)` needs to continue
/// exactly as if it had never stopped.
public struct TrainingState: Sendable, Equatable {
    public private(set) var options: TrainingOptions
    package var parameters: [Float]
    package var optimizer: OptimizerState
    package var rng: Xoshiro256
    public private(set) var epoch: Int
    /// The TrainingRecipe the run made its data with (nil: a checkpoint from before they
    /// were recorded).
    public private(set) var recipe: Int?

    package init(options: TrainingOptions, parameters: [Float], optimizer: OptimizerState, rng: Xoshiro256, epoch: Int,
                 recipe: Int? = TrainingRecipe.current) {
        self.options = options
        self.parameters = parameters
        self.optimizer = optimizer
        self.rng = rng
        self.epoch = epoch
        self.recipe = recipe
    }
}
