import ArgumentParser
import LeNetCore

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a model file's format, metadata and tensors (validating it fully).")

    @Argument(help: "The model (.lenet, .pth or .safetensors).")
    var model: String

    func run() throws {
        let bytes = try FileIO.read(model, limit: CheckpointFile.maxFileSize)
        guard let format = Model.FileFormat.detect(bytes), format == .lenet else {
            // .pth and .safetensors: what the model loader makes of them.
            let m = try Model.load(bytes: bytes)
            let kind = Model.FileFormat.detect(bytes).map(\.rawValue) ?? "?"
            print("\(model): \(kind) file, \(bytes.count) bytes, a LeNet-5 state_dict")
            if !m.metadata.isEmpty { print("metadata:"); for (k, v) in m.metadata { print("  \(k) \(v)") } }
            print("tensors:")
            for (name, t) in m.stateDict {
                print("  \(name.padding(12)) f32  \(("[" + t.shape.map(String.init).joined(separator: ", ") + "]").padding(14)) \(t.values.count * 4) bytes")
            }
            print("parameters: \(m.parameters.count)")
            return
        }
        let file = try CheckpointFile(decoding: bytes)
        _ = try Model(checkpoint: file)
        print("\(model): lenet checkpoint, format version \(file.version.major).\(file.version.minor), \(bytes.count) bytes")
        print("metadata:")
        let width = file.metadata.map(\.key.count).max() ?? 0
        for (k, v) in file.metadata { print("  \(k.padding(width)) \(v)") }
        print("tensors:")
        let nameWidth = file.tensors.map(\.name.count).max() ?? 0
        for t in file.tensors {
            let shape = "[" + t.shape.map(String.init).joined(separator: ", ") + "]"
            print("  \(t.name.padding(nameWidth)) \(t.dtype.name.padding(4)) \(shape.padding(14)) \(t.data.count) bytes")
        }
        print("parameters: \(LeNet5.parameterCount)")
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
