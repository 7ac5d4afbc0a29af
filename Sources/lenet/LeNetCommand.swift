import LeNetCore

struct LeNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lenet",
        abstract: "Train, evaluate, inspect and run LeNet-5 digit classifiers.",
        discussion: """
            Models are .lenet checkpoints (float or int8; see docs/checkpoint-format.md); every \
            command that reads a model also takes a PyTorch state_dict (.pth) or .safetensors, \
            recognised by content. Threads default to the cores this process may use; \
            LENET_NUM_THREADS or --threads overrides. LENET_CPU=generic|avx2|avx512 forces a \
            kernel level (--version lists the ones this CPU runs).
            """,
        version: versionReport,
        subcommands: [Train.self, Eval.self, Predict.self, Read.self, Inspect.self, Plot.self, Convert.self, Quantize.self, Bench.self, Synth.self]
    )
}

/// `lenet --version`: the version, then what this machine runs, for bug reports.
let versionReport = """
    lenet \(lenetVersionString)
    kernel levels: \(KernelLevel.report); active: \(KernelLevel.active.name)
    int8 multiply: \(KernelLevel.active.integer); 7-bit weights: \(KernelLevel.active.sevenBit)
    """

/// The thread count from `--threads`, else LENET_NUM_THREADS, else all cores.
func resolveThreads(_ option: Int?) throws -> Int {
    if let n = option {
        guard n >= 1, n <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
        return n
    }
    return Threads.defaultCount
}
