import ArgumentParser
import LeNetCore

@main
struct LeNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lenet",
        abstract: "Train, evaluate, inspect and run LeNet-5 digit classifiers.",
        discussion: """
            Models are .lenet checkpoints (see docs/checkpoint-format.md). Threads default to \
            all cores; LENET_NUM_THREADS or --threads overrides.
            """,
        subcommands: [Train.self, Eval.self, Predict.self, Inspect.self, Convert.self, Quantize.self, Bench.self]
    )
}

/// The thread count from `--threads`, else LENET_NUM_THREADS, else all cores.
func resolveThreads(_ option: Int?) throws -> Int {
    if let n = option {
        guard n >= 1, n <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
        return n
    }
    return Threads.defaultCount
}
