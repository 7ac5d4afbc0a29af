import ArgumentParser
import LeNetCore

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a model between .lenet, PyTorch .pth (read only) and .safetensors.",
        discussion: """
            The input's format is recognised by its content, the output's by its extension \
            (.lenet or .safetensors). A .pth must hold a state_dict of the seed's LeNet \
            (torch.save(model.state_dict(), path)); it is read without PyTorch and without \
            running its pickle. Safetensors files carry the parameters and metadata but not the \
            training state, so a converted model cannot resume training.
            """)

    @Argument(help: "The model to read (.lenet, .pth or .safetensors).")
    var input: String
    @Argument(help: "The file to write (.lenet or .safetensors).")
    var output: String

    func run() throws {
        guard let format = Model.FileFormat.forPath(output) else {
            throw ValidationError("cannot tell the output format from '\(output)': use a .lenet or .safetensors extension")
        }
        let m = try Model.load(input)
        try m.save(output, format: format)
        print("\(input) -> \(output) (\(format.rawValue), \(m.parameters.count) parameters)")
    }
}
