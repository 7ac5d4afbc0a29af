import LeNetKernelAPI

/// Activations and scratch for a forward and backward pass over up to `capacity` images:
/// allocated once per worker so the training loop and batched inference never allocate.
package final class Workspace {
    package let capacity: Int
    package let x, a1, p1, a2, p2, h1, h2, z: UnsafeMutablePointer<Float>
    let dz, dh2, dh1, dp2, col, da2, dcol, dp1, da1: UnsafeMutablePointer<Float>
    let scratch: Scratch
    private let storage: UnsafeMutablePointer<Float>

    /// The kernel build this workspace's passes run.
    package var kernels: any KernelProvider.Type { scratch.kernels }

    package init(capacity: Int, level: KernelLevel = .active) {
        precondition(capacity > 0)
        self.capacity = capacity
        scratch = Scratch(capacity: 64 * 1024, level: level)
        typealias L = LeNet5
        let im2col = L.conv2Patch * L.conv2Positions
        // Per image (times capacity), then one each for the group's backward pass, in the
        // order they are taken below.
        let sizes = [L.inputSize, L.conv1Size, L.pool1Size, L.conv2Size, L.flat, L.hidden1, L.hidden2, L.classes,
                     L.classes, L.hidden2, L.hidden1, L.flat].map { $0 * capacity }
            + [im2col, L.conv2Size, im2col, L.pool1Size, L.conv1Size]
        // Left uninitialised: every buffer is written before it is read, and zeroing ~190 KB
        // would cost a batch-1 inference call a third of its time.
        storage = .allocate(capacity: sizes.reduce(0, +))
        var next = storage, taken = 0
        func take() -> UnsafeMutablePointer<Float> {
            defer { next += sizes[taken]; taken += 1 }
            return next
        }
        x = take(); a1 = take(); p1 = take(); a2 = take(); p2 = take(); h1 = take(); h2 = take(); z = take()
        dz = take(); dh2 = take(); dh1 = take(); dp2 = take()
        col = take(); da2 = take(); dcol = take(); dp1 = take(); da1 = take()
    }

    private var panelStorage: (pointer: UnsafeMutablePointer<Float>, count: Int)?

    deinit {
        storage.deallocate()
        panelStorage?.pointer.deallocate()
    }

    /// `count` floats for the batched forward pass's conv2 panels, allocated on first use (the
    /// backward pass never asks) and zeroed then: the panel columns no output row fills are never
    /// written, so they stay zero, and the ones a shorter last chunk leaves hold earlier
    /// chunks' finite values.
    package func conv2Panels(_ count: Int) -> UnsafeMutablePointer<Float> {
        if let p = panelStorage, p.count >= count { return p.pointer }
        panelStorage?.pointer.deallocate()
        let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
        p.initialize(repeating: 0, count: count)
        panelStorage = (p, count)
        return p
    }

    /// The normalised inputs, `capacity` x 1x32x32: fill before `forward`.
    package var inputs: UnsafeMutablePointer<Float> { x }
    /// The logits of the last `forward`, count x 10.
    package var logits: UnsafePointer<Float> { UnsafePointer(z) }
}

// A workspace is used by one thread at a time: the trainer gives each group its own, and
// `WorkspacePool` hands each one to a single caller until it is given back.
extension Workspace: @unchecked Sendable {}
