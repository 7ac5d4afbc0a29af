import Foundation
import LeNetCore

/// Output helpers: stderr lines, whether stdout is a terminal, durations.
enum Terminal {
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("lenet: \(printable(message))\n".utf8))
    }

    /// Text from a file, safe to show on a terminal (see `printableText`).
    static func printable(_ s: String) -> String { printableText(s) }

    static func write(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    /// One JSON object on one line, keys sorted: a line of `--json` output (JSON lines).
    static func printJSON(_ object: [String: Any]) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// print() buffers when stdout is a pipe; flush so per-epoch lines appear as they happen.
    static func flush() { fflush(nil) }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : String(format: "%.1fs", seconds)
    }
}

/// Ctrl-C sets a flag the training loop polls between batches, so a run stops at a batch
/// boundary and the last completed epoch's checkpoint stays as it was.
enum Interrupt {
    nonisolated(unsafe) static var requested: sig_atomic_t = 0

    static func install() {
        signal(SIGINT) { _ in Interrupt.requested = 1 }
    }
}
