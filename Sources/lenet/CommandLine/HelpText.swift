/// `lenet --help` and `lenet <command> --help`: the overview, the discussion, usage, and
/// every argument and option with its help, wrapped to 80 columns.
enum HelpText {
    static let width = 80, labelWidth = 26

    static func root(_ root: any ParsableCommand.Type) -> String {
        let c = root.configuration, name = root.commandName
        var out = overview(c)
        out += "USAGE: \(name) <command>\n\n"
        out += "OPTIONS:\n" + row("--version", "Show the version and the CPU levels this machine runs.") + row("-h, --help", "Show help information.")
        out += "\nCOMMANDS:\n"
        for sub in c.subcommands { out += row(sub.commandName, sub.configuration.abstract) }
        out += "\n  See '\(name) help <command>' for detailed help.\n"
        return out
    }

    static func command(_ type: any ParsableCommand.Type, root: String) -> String {
        let slots = CommandLineParser.slots(of: type.init())
        var out = overview(type.configuration)
        out += "USAGE: \(usage(type, root: root))\n"
        let arguments = slots.filter(\.isPositional), options = slots.filter { !$0.isPositional }
        if !arguments.isEmpty {
            out += "\nARGUMENTS:\n"
            for a in arguments { out += row(a.spelled, a.slot.help.text) }
        }
        out += "\nOPTIONS:\n"
        for o in options {
            var label = o.short.map { "-\($0), " } ?? ""
            switch o.slot.role {
            case .flag(invertible: true): label += "--\(o.long)/--no-\(o.long)"
            case .flag: label += "--\(o.long)"
            case .option(let array): label += "--\(o.long) \(o.valueName)" + (array ? " ..." : "")
            case .positional: break
            }
            out += row(label, o.slot.help.text + (o.slot.defaultText.map { " (default: \($0))" } ?? ""))
        }
        out += row("-h, --help", "Show help information.")
        return out
    }

    /// `lenet quantize <model> --output <output> [<options>]`: the arguments and the
    /// required options; the rest are in the list below it.
    static func usage(_ type: any ParsableCommand.Type, root: String) -> String {
        let slots = CommandLineParser.slots(of: type.init())
        let required = slots.filter { $0.isPositional || $0.slot.isRequired }.map(\.spelled)
        let optional = slots.contains { !$0.isPositional && !$0.slot.isRequired }
        return ([root, type.commandName] + required + (optional ? ["[<options>]"] : [])).joined(separator: " ")
    }

    static func overview(_ c: CommandConfiguration) -> String {
        var out = wrap("OVERVIEW: " + c.abstract, indent: 0, first: 0) + "\n\n"
        for paragraph in c.discussion.split(separator: "\n", omittingEmptySubsequences: true) {
            out += wrap(String(paragraph), indent: 0, first: 0) + "\n\n"
        }
        return out
    }

    /// A label and its text: the text in a column of its own, or below a long label.
    static func row(_ label: String, _ text: String) -> String {
        let start = "  " + label
        if start.count + 2 <= labelWidth {
            return start + String(repeating: " ", count: labelWidth - start.count) + wrap(text, indent: labelWidth, first: labelWidth) + "\n"
        }
        return start + "\n" + String(repeating: " ", count: labelWidth) + wrap(text, indent: labelWidth, first: labelWidth) + "\n"
    }

    /// `text` broken into lines of at most `width` columns at spaces; lines after the first
    /// indented by `indent`, the first starting at column `first`.
    static func wrap(_ text: String, indent: Int, first: Int) -> String {
        var lines: [String] = [], line = "", column = first
        for word in text.split(separator: " ") {
            if !line.isEmpty, column + 1 + word.count > width {
                lines.append(line)
                (line, column) = ("", indent)
            }
            if !line.isEmpty {
                line += " "
                column += 1
            }
            line += word
            column += word.count
        }
        lines.append(line)
        return lines.joined(separator: "\n" + String(repeating: " ", count: indent))
    }
}
