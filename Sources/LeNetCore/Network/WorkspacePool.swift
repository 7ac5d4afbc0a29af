import Synchronization

/// Scratch memory that inference borrows per call and gives back.
protocol PooledWorkspace: AnyObject, Sendable {
    var capacity: Int { get }
    static func make(capacity: Int) -> Self
}

/// Workspaces kept between inference calls, so a batch-1 prediction allocates nothing: a
/// 32-image workspace is ~1.3 MB, and even a 1-image one is large enough that malloc maps
/// and unmaps it on every call.
final class WorkspacePool<W: PooledWorkspace>: @unchecked Sendable {
    /// At most this many idle workspaces are kept (a few per thread that predicts at once).
    private static var limit: Int { 16 }
    private let idle = Mutex<[W]>([])

    /// A workspace for at least `capacity` images.
    func take(capacity: Int) -> W {
        let found = idle.withLock { list -> W? in
            guard let i = list.firstIndex(where: { $0.capacity >= capacity }) else { return nil }
            return list.remove(at: i)
        }
        return found ?? W.make(capacity: capacity)
    }

    func give(_ ws: W) {
        idle.withLock { list in
            if list.count < Self.limit { list.append(ws) }
        }
    }
}

let floatWorkspaces = WorkspacePool<Workspace>()

extension Workspace: PooledWorkspace {
    static func make(capacity: Int) -> Self { Self(capacity: capacity) }
}
