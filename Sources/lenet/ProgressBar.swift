import LeNetCore

/// A one-line progress display redrawn in place: batches, running loss and accuracy,
/// images per second and time left in the epoch.
struct ProgressBar {
    let start = monotonicSeconds()
    var lastDraw = 0.0

    mutating func update(_ p: BatchProgress) {
        let now = monotonicSeconds()
        guard now - lastDraw >= 0.1 || p.batch == p.batches else { return }
        lastDraw = now
        let elapsed = max(now - start, 1e-9)
        let rate = Double(p.images) / elapsed
        let eta = elapsed / Double(p.batch) * Double(p.batches - p.batch)
        let width = 24, filled = width * p.batch / p.batches
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        Terminal.write(String(format: "\r\u{1B}[Kepoch %d [%@] %d/%d  loss %.4f  acc %.2f%%  %.0f img/s  ETA %@",
                              p.epoch, bar, p.batch, p.batches, p.meanLoss, p.accuracy * 100, rate, Terminal.duration(eta)))
    }

    func finish() { Terminal.write("\r\u{1B}[K") }
}
