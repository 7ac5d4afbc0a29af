import Dispatch
import LeNetCore
import Synchronization
import Testing

/// parallelFor through the worker pool: every task runs exactly once, whether calls come
/// one after another, from many threads at once (the pool takes one, Dispatch the rest) or
/// nested inside a task.
@Suite struct ParallelTests {
    final class Counts: @unchecked Sendable {
        let hits: UnsafeMutablePointer<Atomic<Int>>
        let n: Int
        init(_ n: Int) {
            self.n = n
            hits = .allocate(capacity: n)
            for i in 0..<n { (hits + i).initialize(to: Atomic(0)) }
        }
        deinit { hits.deallocate() }
        func hit(_ i: Int) { hits[i].wrappingAdd(1, ordering: .relaxed) }
        var allOnce: Bool { (0..<n).allSatisfy { hits[$0].load(ordering: .relaxed) == 1 } }
    }

    @Test func everyTaskRunsOnceInBackToBackCalls() {
        for round in 0..<2_000 {
            let tasks = 1 + round % 37, counts = Counts(tasks)
            parallelFor(tasks: tasks, threads: 2 + round % 3) { counts.hit($0) }
            #expect(counts.allOnce, "round \(round)")
        }
    }

    @Test func concurrentAndNestedCallsRunEveryTaskOnce() {
        let outer = 8, rounds = 16, inner = 50, nested = 3
        // A slot for every task of every call, and for every task of the calls nested in them.
        let tasks = Counts(outer * rounds * inner), nestedTasks = Counts(outer * rounds * inner * nested)
        DispatchQueue.concurrentPerform(iterations: outer) { o in
            for r in 0..<rounds {
                parallelFor(tasks: inner, threads: 2) { i in
                    let slot = (o * rounds + r) * inner + i
                    tasks.hit(slot)
                    // A nested call inside a task: the pool is busy, so it falls back.
                    parallelFor(tasks: nested, threads: 2) { j in nestedTasks.hit(slot * nested + j) }
                }
            }
        }
        #expect(tasks.allOnce)
        #expect(nestedTasks.allOnce)
    }
}
