import LeNetCore
import LeNetPictures

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a training run's loss and accuracy curves as a PNG.",
        discussion: """
            The run is a `lenet train --log` file (JSON lines; with --log-every its batch \
            lines add a finer loss curve) or a checkpoint, which keeps its run's history \
            per epoch (models trained by lenet 0.4 and later).
            """)

    @Argument(help: ArgumentHelp("A --log file (.jsonl) or a model checkpoint (.lenet, .safetensors).", valueName: "run"))
    var input: String
    @Option(name: .shortAndLong, help: "The PNG to write (default: the input's name with .png).")
    var output: String?
    @Option(help: "A title above the curves (default: the input's file name).")
    var title: String?

    func run() throws {
        let bytes = try FileIO.read(input, limit: LoadLimits.default.maxBytes)
        let history: TrainingHistory, batches: [(x: Double, y: Double)]
        if Model.FileFormat.detect(bytes) != nil {
            guard let stored = try Model.load(bytes: bytes).history() else {
                throw ValidationError("\(input) keeps no training history (it was not trained by lenet 0.4 or later); plot its --log file instead")
            }
            (history, batches) = (stored, [])
        } else {
            (history, batches) = try Self.parseLog(bytes, name: input)
        }
        guard !history.epochs.isEmpty || !batches.isEmpty else {
            throw ValidationError("\(input) holds no finished epoch and no batch line: nothing to plot yet")
        }
        let output = self.output ?? Self.defaultOutput(input)
        let picture = CurvePlot(history: history, batchLoss: batches, title: title ?? Paths.lastComponent(input))
        try FileIO.writeAtomically(output, picture.canvas.png())
        print("wrote \(output): \(history.epochs.count) epoch(s)\(batches.isEmpty ? "" : ", \(batches.count) batch points")")
    }

    static func defaultOutput(_ input: String) -> String {
        Paths.deletingExtension(input) + ".png"
    }

    /// The epoch and batch lines of a `--log` file. Appended runs (a resumed run adds to its
    /// log) may repeat an epoch: the later line wins, as the later checkpoint did.
    static func parseLog(_ bytes: [UInt8], name: String) throws -> (TrainingHistory, [(x: Double, y: Double)]) {
        var epochs: [Int: TrainingHistory.Epoch] = [:], batches: [Double: Double] = [:]
        for (i, line) in bytes.split(separator: UInt8(ascii: "\n")).enumerated() {
            func fail(_ why: String) -> ValidationError { ValidationError("\(name) line \(i + 1): \(why)") }
            guard case .object(let pairs)? = try? JSON.parse(untrusted: line) else {
                throw fail("not a JSON object (is this a `lenet train --log` file?)")
            }
            let object = Dictionary(pairs, uniquingKeysWith: { _, later in later })
            func number(_ key: String) throws -> Double {
                guard case .number(let v)? = object[key], v.isFinite else { throw fail("'\(key)' is missing or not a number") }
                return v
            }
            guard case .string(let type)? = object["type"] else { throw fail("'type' is neither \"epoch\" nor \"batch\"") }
            switch type {
            case "epoch":
                let epoch = try number("epoch")
                guard epoch >= 1, epoch <= Double(TrainingHistory.Epoch.maxEpoch) else { throw fail("epoch \(epoch) is out of range") }
                let test = object["test_accuracy"] == nil ? nil : try number("test_accuracy")
                let held = object["validation_accuracy"] == nil ? nil : try number("validation_accuracy")
                let e = TrainingHistory.Epoch(epoch: Int(epoch), loss: try number("loss"), trainAccuracy: try number("train_accuracy"),
                                              testAccuracy: test, learningRate: try number("learning_rate"), validationAccuracy: held)
                if let problem = e.problem { throw fail(problem) }
                epochs[e.epoch] = e
            case "batch":
                let epoch = try number("epoch"), batch = try number("batch"), count = try number("batches"), loss = try number("loss")
                guard epoch >= 1, epoch <= Double(TrainingHistory.Epoch.maxEpoch), count >= 1, batch >= 1, batch <= count else {
                    throw fail("batch \(batch) of \(count) in epoch \(epoch) is out of range")
                }
                guard loss >= 0 else { throw fail("loss \(loss) is negative") }
                batches[epoch - 1 + batch / count] = loss
            default:
                throw fail("'type' is neither \"epoch\" nor \"batch\"")
            }
        }
        var history = TrainingHistory()
        for key in epochs.keys.sorted() { history.append(epochs[key]!) }
        return (history, batches.keys.sorted().map { ($0, batches[$0]!) })
    }
}
