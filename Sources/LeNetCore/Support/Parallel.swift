import CCPU

/// How many threads the engine uses: `LENET_NUM_THREADS` when set to a positive number,
/// otherwise the cores this process may run on.
public enum Threads {
    public static var available: Int {
        Int(lenetcpu_usable_cores())
    }

    public static var defaultCount: Int {
        if let s = LibC.environment("LENET_NUM_THREADS"), let n = Int(s), n > 0 {
            return min(n, 256)
        }
        return available
    }
}

/// Runs `body(task)` for every task in `0..<tasks` on at most `threads` threads. Each task
/// writes only its own outputs, so the result does not depend on which thread ran it.
@inlinable
package func parallelFor(tasks: Int, threads: Int, _ body: (Int) -> Void) {
    let workers = min(max(1, threads), tasks)
    if workers <= 1 {
        for t in 0..<tasks { body(t) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let box = TaskBox(body)
        if WorkerPool.shared.run(tasks: tasks, helpers: workers - 1, box) { return }
        // The pool is busy with another caller's work, which already keeps the cores it
        // was sized for busy: this caller runs its own tasks (more threads would only take
        // turns with the pool's). No libdispatch: it is 0.3 MB of liblenet.so, and unusable
        // in a child made by fork().
        for t in 0..<tasks { box.body(t) }
    }
}

@usableFromInline
final class TaskBox: @unchecked Sendable {
    @usableFromInline let body: (Int) -> Void
    @usableFromInline init(_ body: @escaping (Int) -> Void) { self.body = body }
}
