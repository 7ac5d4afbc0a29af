import LeNetKernelAPI

/// Activations and scratch for a forward and backward pass over up to `capacity` images:
/// allocated once per worker so the training loop and batched inference never allocate.
package final class Workspace {
    package let capacity: Int
    let x, a1, p1, a2, p2, h1, h2, z: UnsafeMutablePointer<Float>
    let dz, dh2, dh1, dp2, col, da2, dcol, dp1, da1: UnsafeMutablePointer<Float>
    let scratch: Scratch
    private let storage: UnsafeMutablePointer<Float>

    /// The kernel build this workspace's passes run.
    package var kernels: any KernelProvider.Type { scratch.kernels }

    package init(capacity: Int, level: KernelLevel = .active) {
        precondition(capacity > 0)
        self.capacity = capacity
        scratch = Scratch(capacity: 64 * 1024, level: level)
        let perImage = [LeNet5.inputSize, 6 * 784, 6 * 196, 16 * 100, 400, 120, 84, 10, 10, 84, 120, 400]
        let shared = [150 * 100, 16 * 100, 150 * 100, 6 * 196, 6 * 784]
        let total = perImage.reduce(0, +) * capacity + shared.reduce(0, +)
        // Left uninitialised: every buffer is written before it is read, and zeroing ~190 KB
        // would cost a batch-1 inference call a third of its time.
        storage = .allocate(capacity: total)
        var next = storage
        func take(_ n: Int) -> UnsafeMutablePointer<Float> {
            defer { next += n }
            return next
        }
        x = take(LeNet5.inputSize * capacity)
        a1 = take(6 * 784 * capacity); p1 = take(6 * 196 * capacity)
        a2 = take(1600 * capacity); p2 = take(400 * capacity)
        h1 = take(120 * capacity); h2 = take(84 * capacity); z = take(10 * capacity)
        dz = take(10 * capacity); dh2 = take(84 * capacity); dh1 = take(120 * capacity); dp2 = take(400 * capacity)
        col = take(150 * 100); da2 = take(1600); dcol = take(15_000); dp1 = take(6 * 196); da1 = take(6 * 784)
    }

    private var panelStorage: (pointer: UnsafeMutablePointer<Float>, count: Int)?

    deinit {
        storage.deallocate()
        panelStorage?.pointer.deallocate()
    }

    /// `count` floats for `LeNet5.infer`'s conv2 panels, allocated on first use (training
    /// never asks) and zeroed then: the panel columns no output row fills are never
    /// written, so they stay zero, and the ones a shorter last chunk leaves hold earlier
    /// chunks' finite values.
    package func inferencePanels(_ count: Int) -> UnsafeMutablePointer<Float> {
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
