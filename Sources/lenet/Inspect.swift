import ArgumentParser
import LeNetCore

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a checkpoint's format version, metadata and tensors (validating it fully).")

    @Argument(help: "The checkpoint (.lenet).")
    var model: String

    func run() throws {
        let file = try CheckpointFile.load(model)
        _ = try Model(checkpoint: file)
        let size = try FileIO.read(model).count
        print("\(model): lenet checkpoint, format version \(file.version.major).\(file.version.minor), \(size) bytes")
        print("metadata:")
        let width = file.metadata.map(\.key.count).max() ?? 0
        for (k, v) in file.metadata { print("  \(k.padding(width)) \(v)") }
        print("tensors:")
        let nameWidth = file.tensors.map(\.name.count).max() ?? 0
        var total = 0
        for t in file.tensors {
            let shape = "[" + t.shape.map(String.init).joined(separator: ", ") + "]"
            print("  \(t.name.padding(nameWidth)) \(t.dtype.name.padding(4)) \(shape.padding(14)) \(t.data.count) bytes")
            if !t.name.contains(".") || t.name.hasPrefix("conv") || t.name.hasPrefix("fc") { total += t.elementCount }
        }
        print("parameters: \(total)")
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
