import Synchronization

/// Workspaces kept between inference calls, so a batch-1 prediction allocates nothing: a
/// 32-image workspace is ~1.3 MB, and even a 1-image one is large enough that malloc maps
/// and unmaps it on every call.
final class WorkspacePool: Sendable {
    static let shared = WorkspacePool()

    /// At most this many idle workspaces are kept (a few per thread that predicts at once).
    private static let limit = 16
    private let idle = Mutex<[Workspace]>([])

    /// A workspace for at least `capacity` images of the active kernel level.
    func take(capacity: Int) -> Workspace {
        let found = idle.withLock { list -> Workspace? in
            guard let i = list.firstIndex(where: { $0.capacity >= capacity }) else { return nil }
            return list.remove(at: i)
        }
        return found ?? Workspace(capacity: capacity)
    }

    func give(_ ws: Workspace) {
        idle.withLock { list in
            if list.count < Self.limit { list.append(ws) }
        }
    }
}
