import Dispatch
import LeNetCore
import Synchronization
import Testing

/// What `make test-sanitize` runs under ThreadSanitizer (with ParallelTests and the
/// thread-count tests): many threads on one model, and threads loading, using and
/// releasing models of their own at once.
@Suite struct ConcurrencyTests {
    static let bytes: [UInt8] = try! Model(parameters: LeNet5.initialParameters(seed: 5)).encoded(as: .lenet)

    @Test func eightThreadsShareOneModel() throws {
        let predictor = try Predictor(Model.load(bytes: Self.bytes))
        let digits = Array(mnistTest.images.prefix(64 * 784))
        let expected = predictor.classify(digits: digits, threads: 1)
        let agree = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            // Half the callers split their batches over threads too.
            if predictor.classify(digits: digits, threads: 1 + t % 2) == expected { agree.add(1, ordering: .relaxed) }
        }
        #expect(agree.load(ordering: .relaxed) == 8)
    }

    @Test func threadsLoadUseAndFreeTheirOwnModels() {
        let agree = Atomic<Int>(0)
        let digits = Array(mnistTest.images.prefix(8 * 784))
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<5 {
                guard let m = try? Model.load(bytes: Self.bytes), let p = try? Predictor(m) else { return }
                if p.classify(digits: digits, threads: 2).count == 8 { agree.add(1, ordering: .relaxed) }
            }
        }
        #expect(agree.load(ordering: .relaxed) == 40)
    }
}
