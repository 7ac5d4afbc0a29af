import LeNetCore

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a model file's format, metadata and tensors (validating it fully).")

    @Argument(help: "The model (.lenet float or int8, .pth or .safetensors).")
    var model: String
    @Flag(help: "Print one JSON object: file, format, format_version, bytes, dtype, metadata, tensors, parameters.")
    var json = false

    struct TensorRow { var name: String, dtype: String, shape: [Int], bytes: Int }

    func run() throws {
        let bytes = try FileIO.read(model, limit: LoadLimits.default.maxBytes)
        let format = Model.FileFormat.detect(bytes)
        let loaded: Model, metadata: [(key: String, value: String)], tensors: [TensorRow], version: String?
        if format == .lenet {
            let file = try CheckpointFile(decoding: bytes)
            loaded = try Model(checkpoint: file)
            metadata = file.metadata
            tensors = file.tensors.map { TensorRow(name: $0.name, dtype: $0.dtype.name, shape: $0.shape, bytes: $0.data.count) }
            version = "\(file.version.major).\(file.version.minor)"
        } else {
            // .pth and .safetensors: what the model loader makes of them.
            loaded = try Model.load(bytes: bytes)
            metadata = loaded.metadata
            tensors = loaded.stateDict.map { TensorRow(name: $0.0, dtype: "f32", shape: $0.1.shape, bytes: $0.1.values.count * 4) }
            version = nil
        }
        let kind = format?.rawValue ?? "?"
        let history = try loaded.history()
        if json {
            var object: [String: Any] = [
                "file": model, "format": kind, "bytes": bytes.count, "dtype": loaded.isInt8 ? "int8" : "f32",
                "metadata": Dictionary(metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
                "tensors": tensors.map { ["name": $0.name, "dtype": $0.dtype, "shape": $0.shape, "bytes": $0.bytes] as [String: Any] },
                "parameters": LeNet5.parameterCount,
            ]
            if let version { object["format_version"] = version }
            if let history { object["history"] = history.epochs.map(Self.jsonObject) }
            print(JSONText.of(object))
            return
        }
        if let version {
            print("\(model): lenet checkpoint, format version \(version), \(bytes.count) bytes")
        } else {
            print("\(model): \(kind) file, \(bytes.count) bytes, a LeNet-5 state_dict")
        }
        // The history is shown as a table below, not as one long CSV value.
        let shown = metadata.filter { $0.key != TrainingHistory.metadataKey }
        if !shown.isEmpty {
            print("metadata:")
            let width = shown.map(\.key.count).max() ?? 0
            for (k, v) in shown { print("  \(Terminal.printable(k).padding(width)) \(Terminal.printable(v))") }
        }
        print("tensors:")
        let nameWidth = tensors.map(\.name.count).max() ?? 0
        for t in tensors {
            let shape = "[" + t.shape.map(String.init).joined(separator: ", ") + "]"
            print("  \(Terminal.printable(t.name).padding(nameWidth)) \(t.dtype.padding(4)) \(shape.padding(14)) \(t.bytes) bytes")
        }
        print("parameters: \(LeNet5.parameterCount)")
        if let history, !history.epochs.isEmpty {
            let held = history.epochs.contains { $0.validationAccuracy != nil }
            print("history:\n  epoch      loss   train    test  " + (held ? " yours  " : "") + "learning rate")
            for e in history.epochs {
                let yours = held ? (e.validationAccuracy.map { String(format: "%5.2f%%", $0 * 100) } ?? "     -") + "  " : ""
                print(String(format: "  %5d  %8.4f  %5.2f%%  %@  %@%.3g", e.epoch, e.loss, e.trainAccuracy * 100,
                             e.testAccuracy.map { String(format: "%5.2f%%", $0 * 100) } ?? "     -", yours, e.learningRate))
            }
        }
    }

    static func jsonObject(_ e: TrainingHistory.Epoch) -> [String: Any] {
        var o: [String: Any] = ["epoch": e.epoch, "loss": e.loss, "train_accuracy": e.trainAccuracy, "learning_rate": e.learningRate]
        if let t = e.testAccuracy { o["test_accuracy"] = t }
        if let v = e.validationAccuracy { o["validation_accuracy"] = v }
        return o
    }
}
