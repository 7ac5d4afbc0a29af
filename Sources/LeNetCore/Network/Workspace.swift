import LeNetKernelAPI

/// Activations and scratch for a forward and backward pass over up to `capacity` images:
/// allocated once per worker so the training loop and batched inference never allocate.
/// Each image's maps are planar ([channel][y][x]) but conv2's (`a2`), which is
/// position-major ([100][16]): the backward pass reads it sixteen channels at a time.
package final class Workspace {
    package let capacity: Int
    package let x, a1, p1, a2, p2, h1, h2, z: UnsafeMutablePointer<Float>
    package let scratch: Scratch
    private let storage: UnsafeMutablePointer<Float>

    /// The kernel build this workspace's passes run.
    package var kernels: any KernelProvider.Type { scratch.kernels }

    package init(capacity: Int, level: KernelLevel = .active) {
        precondition(capacity > 0)
        self.capacity = capacity
        scratch = Scratch(capacity: 64 * 1024, level: level)
        typealias L = LeNet5
        let sizes = [L.inputSize, L.conv1Size, L.pool1Size, L.conv2Size, L.flat, L.hidden1, L.hidden2, L.classes].map { $0 * capacity }
        // Left uninitialised: every buffer is written before it is read, and zeroing them
        // would cost a batch-1 inference call a large part of its time.
        let (storage, p) = allocateBuffers(sizes)
        self.storage = storage
        (x, a1, p1, a2, p2, h1, h2, z) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
    }

    /// The backward pass's buffers, allocated on first use: inference never asks for them.
    package private(set) lazy var gradients = Gradients(capacity: capacity)

    deinit { storage.deallocate() }

    /// The normalised inputs, `capacity` x 1x32x32: fill before `forward`.
    package var inputs: UnsafeMutablePointer<Float> { x }
    /// The logits of the last `forward`, count x 10.
    package var logits: UnsafePointer<Float> { UnsafePointer(z) }
}

/// The backward pass's buffers for up to `capacity` images. conv2's output gradient
/// (position-major, [capacity*100][16]) holds the group's images one after another; `dw2`
/// is conv2's weight gradient summed over the group, as stamps ([16][5][32]); `p1c` and
/// `dp1c` one image's pool1 map and its gradient channel-last ([14][14][6], and two floats
/// the stamp kernels read past it); `col` two [100][16] maps and `dcol` one image's im2col
/// matrix [150 x 100], for the definitions (`forwardImageByImage`, `backwardImageByImage`).
package final class Gradients {
    let dz, dh2, dh1, dp2, col, da2, dcol, dp1, da1, dw2, dp1c, p1c: UnsafeMutablePointer<Float>
    private let storage: UnsafeMutablePointer<Float>

    init(capacity: Int) {
        typealias L = LeNet5
        let positions = L.conv2Positions * capacity
        let perImage = [L.classes, L.hidden2, L.hidden1, L.flat].map { $0 * capacity }
        let sizes = perImage
            + [2 * L.conv2Size, L.conv2Channels * positions, L.conv2Patch * L.conv2Positions, L.pool1Size, L.conv1Size,
               PackedWeights.stampsSize, L.pool1Size + 16, L.pool1Size + 16]
        let (storage, p) = allocateBuffers(sizes)
        self.storage = storage
        (dz, dh2, dh1, dp2, col, da2, dcol, dp1, da1, dw2, dp1c, p1c) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11])
        dp1c.update(repeating: 0, count: L.pool1Size + 16)
        p1c.update(repeating: 0, count: L.pool1Size + 16)
    }

    deinit { storage.deallocate() }
}

/// One allocation cut into consecutive buffers of `sizes` floats: the storage to free and
/// where each buffer starts.
package func allocateBuffers(_ sizes: [Int]) -> (storage: UnsafeMutablePointer<Float>, buffers: [UnsafeMutablePointer<Float>]) {
    let storage = UnsafeMutablePointer<Float>.allocate(capacity: sizes.reduce(0, +))
    var next = storage
    return (storage, sizes.map { size in
        defer { next += size }
        return next
    })
}

// A workspace is used by one thread at a time: `WorkspacePool` (the trainer's, and
// inference's) lends each one to a single task or caller until it is given back.
extension Workspace: @unchecked Sendable {}
