#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import LeNetCore

// What the CLI prints quotes file names, lines of files and arguments: a file could clear
// or recolour the terminal of whoever runs a command on it. Every line takes one of the two
// ways below, which escape control characters (all but line feeds and tabs) by construction.

/// Shadows Swift.print in this module: no command can print raw text.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(printableText(items.map { "\($0)" }.joined(separator: separator), keepingLines: true), terminator: terminator)
}

extension LeNetCommand {
    /// Picks the command, fills its options, runs it; help and version on stdout, usage
    /// errors on stderr with status 64 (EX_USAGE), other errors with status 1. Every message
    /// is escaped like the lines above.
    static func main() {
        let words = Array(CommandLine.arguments.dropFirst())
        var chosen: (any ParsableCommand.Type)?
        do {
            guard let first = words.first else { return finish(HelpText.root(self)) }
            switch first {
            case "-h", "--help": return finish(HelpText.root(self))
            case "--version": return finish(configuration.version)
            case "help":
                guard words.count > 1 else { return finish(HelpText.root(self)) }
                return finish(HelpText.command(try subcommand(words[1]), root: commandName))
            default:
                chosen = try subcommand(first)
            }
            let type = chosen!, rest = Array(words.dropFirst())
            if rest.prefix(while: { $0 != "--" }).contains(where: { $0 == "-h" || $0 == "--help" }) {
                return finish(HelpText.command(type, root: commandName))
            }
            let command = type.init()
            try CommandLineParser.fill(command, from: rest)
            try command.validate()
            try command.run()
        } catch let e as CommandLineParser.UsageError {
            usageError(e.message, chosen)
        } catch let e as ValidationError {
            usageError(e.message, chosen)
        } catch let e as ExitCode {
            exit(e.rawValue)
        } catch {
            Terminal.writeError("Error: \(error)\n")
            exit(1)
        }
    }

    static func subcommand(_ name: String) throws -> any ParsableCommand.Type {
        guard let type = configuration.subcommands.first(where: { $0.commandName == name }) else {
            let what = name.hasPrefix("-") ? "option '\(name)' (a command's options follow it)" : "command '\(name)'"
            throw CommandLineParser.UsageError(message: "unknown \(what); the commands are: "
                + configuration.subcommands.map { $0.commandName }.joined(separator: ", "))
        }
        return type
    }

    private static func finish(_ text: String) {
        Swift.print(printableText(text.hasSuffix("\n") ? String(text.dropLast()) : text, keepingLines: true))
    }

    private static func usageError(_ message: String, _ type: (any ParsableCommand.Type)?) -> Never {
        let usage = type.map { "Usage: \(HelpText.usage($0, root: commandName))\n  See '\(commandName) \($0.commandName) --help' for more information." }
            ?? "Usage: \(commandName) <command>\n  See '\(commandName) --help' for more information."
        Terminal.writeError("Error: \(message)\n\(usage)\n")
        exit(64)
    }
}
