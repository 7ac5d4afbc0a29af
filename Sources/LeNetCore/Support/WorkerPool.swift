import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Threads kept for `parallelFor`: each spins for a short while after a job before it
/// sleeps, so back-to-back parallel sections (two per training batch, one per inference
/// call) start in about a microsecond. Handing two tasks to Dispatch's concurrentPerform
/// cost 60 to 70 us here, waking its worker: more than half of a 64-image int8 batch.
///
/// One job at a time: a `run` that finds the pool busy (another thread predicting, or a
/// task that itself calls parallelFor) returns false and the caller runs its tasks itself.
/// In a child process made by fork() the threads are gone and a lock may have been copied
/// held: the child's first `run` starts a new set of threads with new locks, so a model
/// used in a `multiprocessing` fork worker runs on as many threads as in the parent.
/// How many fork()s lie between this process and the one that loaded the library: a lock
/// word tagged with an older value was copied held from a parent, whose holder does not
/// exist here (WorkspacePool).
package let forkGeneration = Atomic<Int>(0)

@usableFromInline
final class WorkerPool: @unchecked Sendable {
    @usableFromInline static let shared = WorkerPool(threads: Threads.available - 1)

    /// How long an idle worker keeps looking for the next job before it sleeps.
    private static let spinSeconds = 0.0002

    /// One call's tasks. Workers that saw it keep a reference; once `next` is past
    /// `count` they only leave, so a late one never touches the caller's closure.
    private final class Job: @unchecked Sendable {
        let count: Int
        let helpers: Int
        unowned(unsafe) let box: TaskBox
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let joined = Atomic<Int>(0)

        init(count: Int, helpers: Int, box: TaskBox) {
            self.count = count
            self.helpers = helpers
            self.box = box
        }

        /// Runs tasks until none is left.
        func work() {
            while true {
                let t = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard t < count else { return }
                box.body(t)
                finished.wrappingAdd(1, ordering: .releasing)
            }
        }
    }

    private let threads: Int
    private let busy = Atomic<Bool>(false)
    /// Set in a forked child until its first `run` has started the new threads.
    private let restartPending = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    // `current` and the sleepers' wake-up are guarded by `mutex`. Both are replaced only
    // in a forked child, before its threads exist.
    private var current: Job?
    private var mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var wake: UnsafeMutablePointer<pthread_cond_t>

    private init(threads: Int) {
        self.threads = max(0, threads)
        (mutex, wake) = Self.makeLocks()
        pthread_atfork(nil, nil) {
            // Only flags here: the child may not be able to do more until it runs again.
            forkGeneration.wrappingAdd(1, ordering: .relaxed)
            let pool = WorkerPool.shared
            pool.busy.store(false, ordering: .relaxed)
            pool.restartPending.store(true, ordering: .relaxed)
        }
        startThreads()
    }

    private static func makeLocks() -> (UnsafeMutablePointer<pthread_mutex_t>, UnsafeMutablePointer<pthread_cond_t>) {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        let c = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        pthread_cond_init(c, nil)
        return (m, c)
    }

    /// In a forked child, while holding `busy`: the parent's locks may have been copied
    /// held by a thread that does not exist here, so they are left (a few bytes leaked)
    /// and new ones made.
    private func restartAfterFork() {
        (mutex, wake) = Self.makeLocks()
        current = nil
        startThreads()
        restartPending.store(false, ordering: .releasing)
    }

    private func startThreads() {
        for _ in 0..<self.threads {
            var thread = pthread_t()
            let context = Unmanaged.passUnretained(self).toOpaque()
            if pthread_create(&thread, nil, { context in
                Unmanaged<WorkerPool>.fromOpaque(context!).takeUnretainedValue().serve()
                return nil
            }, context) == 0 {
                pthread_detach(thread)
            }
        }
    }

    /// Runs `box.body(t)` for every t in 0..<tasks on the calling thread and up to
    /// `helpers` pool threads; false (nothing run) when the pool is busy or has no threads.
    @usableFromInline
    func run(tasks: Int, helpers: Int, _ box: TaskBox) -> Bool {
        guard threads > 0, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { busy.store(false, ordering: .releasing) }
        if restartPending.load(ordering: .acquiring) { restartAfterFork() }
        let job = Job(count: tasks, helpers: min(helpers, threads), box: box)
        pthread_mutex_lock(mutex)
        current = job
        generation.wrappingAdd(1, ordering: .releasing)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        job.work()
        while job.finished.load(ordering: .acquiring) < tasks {}
        pthread_mutex_lock(mutex)
        current = nil
        pthread_mutex_unlock(mutex)
        return true
    }

    private func serve() -> Never {
        var seen = 0
        while true {
            let deadline = monotonicSeconds() + Self.spinSeconds
            while generation.load(ordering: .acquiring) == seen, monotonicSeconds() < deadline {}
            pthread_mutex_lock(mutex)
            while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(wake, mutex) }
            seen = generation.load(ordering: .acquiring)
            let job = current
            pthread_mutex_unlock(mutex)
            if let job, job.joined.wrappingAdd(1, ordering: .relaxed).oldValue < job.helpers { job.work() }
        }
    }
}
