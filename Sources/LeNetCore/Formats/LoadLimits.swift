/// Bounds on one model load, so that a hostile file cannot make the loader take more
/// memory or time than its caller allows. Every number a file declares (an entry's
/// inflated size, a tensor's shape, a pickle's items, a JSON header's values) is charged
/// against the budget before anything is allocated for it.
public struct LoadLimits: Sendable, Equatable {
    /// The largest model file accepted, and, separately, the most memory that decoding it
    /// may allocate (inflated zip entries, parsed values, gathered tensors). A LeNet-5 file
    /// is under 1 MB; the default leaves ample room for metadata and float64 exports.
    public var maxBytes: Int

    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    public static let `default` = LoadLimits(maxBytes: 64 << 20)
}

/// The running total of one load's allocations, checked against `LoadLimits.maxBytes`.
final class LoadBudget {
    let limit: Int
    private(set) var used = 0

    init(_ limits: LoadLimits) { limit = limits.maxBytes }

    /// Accounts for `count` items of `size` bytes each, or throws naming `what`.
    func charge(_ count: Int, of size: Int = 1, _ what: @autoclosure () -> String) throws {
        let (bytes, o1) = count.multipliedReportingOverflow(by: size)
        let (total, o2) = used.addingReportingOverflow(bytes)
        guard count >= 0, !o1, !o2, total <= limit else {
            throw LeNetError.format("\(what()) would take more than the load limit of \(limit) bytes")
        }
        used = total
    }
}

/// The product of `dimensions`, or nil when it overflows or any is negative: element
/// counts come from files, so they are never multiplied unchecked.
func checkedProduct(_ dimensions: [Int]) -> Int? {
    var n = 1
    for d in dimensions {
        guard d >= 0 else { return nil }
        let (p, overflow) = n.multipliedReportingOverflow(by: d)
        guard !overflow else { return nil }
        n = p
    }
    return n
}
