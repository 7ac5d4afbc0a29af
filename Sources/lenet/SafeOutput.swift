import ArgumentParser
import Foundation
import LeNetCore

// What the CLI prints quotes file names, lines of files and arguments: a file could clear
// or recolour the terminal of whoever runs a command on it. Every line takes one of the two
// ways below, which escape control characters (all but line feeds and tabs) by construction.

/// Shadows Swift.print in this module: no command can print raw text.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(printableText(items.map { "\($0)" }.joined(separator: separator), keepingLines: true), terminator: terminator)
}

extension LeNetCommand {
    /// ArgumentParser's main, with its messages (a thrown error's text, help, usage) escaped.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let text = printableText(fullMessage(for: error), keepingLines: true), code = exitCode(for: error)
            if code == .success {
                Swift.print(text)
            } else {
                FileHandle.standardError.write(Data((text + "\n").utf8))
            }
            Foundation.exit(code.rawValue)
        }
    }
}
