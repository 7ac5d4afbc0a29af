import LeNetCore

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a model between .lenet, PyTorch .pth and .safetensors.",
        discussion: """
            The input's format is recognised by its content, the output's by its extension \
            (.lenet, .pth or .safetensors). A .pth holds a state_dict of the seed's LeNet \
            (torch.save(model.state_dict(), path)); it is read without PyTorch and without \
            running its pickle, and written so that torch.load(path, weights_only=True) and \
            model.load_state_dict accept it. .pth and .safetensors carry no training state, so \
            a converted model cannot resume training.
            """)

    @Argument(help: "The model to read (.lenet, .pth or .safetensors).")
    var input: String
    @Argument(help: "The file to write (.lenet, .pth or .safetensors).")
    var output: String

    func run() throws {
        guard let format = Model.FileFormat.forPath(output) else {
            throw ValidationError("cannot tell the output format from '\(output)': use a .lenet, .pth or .safetensors extension")
        }
        let m = try Model.load(input)
        try m.save(output, format: format)
        print("\(input) -> \(output) (\(format.rawValue), \(m.parameters.count) parameters)")
    }
}
