extension LeNet5 {
    /// Number of rows of `logits` (count x 10) whose largest entry is at the label.
    package static func countCorrect(_ logits: UnsafePointer<Float>, _ labels: [UInt8], _ count: Int) -> Int {
        var correct = 0
        for i in 0..<count where argmax(logits + i * classes, classes) == Int(labels[i]) { correct += 1 }
        return correct
    }

    @inline(__always)
    package static func argmax(_ p: UnsafePointer<Float>, _ n: Int) -> Int {
        var best = 0
        for i in 1..<n where p[i] > p[best] { best = i }
        return best
    }

    /// Logits (count x 10) into `out` for `count` images, where `fill(i, x)` writes image
    /// i's normalised 1x32x32 input to `x`. The images are split across `threads` workers in
    /// contiguous ranges; each image's result is independent of the split. `fill` runs on
    /// the workers concurrently.
    package static func logits(
        _ weights: PackedWeights, count: Int, threads: Int, into out: UnsafeMutablePointer<Float>,
        fill: (Int, UnsafeMutablePointer<Float>) -> Void
    ) {
        inGroups(count: count, threads: threads, floatWorkspaces) { ws, range in
            for j in 0..<range.count { fill(range.lowerBound + j, ws.x + j * inputSize) }
            infer(weights, count: range.count, ws)
            (out + range.lowerBound * classes).update(from: ws.logits, count: range.count * classes)
        }
    }

    /// Logits (count x 10) into `out` for `count` normalised inputs read where they lie
    /// (no copy into the workspaces), split across `threads` workers as `logits(fill:)`.
    package static func logits(
        _ weights: PackedWeights, inputs: UnsafePointer<Float>, count: Int, threads: Int, into out: UnsafeMutablePointer<Float>
    ) {
        inGroups(count: count, threads: threads, floatWorkspaces) { ws, range in
            infer(weights, count: range.count, ws, inputs: inputs + range.lowerBound * inputSize)
            (out + range.lowerBound * classes).update(from: ws.logits, count: range.count * classes)
        }
    }

    /// Runs `body(workspace, images)` over `0..<count` in groups of up to 32 images: the
    /// images split across at most `threads` workers in contiguous ranges (more threads only
    /// where each gets a whole group), each worker with a pooled workspace.
    static func inGroups<W: PooledWorkspace>(
        count: Int, threads: Int, _ pool: WorkspacePool<W>, _ body: (W, Range<Int>) -> Void
    ) {
        guard count > 0 else { return }
        let group = 32, workers = min(max(1, threads), (count + group - 1) / group)
        let per = (count + workers - 1) / workers
        parallelFor(tasks: workers, threads: workers) { w in
            var i = w * per
            let end = min(count, i + per)
            guard i < end else { return }
            let ws = pool.take(capacity: min(group, end - i))
            defer { pool.give(ws) }
            while i < end {
                let m = min(ws.capacity, end - i)
                body(ws, i..<(i + m))
                i += m
            }
        }
    }
}
