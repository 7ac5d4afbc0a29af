import LeNetKernelAPI

/// Growable scratch memory owned by one worker, so hot loops never allocate; it also
/// carries the kernel build that worker runs.
package final class Scratch {
    package private(set) var pointer: UnsafeMutablePointer<Float>
    package private(set) var capacity: Int
    package let kernels: any KernelProvider.Type

    package init(capacity: Int = 0, level: KernelLevel = .active) {
        kernels = level.kernels
        self.capacity = max(capacity, 64)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Memory for at least `count` floats; contents are unspecified.
    package func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
        }
        return pointer
    }
}
