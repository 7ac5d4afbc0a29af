import Synchronization

/// Scratch memory that inference borrows per call and gives back.
protocol PooledWorkspace: AnyObject, Sendable {
    var capacity: Int { get }
    static func make(capacity: Int) -> Self
}

/// Workspaces kept between inference calls, so a batch-1 prediction allocates nothing: a
/// 32-image workspace is ~1.3 MB, and even a 1-image one is large enough that malloc maps
/// and unmaps it on every call.
///
/// Its lock is a word holding the holder's fork generation, not a `Mutex`: a process forked
/// while another of its threads held the lock gets a copy that nobody will release (Swift's
/// Mutex then traps on the dead owner); here the child sees an older generation and takes
/// the lock over, with an empty list, since the copied one may be mid-change.
final class WorkspacePool<W: PooledWorkspace>: @unchecked Sendable {
    /// At most this many idle workspaces are kept (a few per thread that predicts at once).
    private static var limit: Int { 16 }
    private let lockWord = Atomic<Int>(0)
    /// Idle workspaces with the thread that gave each back.
    private var idle: [(workspace: W, thread: UInt)] = []

    /// A workspace for at least `capacity` images: preferably one this thread gave back
    /// (its memory is likely still in this core's cache), else the one given back last.
    func take(capacity: Int) -> W {
        let me = LibC.currentThread()
        let found = locked { () -> W? in
            guard let i = idle.lastIndex(where: { $0.thread == me && $0.workspace.capacity >= capacity })
                ?? idle.lastIndex(where: { $0.workspace.capacity >= capacity }) else { return nil }
            return idle.remove(at: i).workspace
        }
        return found ?? W.make(capacity: capacity)
    }

    func give(_ ws: W) {
        let me = LibC.currentThread()
        locked {
            if idle.count < Self.limit { idle.append((ws, me)) }
        }
    }

    /// Runs `body` holding the lock, held for a few instructions at a time: a spin.
    private func locked<T>(_ body: () -> T) -> T {
        let mine = forkGeneration.load(ordering: .relaxed) + 1
        var attempts = 0
        while true {
            let (taken, seen) = lockWord.compareExchange(expected: 0, desired: mine, ordering: .acquiring)
            if taken { break }
            if seen != mine, lockWord.compareExchange(expected: seen, desired: mine, ordering: .acquiring).exchanged {
                // Copied held from the parent: leave the list it may have been changing.
                withUnsafeMutablePointer(to: &idle) { $0.initialize(to: []) }
                break
            }
            // More threads than cores: the holder may be waiting for this one's core.
            attempts += 1
            if attempts % 64 == 0 { LibC.yield() }
        }
        defer { lockWord.store(0, ordering: .releasing) }
        return body()
    }
}

let floatWorkspaces = WorkspacePool<Workspace>()

extension Workspace: PooledWorkspace {
    static func make(capacity: Int) -> Self { Self(capacity: capacity) }
}
