#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import LeNetCore

/// `lenet train --log`: one JSON object a line, flushed as written so a run can be
/// followed (`tail -f`) or plotted while it trains. Epoch lines carry the numbers the
/// checkpoint's history keeps; batch lines (`--log-every N`) the mean loss and accuracy of
/// the batches since the previous batch line (the accuracy over their `digits`: the touching
/// pairs among the `images` have no right answer).
final class TrainingLog {
    private let file: UnsafeMutablePointer<FILE>
    private let every: Int?
    private var lossSum = 0.0, correct = 0.0, images = 0, digits = 0

    /// Opens `path`, appending when the run is resumed so one log holds the whole run.
    init(path: String, every: Int?, append: Bool) throws {
        guard let f = fopen(path, append ? "a" : "w") else {
            throw ValidationError("--log \(path): cannot open it for writing (\(String(cString: strerror(errno))))")
        }
        file = f
        self.every = every
    }

    deinit { fclose(file) }

    func batch(_ p: BatchProgress) {
        guard let every else { return }
        if p.batch == 1 { lossSum = 0; correct = 0; images = 0; digits = 0 }
        let windowImages = p.images - images, windowDigits = p.digits - digits
        guard p.batch % every == 0 || p.batch == p.batches, windowImages > 0 else { return }
        // The accuracy counts digits only (a touching pair has no right answer).
        let totalLoss = p.meanLoss * Double(p.images), totalCorrect = p.accuracy * Double(p.digits)
        write([
            "type": "batch", "epoch": p.epoch, "batch": p.batch, "batches": p.batches, "images": windowImages,
            "digits": windowDigits, "loss": (totalLoss - lossSum) / Double(windowImages),
            "train_accuracy": windowDigits > 0 ? (totalCorrect - correct) / Double(windowDigits) : 0, "learning_rate": p.learningRate,
        ])
        lossSum = totalLoss; correct = totalCorrect; images = p.images; digits = p.digits
    }

    func epoch(_ r: EpochReport) {
        var object: [String: Any] = [
            "type": "epoch", "epoch": r.epoch, "epochs": r.epochs, "loss": r.loss, "train_accuracy": r.trainAccuracy,
            "learning_rate": r.learningRate, "seconds": r.seconds, "images": r.images,
            "images_per_second": r.seconds > 0 ? Double(r.images) / r.seconds : 0,
        ]
        if let t = r.testAccuracy { object["test_accuracy"] = t }
        if let v = r.validationAccuracy { object["validation_accuracy"] = v }
        write(object)
    }

    private func write(_ object: [String: Any]) {
        fputs(JSONText.of(object) + "\n", file)
        fflush(file)
    }
}
