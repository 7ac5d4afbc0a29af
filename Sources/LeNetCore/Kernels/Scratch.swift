import LeNetKernelAPI

/// Growable scratch memory owned by one worker, so hot loops never allocate; it also
/// carries the kernel build that worker runs.
public final class Scratch {
    public private(set) var pointer: UnsafeMutablePointer<Float>
    public private(set) var capacity: Int
    public let kernels: any KernelProvider.Type

    public init(capacity: Int = 0, level: KernelLevel = .active) {
        kernels = level.kernels
        self.capacity = max(capacity, 64)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Memory for at least `count` floats; contents are unspecified.
    public func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
        }
        return pointer
    }
}
