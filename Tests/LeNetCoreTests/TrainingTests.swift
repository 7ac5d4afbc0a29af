import LeNetCore
import LeNetKernelAPI
import Testing

@Suite struct TrainingTests {
    func options(augment: Bool = true, optimizer: OptimizerKind = .adam, epochs: Int = 2) -> TrainingOptions {
        var o = TrainingOptions()
        o.epochs = epochs
        o.augment = augment
        o.optimizer.kind = optimizer
        if optimizer == .sgd { o.optimizer.learningRate = 0.01 }
        return o
    }

    /// 6,400 images at batch 64: 100 steps per epoch, 300 steps in all.
    @Test(arguments: [OptimizerKind.adam, .sgd])
    func threadCountDoesNotChangeABit(optimizer: OptimizerKind) throws {
        let data = mnistTrain.prefix(6_400)
        var results = [[Float]]()
        for threads in [1, 2, 4] {
            let t = try Trainer(options: options(optimizer: optimizer, epochs: 3), threads: threads)
            for _ in 0..<3 { try t.trainEpoch(data) }
            #expect(t.optimizerState.step == 300)
            results.append(t.parameters)
        }
        #expect(results[0].map(\.bitPattern) == results[1].map(\.bitPattern))
        #expect(results[0].map(\.bitPattern) == results[2].map(\.bitPattern))
    }

    @Test func resumingFromACheckpointEqualsUninterruptedTraining() throws {
        let data = mnistTrain.prefix(2_000)
        let straight = try Trainer(options: options(), threads: 2)
        try straight.trainEpoch(data)
        try straight.trainEpoch(data)

        let first = try Trainer(options: options(), threads: 2)
        try first.trainEpoch(data)
        let saved = try Model(parameters: first.parameters, training: first.state).checkpoint.encoded()
        guard let state = try Model.load(bytes: saved).training else {
            Issue.record("the checkpoint lost its training state")
            return
        }
        let resumed = try Trainer(resuming: state, threads: 1)
        #expect(resumed.epoch == 1)
        try resumed.trainEpoch(data)
        #expect(resumed.state == straight.state)
        #expect(resumed.parameters.map(\.bitPattern) == straight.parameters.map(\.bitPattern))
    }

    /// Each epoch's numbers reach the checkpoint's history; a run resumed from its first
    /// checkpoint ends with the uninterrupted run's history and the same bytes.
    @Test func runKeepsItsHistoryAcrossAResume() throws {
        let data = mnistTrain.prefix(1_000), test = mnistTest.prefix(500)
        var o = options(augment: false)
        o.schedule = .cosine
        let straight = try Trainer(options: o, threads: 2)
        var reports: [EpochReport] = [], models: [Model] = []
        try straight.run(train: data, test: test) { r, m in reports.append(r); models.append(m) }
        let history = try #require(try models[1].history())
        #expect(history.epochs.map(\.epoch) == [1, 2])
        for (e, r) in zip(history.epochs, reports) {
            #expect(abs(e.loss - r.loss) < 1e-6 && abs(e.trainAccuracy - r.trainAccuracy) < 1e-6)
            #expect(abs(e.testAccuracy! - r.testAccuracy!) < 1e-6 && e.learningRate == r.learningRate)
        }
        #expect(history.epochs[0].learningRate == Double(o.optimizer.learningRate))  // cosine starts at the set rate
        #expect(history.epochs[1].learningRate < history.epochs[0].learningRate)

        let resumed = try Trainer(resuming: Model.load(bytes: models[0].encoded(as: .lenet)), threads: 1)
        #expect(resumed.history.epochs.count == 1)
        var last: Model?
        try resumed.run(train: data, test: test) { _, m in last = m }
        #expect(try last?.history() == history)
        #expect(try last?.encoded(as: .lenet) == models[1].encoded(as: .lenet))
    }

    @Test func historyTextRoundTripsAndRefusesDamage() throws {
        var h = TrainingHistory()
        for e in 1...5 {
            h.append(.init(epoch: e, loss: 1 / Double(e), trainAccuracy: 0.9, testAccuracy: e == 3 ? nil : 0.95, learningRate: 1e-3 / Double(e)))
        }
        let back = try TrainingHistory(decoding: h.encoded)
        #expect(back.epochs.map(\.epoch) == [1, 2, 3, 4, 5] && back.epochs[2].testAccuracy == nil)
        #expect(back.epochs.map(\.learningRate) == h.epochs.map { Double(Float($0.learningRate)) })  // the optimizer's Float
        for damaged in [
            "epoch,loss\n1,2",                         // another header
            h.encoded + "\n6,0.1,0.9,,",               // no learning rate
            h.encoded + "\n2,0.1,0.9,0.9,0.001",       // an epoch out of order
            h.encoded + "\n6,nan,0.9,0.9,0.001",       // not finite
            h.encoded + "\n7,0.1,0.9,0.9,0.001,extra", // a field too many
        ] {
            #expect(throws: LeNetError.self) { try TrainingHistory(decoding: damaged) }
        }
        // A run longer than the cap keeps its whole span at a coarser step.
        var long = TrainingHistory()
        for e in 1...2_000 { long.append(.init(epoch: e, loss: 1, trainAccuracy: 1, testAccuracy: nil, learningRate: 1)) }
        #expect(long.epochs.count <= 800 && long.epochs.last?.epoch == 2_000 && long.epochs.first!.epoch <= 100)
        #expect(long.epochs.suffix(300).map(\.epoch) == Array(1_701...2_000))  // recent epochs at full resolution
        #expect(long.encoded.utf8.count < 65_536)
        #expect(try TrainingHistory(decoding: long.encoded) == long)
    }

    @Test func cancellingStopsAtTheBatchBoundary() throws {
        let t = try Trainer(options: options(), threads: 2)
        var calls = 0
        #expect(throws: LeNetError.cancelled) {
            try t.trainEpoch(mnistTrain.prefix(1_000)) { _ in
                calls += 1
                return calls < 3
            }
        }
        #expect(calls == 3)
        #expect(t.epoch == 0)
    }

    /// Each option out of range is refused as an invalid argument whose message names it.
    @Test func badOptionsAreRejected() {
        func refusal(_ change: (inout TrainingOptions) -> Void) -> String? {
            var o = TrainingOptions()
            change(&o)
            do {
                _ = try Trainer(options: o, threads: 1)
                return nil
            } catch LeNetError.invalidArgument(let message) {
                return message
            } catch {
                return "not an invalid argument: \(error)"
            }
        }
        #expect(refusal { _ in } == nil)
        let cases: [(String, (inout TrainingOptions) -> Void)] = [
            ("batch size", { $0.batchSize = 0 }), ("batch size", { $0.batchSize = 4097 }),
            ("epochs", { $0.epochs = 0 }), ("epochs", { $0.epochs = 100_001 }),
            ("learning rate", { $0.optimizer.learningRate = .nan }), ("learning rate", { $0.optimizer.learningRate = 0 }),
            ("learning rate", { $0.optimizer.learningRate = 10 }),
            ("momentum", { $0.optimizer.momentum = 1 }), ("momentum", { $0.optimizer.momentum = -0.1 }),
            ("normalisation", { $0.normalization = Normalization(mean: 0, std: 0) }),
            ("pen share", { $0.penShare = -0.1 }), ("pair share", { $0.pairShare = -0.1 }), ("pair share", { $0.pairShare = 10.5 }),
        ]
        for (name, change) in cases {
            let message = refusal(change)
            #expect(message?.contains(name) == true, "\(name): \(message ?? "accepted")")
        }
    }

    /// A short real run: 5,000 images, one epoch (157 steps of 32), must beat 90% on 1,000 test digits.
    @Test func shortTrainingLearnsDigits() throws {
        var o = options(augment: false, epochs: 1)
        o.schedule = .constant
        o.batchSize = 32
        let t = try Trainer(options: o, threads: 2)
        let result = try t.trainEpoch(mnistTrain.prefix(5_000))
        #expect(result.images == 5_000)
        let test = mnistTest.prefix(1_000)
        let predicted = Predictor(parameters: t.parameters).predictions(test, threads: 2)
        let accuracy = Double(zip(predicted, test.labels).filter { $0 == $1 }.count) / Double(test.count)
        #expect(accuracy > 0.90, "accuracy \(accuracy)")
    }

    /// Outlier exposure: a model trained beside touching pairs labelled "no digit" answers
    /// pairs it never saw less surely than one trained on the digits alone, still reads
    /// digits, and its epoch accuracy counts the digits only (the pairs have no right answer).
    @Test func touchingPairsTeachTheModelToBeUnsureOfThem() throws {
        let digits = mnistTrain.prefix(6_000), test = mnistTest.prefix(1_000)
        let pairs = try PenDigits.touchingPairs(count: 2_000, seed: 77, threads: 2)
        let unseen = try PenDigits.touchingPairs(count: 300, seed: 78, threads: 2)
        var o = options(augment: false, epochs: 3)
        o.penShare = 0
        func trained(_ data: DigitSet) throws -> (predictor: Predictor, accuracy: Double) {
            let t = try Trainer(options: o, threads: 2)
            var last = 0.0
            for _ in 0..<3 { last = try t.trainEpoch(data).accuracy }
            return (Predictor(parameters: t.parameters), last)
        }
        func meanTopProbability(_ p: Predictor) -> Double {
            let answers = p.classify(digits: unseen.images, threads: 2)
            return answers.reduce(0.0) { $0 + Double($1.probabilities.max()!) } / Double(answers.count)
        }
        let plain = try trained(digits), exposed = try trained(digits.appending(pairs))
        let plainSure = meanTopProbability(plain.predictor), exposedSure = meanTopProbability(exposed.predictor)
        #expect(exposedSure < plainSure - 0.2, "top probability on unseen pairs: \(exposedSure) exposed, \(plainSure) plain")
        #expect(exposed.predictor.evaluate(test, threads: 2).accuracy > 0.9)
        // A quarter of the exposed run's pictures are pairs; counted as misses, its training
        // accuracy could not pass 75%.
        #expect(exposed.accuracy > 0.85, "training accuracy \(exposed.accuracy)")
    }

    @Test func inferenceDoesNotDependOnThreadCount() {
        let p = LeNet5.initialParameters(seed: 8), test = mnistTest.prefix(500)
        let one = test.images.withUnsafeBufferPointer { Predictor(parameters: p).logits(digits: $0, threads: 1) }
        let three = test.images.withUnsafeBufferPointer { Predictor(parameters: p).logits(digits: $0, threads: 3) }
        #expect(one.map(\.bitPattern) == three.map(\.bitPattern))
    }

    @Test func augmentationKeepsTheDigitAndMovesIt() {
        var rng = Xoshiro256(seed: 9)
        var plain = [Float](repeating: 0, count: 1024), moved = plain, identity = plain
        mnistTest.images.withUnsafeBufferPointer { p in
            Normalization.mnist.input(from: p.baseAddress!, into: &plain)
            Augmentation(dx: 0, dy: 0, radians: 0).input(from: p.baseAddress!, .mnist, into: &identity)
            var shift = Augmentation.random(&rng, label: 7)
            shift.bold = false
            shift.input(from: p.baseAddress!, .mnist, into: &moved)
        }
        #expect(maxRelativeError(identity, plain) < 1e-5)
        #expect(plain != moved)
        // Ink mass is roughly preserved by a small shift and rotation.
        let bg = -Normalization.mnist.mean / Normalization.mnist.std
        let inkPlain = plain.reduce(0) { $0 + ($1 - bg) }, inkMoved = moved.reduce(0) { $0 + ($1 - bg) }
        #expect(abs(inkMoved - inkPlain) / inkPlain < 0.1)
    }

    /// A bold digit is the digit's 3x3 maximum (each pixel the darkest ink around it), drawn
    /// for about Augmentation.boldShare of the digits and never for a touching pair.
    @Test func boldAugmentationThickensDigitsOnly() {
        var bold = [Float](repeating: 0, count: 1024), grown = bold
        let digit = Array(mnistTest.images[0..<784])
        var max3 = [UInt8](repeating: 0, count: 784)
        for y in 0..<28 {
            for x in 0..<28 {
                for dy in -1...1 { for dx in -1...1 where (0..<28).contains(y + dy) && (0..<28).contains(x + dx) {
                    max3[y * 28 + x] = max(max3[y * 28 + x], digit[(y + dy) * 28 + x + dx])
                } }
            }
        }
        digit.withUnsafeBufferPointer { Augmentation(dx: 0, dy: 0, radians: 0, bold: true).input(from: $0.baseAddress!, .mnist, into: &bold) }
        max3.withUnsafeBufferPointer { Normalization.mnist.input(from: $0.baseAddress!, into: &grown) }
        #expect(maxRelativeError(bold, grown) < 1e-5)
        #expect(max3.reduce(0) { $0 + Int($1) } > digit.reduce(0) { $0 + Int($1) } * 3 / 2)
        var rng = Xoshiro256(seed: 3)
        let digits = (0..<10_000).filter { _ in Augmentation.random(&rng, label: 4).bold }.count
        let pairs = (0..<10_000).filter { _ in Augmentation.random(&rng, label: TrainingLabel.noDigit).bold }.count
        #expect(abs(Float(digits) / 10_000 - Augmentation.boldShare) < 0.02, "\(digits) of 10000 digits bold")
        #expect(pairs == 0)
    }
}
