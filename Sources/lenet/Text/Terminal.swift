#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import LeNetCore

/// Output helpers: stderr lines, whether stdout is a terminal, durations.
enum Terminal {
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }

    static func error(_ message: String) {
        writeError("lenet: \(message)\n")
    }

    /// `text`, escaped, on stderr (unbuffered: it shows at once, whatever stdout holds back).
    static func writeError(_ text: String) {
        _ = Array(printableText(text, keepingLines: true).utf8).withUnsafeBytes { FileIO.writeAll(2, $0) }
    }

    /// Text from a file, safe to show on a terminal (see `printableText`).
    static func printable(_ s: String) -> String { printableText(s) }

    /// Raw text on stdout after what print() buffered: the progress bar's escape codes.
    static func write(_ s: String) {
        fflush(nil)
        _ = Array(s.utf8).withUnsafeBytes { FileIO.writeAll(1, $0) }
    }

    /// One JSON object on one line, keys sorted: a line of `--json` output (JSON lines).
    static func printJSON(_ object: [String: Any]) {
        print(JSONText.of(object))
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
