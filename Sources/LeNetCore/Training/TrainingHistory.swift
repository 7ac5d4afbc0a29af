/// A run's per-epoch numbers, kept in the checkpoint (metadata `training.history`) so a
/// model can show how it was made after the fact, and continued by a resumed run.
///
/// Only numbers that the run's arithmetic decides are kept (no timings), so a checkpoint
/// stays the same bytes whatever the machine, the thread count or an interruption; the
/// `--log` file has the seconds. Stored as CSV text with a header line: self-describing,
/// readable in `lenet inspect`, and under 50 bytes an epoch, so the 64 KiB a metadata value
/// may hold keeps the 800 epochs it is capped at. A longer run keeps every second epoch of
/// its first half whenever it would not fit, so the curve stays whole at a coarser step
/// instead of losing its start.
public struct TrainingHistory: Sendable, Equatable {
    public struct Epoch: Sendable, Equatable {
        public var epoch: Int
        public var loss: Double
        public var trainAccuracy: Double
        /// nil when the run had no test set.
        public var testAccuracy: Double?
        /// The rate of the epoch's first optimizer step.
        public var learningRate: Double
        /// On the user's pictures held back from training (`lenet train --images
        /// --validation`); nil when the run held none back.
        public var validationAccuracy: Double?

        package init(epoch: Int, loss: Double, trainAccuracy: Double, testAccuracy: Double?, learningRate: Double,
                     validationAccuracy: Double? = nil) {
            self.epoch = epoch
            self.loss = loss
            self.trainAccuracy = trainAccuracy
            self.testAccuracy = testAccuracy
            self.learningRate = learningRate
            self.validationAccuracy = validationAccuracy
        }

        /// Why these numbers cannot come from a run, or nil: a file's history is refused
        /// rather than drawn or continued with values no run produces (a loss of -1e306,
        /// an accuracy of 1e308), which are where plotting overflowed.
        package var problem: String? {
            guard (1...Self.maxEpoch).contains(epoch) else { return "epoch \(epoch) is outside 1...\(Self.maxEpoch)" }
            guard loss.isFinite, loss >= 0 else { return "loss \(loss) is not a finite number >= 0" }
            for a in [trainAccuracy] + [testAccuracy, validationAccuracy].compactMap({ $0 }) where !(0...1).contains(a) {
                return "accuracy \(a) is outside 0...1"
            }
            guard learningRate.isFinite, learningRate >= 0 else { return "learning rate \(learningRate) is not a finite number >= 0" }
            return nil
        }

        /// TrainingOptions allow 100,000 epochs; a log may append resumed runs.
        package static let maxEpoch = 1_000_000
    }

    package static let metadataKey = "training.history"
    static let header = "epoch,loss,train_accuracy,test_accuracy,learning_rate"
    /// A run that held pictures back (since 0.5) adds their accuracy; runs that did not
    /// keep the five columns, so their checkpoints stay the bytes they were.
    static let validationHeader = header + ",validation_accuracy"
    static let maxEntries = 800

    public private(set) var epochs: [Epoch]

    package init(_ epochs: [Epoch] = []) { self.epochs = epochs }

    package mutating func append(_ e: Epoch) {
        epochs.append(e)
        if epochs.count > Self.maxEntries {
            let half = epochs.count / 2
            epochs = epochs[..<half].enumerated().filter { $0.offset % 2 == 1 }.map(\.element) + epochs[half...]
        }
    }

    /// The CSV text stored in the checkpoint.
    package var encoded: String {
        let validated = epochs.contains { $0.validationAccuracy != nil }
        var lines = [validated ? Self.validationHeader : Self.header]
        for e in epochs {
            let test = e.testAccuracy.map { Self.decimal($0, 6) } ?? ""
            lines.append("\(e.epoch),\(Self.decimal(e.loss, 6)),\(Self.decimal(e.trainAccuracy, 6)),\(test),"
                         + Self.significant(e.learningRate) + (validated ? "," + (e.validationAccuracy.map { Self.decimal($0, 6) } ?? "") : ""))
        }
        return lines.joined(separator: "\n")
    }

    /// Parses `encoded`'s form; a malformed history is an error naming the line, never a
    /// partial curve.
    package init(decoding text: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == Self.header || lines.first == Self.validationHeader else {
            throw LeNetError.format("\(Self.metadataKey): the first line is not '\(Self.header)'")
        }
        let columns = lines.removeFirst() == Self.header ? 5 : 6
        guard lines.count <= Self.maxEntries else { throw LeNetError.format("\(Self.metadataKey) holds more than \(Self.maxEntries) epochs") }
        var epochs: [Epoch] = []
        for (i, line) in lines.enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func fail() -> LeNetError { .format("\(Self.metadataKey) line \(i + 2) ('\(line.prefix(80))') is not \(columns) numbers") }
            guard f.count == columns, let epoch = Int(f[0]), epoch >= 1,
                  let loss = Double(f[1]), let train = Double(f[2]), let rate = Float(f[4]) else { throw fail() }
            let lr = Double(rate)
            var test: Double?
            if !f[3].isEmpty { guard let t = Double(f[3]) else { throw fail() }; test = t }
            var validation: Double?
            if columns == 6, !f[5].isEmpty { guard let v = Double(f[5]) else { throw fail() }; validation = v }
            let e = Epoch(epoch: epoch, loss: loss, trainAccuracy: train, testAccuracy: test, learningRate: lr, validationAccuracy: validation)
            if let problem = e.problem { throw LeNetError.format("\(Self.metadataKey) line \(i + 2): \(problem)") }
            guard epochs.last.map({ $0.epoch < epoch }) ?? true else {
                throw LeNetError.format("\(Self.metadataKey) line \(i + 2): epoch \(epoch) does not follow epoch \(epochs.last!.epoch)")
            }
            epochs.append(e)
        }
        self.epochs = epochs
    }

    /// `x` with `places` digits after the point, without Foundation's String(format:).
    package static func decimal(_ x: Double, _ places: Int) -> String {
        guard x.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e15 else { return "\(x)" }
        let whole = Int(scaled)
        let sign = x < 0 && whole != 0 ? "-" : ""
        let intPart = whole / Int(scale), frac = whole % Int(scale)
        guard places > 0 else { return "\(sign)\(intPart)" }
        let digits = String(frac)
        return "\(sign)\(intPart)." + String(repeating: "0", count: places - digits.count) + digits
    }

    /// The optimizer's rate is a Float: its shortest text reads back as the same Float.
    static func significant(_ x: Double) -> String { "\(Float(x))" }
}
