import CLeNetTypes
import LeNetCore

/// Classifies `count` 28x28 grey digits, MNIST-style (0 = background, 255 = ink), stored
/// row-major one after another in `images` (count * 784 bytes).
/// Writes, per image, the predicted digit to `labels[i]` (if `labels` is not NULL; it
/// holds `labels_count` >= count elements) and 10 scores to `scores[10*i ...]` (if
/// `scores` is not NULL; `scores_count` >= 10 * count), probabilities or logits as
/// `output` says. At least one of labels and scores must be given.
/// Returns LENET_ERR_INVALID_ARGUMENT (NULL model or images, zero images, no output, an
/// unknown `output`) or LENET_ERR_BUFFER_TOO_SMALL (nothing is written then).
/// Thread-safe: any number of threads may predict with one model at once.
@_cdecl("lenet_model_predict")
public func lenet_model_predict(
    _ model: lenet_model_const_ptr, _ images: UnsafePointer<UInt8>?, _ count: Int,
    _ labels: UnsafeMutablePointer<Int32>?, _ labels_count: Int,
    _ scores: UnsafeMutablePointer<Float>?, _ scores_count: Int, _ output: lenet_output
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model), pixels = try required(images, "images")
        try predict(count, labels, labels_count, scores, scores_count, output) { start, n, out in
            box.predictor.logits(digits: pixels + start * DigitSet.pixels, count: n, threads: threadCount(), into: out)
        }
    }
}

/// Like lenet_model_predict, for inputs already normalised: `count` float tensors of
/// 1x32x32 (count * 1024 floats), e.g. (pixel/255 - 0.1307) / 0.3081 with the 28x28 digit
/// centred by a zero-pixel border of 2. A NaN or infinite input gives
/// LENET_ERR_INVALID_ARGUMENT and writes nothing.
@_cdecl("lenet_model_predict_f32")
public func lenet_model_predict_f32(
    _ model: lenet_model_const_ptr, _ inputs: UnsafePointer<Float>?, _ count: Int,
    _ labels: UnsafeMutablePointer<Int32>?, _ labels_count: Int,
    _ scores: UnsafeMutablePointer<Float>?, _ scores_count: Int, _ output: lenet_output
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model), x = try required(inputs, "inputs")
        // A NaN or infinite input would come back as NaN scores and an arbitrary label:
        // a wrong answer with a success status. Refused before anything is written.
        try predict(count, labels, labels_count, scores, scores_count, output, before: {
            if let bad = firstNonFinite(x, count: count * LeNet5.inputSize) {
                throw LeNetError.invalidArgument("input \(bad / LeNet5.inputSize), value \(bad % LeNet5.inputSize) is \(x[bad]): inputs must be finite")
            }
        }) { start, n, out in
            box.predictor.logits(inputs: x + start * LeNet5.inputSize, count: n, threads: threadCount(), into: out)
        }
    }
}

/// The largest batch one call accepts, so size arithmetic cannot overflow.
let maxImagesPerCall = 1 << 32

/// Checks the arguments, then runs `logits(start, n, out)` (the logits of images
/// start ..< start + n into `out`) over the images, straight into `scores` when given.
private func predict(
    _ count: Int, _ labels: UnsafeMutablePointer<Int32>?, _ labelsCount: Int,
    _ scores: UnsafeMutablePointer<Float>?, _ scoresCount: Int, _ output: lenet_output,
    before: () throws -> Void = {}, logits run: (Int, Int, UnsafeMutablePointer<Float>) -> Void
) throws {
    guard count != 0 else { throw LeNetError.invalidArgument("count is 0: there are no images to classify") }
    // A size_t above Int.max arrives negative: it exceeds the bound too.
    guard count > 0, count <= maxImagesPerCall else { throw LeNetError.invalidArgument("count \(cSize(count)) exceeds \(maxImagesPerCall)") }
    guard labels != nil || scores != nil else { throw LeNetError.invalidArgument("labels and scores are both NULL: nothing to write") }
    guard output == LENET_OUTPUT_PROBABILITIES || output == LENET_OUTPUT_LOGITS else {
        throw LeNetError.invalidArgument("output \(output.rawValue) is not a lenet_output")
    }
    if labels != nil, labelsCount < count { throw BoundaryError.tooSmall("labels", need: count, have: labelsCount) }
    if scores != nil, scoresCount < count * 10 { throw BoundaryError.tooSmall("scores", need: count * 10, have: scoresCount) }
    try before()

    // Logits go straight into `scores` when the caller gave room; otherwise through a
    // bounded scratch, a chunk of images at a time.
    let chunk = scores == nil ? min(count, 4096) : count
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scores == nil ? chunk * 10 : 0)
    defer { scratch.deallocate() }
    var start = 0
    while start < count {
        let n = min(chunk, count - start)
        let logits = scores.map { $0 + start * 10 } ?? scratch
        run(start, n, logits)
        for i in 0..<n {
            let z = logits + i * 10
            labels?[start + i] = Int32(LeNet5.argmax(z, 10))
            if scores != nil, output == LENET_OUTPUT_PROBABILITIES { Kernels.softmax(10, z, z) }
        }
        start += n
    }
}
