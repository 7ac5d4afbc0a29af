import LeNetCore
import Testing

/// Classes of hostile input, each refused with a format error and without the work or
/// memory it asks for (Tests/Fixtures/hostile/make_hostile.py writes file versions of these
/// for the C API and the CLI; `make test-hostile` runs them).
@Suite struct HostileInputTests {
    func pth(_ pickle: [UInt8]) -> [UInt8] { PyTorchWriter.zip([("archive/data.pkl", pickle)]) }

    func refusal(_ bytes: [UInt8], limits: LoadLimits = .default) -> String? {
        do {
            _ = try Model.load(bytes: bytes, limits: limits)
            return nil
        } catch let e as LeNetError {
            if case .format = e { return e.description }
            return "wrong kind: \(e)"
        } catch {
            return "not a LeNetError: \(error)"
        }
    }

    @Test func deeplyNestedPicklesAreRefused() {
        let tuples = pth([0x80, 0x02, 0x29] + [UInt8](repeating: 0x85, count: 60_000) + [0x2E])
        #expect(refusal(tuples)?.contains("nest deeper than") == true)
        let lists = pth([0x80, 0x02] + [UInt8](repeating: 0x5D, count: 60_000) + [UInt8](repeating: 0x61, count: 59_999) + [0x2E])
        #expect(refusal(lists)?.contains("nest deeper than") == true)
        // 32 levels are allowed: the limit is a limit, not a refusal of nesting.
        let fine = pth([0x80, 0x02, 0x29] + [UInt8](repeating: 0x85, count: 31) + [0x2E])
        #expect(refusal(fine)?.contains("nest deeper") != true)
    }

    @Test func repeatedCopiesOfALargeListHitTheBudget() {
        // A list memoized after every APPEND: each append would copy the whole list.
        var pickle: [UInt8] = [0x80, 0x02, 0x5D, 0x94]
        for _ in 0..<80_000 { pickle += [0x4B, 0x01, 0x61, 0x94] }
        #expect(refusal(pth(pickle + [0x2E]))?.contains("load limit") == true)
        // A smaller budget trips sooner: the limit is the caller's.
        var small: [UInt8] = [0x80, 0x02, 0x5D, 0x94]
        for _ in 0..<300 { small += [0x4B, 0x01, 0x61, 0x94] }
        #expect(refusal(pth(small + [0x2E]), limits: LoadLimits(maxBytes: 64 << 10))?.contains("load limit") == true)
    }

    @Test func aModelAboveTheLoadLimitIsRefusedBeforeDecoding() throws {
        let bytes = try Model(parameters: LeNet5.initialParameters(seed: 1)).encoded(as: .lenet)
        #expect(refusal(bytes, limits: LoadLimits(maxBytes: bytes.count - 1))?.contains("above the load limit") == true)
        #expect(refusal(bytes, limits: LoadLimits(maxBytes: bytes.count)) == nil)
    }

    /// A checkpoint that loads but would poison a resumed run is refused at load time.
    @Test func poisonedTrainingStateIsRefused() throws {
        var o = TrainingOptions()
        o.epochs = 2
        let trainer = try Trainer(options: o, threads: 2)
        try trainer.trainEpoch(mnistTrain.prefix(300))
        let model = Model(parameters: trainer.parameters, training: trainer.state)
        let file = model.checkpoint
        #expect(refusal(try file.encoded()) == nil)

        var step = file
        step.metadata = step.metadata.map { $0.key == "training.optimizer_step" ? ($0.key, "9223372036854775807") : $0 }
        #expect(refusal(try step.encoded())?.contains("optimizer step") == true)

        var nan = file
        let index = try #require(nan.tensors.firstIndex { $0.name == "optimizer.second" })
        let count = nan.tensors[index].elementCount
        nan.tensors[index] = .init(name: "optimizer.second", shape: [count], floats: [Float](repeating: .nan, count: count))
        #expect(refusal(try nan.encoded())?.contains("optimizer state") == true)
    }

    @Test func aDivergingRunStopsBeforeItsModelIsHandedOn() throws {
        // Weights near Float's limit overflow the activations: the loss becomes NaN.
        let o = TrainingOptions()
        let state = TrainingState(options: o, parameters: [Float](repeating: 3e38, count: LeNet5.parameterCount),
                                  optimizer: OptimizerState(parameterCount: LeNet5.parameterCount),
                                  rng: Xoshiro256(seed: 1), epoch: 0)
        let trainer = try Trainer(resuming: state, threads: 2)
        var handedOn = 0
        #expect(throws: LeNetError.self) {
            try trainer.run(train: mnistTrain.prefix(200), test: nil) { _, _ in handedOn += 1 }
        }
        #expect(handedOn == 0)
    }

    @Test func messagesAreBoundedAndSafeForTerminals() {
        let long = LeNetError.format("tensor '\(String(repeating: "x", count: 10_000_000))' is missing").description
        #expect(long.utf8.count < 1_100)
        #expect(long.hasSuffix("more bytes)"))
        let escape = LeNetError.format("tensor '\u{1B}]0;owned\u{07}' is missing").description
        #expect(!escape.unicodeScalars.contains { $0.value < 0x20 })
        #expect(escape.contains("\\u{1b}"))
    }
}
