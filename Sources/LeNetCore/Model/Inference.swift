extension LeNet5 {
    /// Number of rows of `logits` (count x 10) whose largest entry is at the label.
    public static func countCorrect(_ logits: UnsafePointer<Float>, _ labels: [UInt8], _ count: Int) -> Int {
        var correct = 0
        for i in 0..<count where argmax(logits + i * classes, classes) == Int(labels[i]) { correct += 1 }
        return correct
    }

    @inline(__always)
    public static func argmax(_ p: UnsafePointer<Float>, _ n: Int) -> Int {
        var best = 0
        for i in 1..<n where p[i] > p[best] { best = i }
        return best
    }

    /// Logits (count x 10) for `count` 28x28 u8 digits, split across `threads` workers in
    /// contiguous ranges; each image's result is independent of the split.
    public static func logits(
        parameters: [Float], digits: UnsafeBufferPointer<UInt8>, normalization: Normalization = .mnist,
        threads: Int = Threads.defaultCount
    ) -> [Float] {
        let count = digits.count / DigitSet.pixels
        var out = [Float](repeating: 0, count: count * classes)
        guard count > 0 else { return out }
        let group = 32, workers = min(max(1, threads), (count + group - 1) / group)
        let per = (count + workers - 1) / workers
        let weights = PackedWeights(parameters)
        do {
            out.withUnsafeMutableBufferPointer { o in
                parallelFor(tasks: workers, threads: workers) { w in
                    let ws = Workspace(capacity: group)
                    var i = w * per
                    let end = min(count, i + per)
                    while i < end {
                        let m = min(group, end - i)
                        for j in 0..<m {
                            normalization.input(from: digits.baseAddress! + (i + j) * DigitSet.pixels, into: ws.x + j * inputSize)
                        }
                        forward(weights, count: m, ws)
                        (o.baseAddress! + i * classes).update(from: ws.logits, count: m * classes)
                        i += m
                    }
                }
            }
        }
        return out
    }

    /// Predicted labels for a digit set.
    public static func predictions(parameters: [Float], data: DigitSet, normalization: Normalization = .mnist,
                                   threads: Int = Threads.defaultCount) -> [UInt8] {
        let z = data.images.withUnsafeBufferPointer { logits(parameters: parameters, digits: $0, normalization: normalization, threads: threads) }
        return z.withUnsafeBufferPointer { zp in
            (0..<data.count).map { UInt8(argmax(zp.baseAddress! + $0 * classes, classes)) }
        }
    }
}
