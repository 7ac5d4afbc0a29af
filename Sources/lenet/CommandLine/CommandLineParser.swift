/// Fills a command's slots from its words: `--name value`, `--name=value`, `-o value`,
/// flags (`--json`, `--augment`/`--no-augment`), arrays up to the next option
/// (`--batch 1 64`), positional arguments in order (an array one takes the rest), `--` ends
/// the options. A word that is no option of the command, a missing or unreadable value and
/// a missing argument are usage errors, raised before the command runs.
struct CommandLineParser {
    /// One wrapped property of a command, under the names it is given by.
    struct Slot {
        var property: String
        var slot: any ArgumentSlot

        var long: String {
            if case .customLong(let name) = slot.names { return name }
            return Self.kebab(property)
        }

        var short: Character? {
            if case .shortAndLong = slot.names { return property.first }
            return nil
        }

        /// `<batch-size>`, or the help's own value name.
        var valueName: String { "<\(slot.help.valueName ?? Self.kebab(property))>" }

        /// How usage and errors name it: `--data <data>`, `--json`, `<model>`.
        var spelled: String {
            switch slot.role {
            case .option: return "--\(long) \(valueName)"
            case .flag: return "--\(long)"
            case .positional(let array): return array ? "\(valueName) ..." : valueName
            }
        }

        /// `batchSize` -> `batch-size`.
        static func kebab(_ name: String) -> String {
            var out = ""
            for c in name {
                if c.isUppercase, !out.isEmpty { out.append("-") }
                out.append(contentsOf: c.lowercased())
            }
            return out
        }
    }

    struct UsageError: Error {
        var message: String
    }

    static func slots(of command: any ParsableCommand) -> [Slot] {
        Mirror(reflecting: command).children.compactMap { child in
            guard let label = child.label, let slot = child.value as? any ArgumentSlot else { return nil }
            return Slot(property: label.hasPrefix("_") ? String(label.dropFirst()) : label, slot: slot)
        }
    }

    /// Parses `words` into `command`'s slots.
    static func fill(_ command: any ParsableCommand, from words: [String]) throws {
        let slots = Self.slots(of: command)
        let positionals = slots.filter(\.isPositional)
        var nextPositional = 0
        var i = 0
        var optionsEnded = false

        func positional(_ word: String) throws {
            guard nextPositional < positionals.count else { throw UsageError(message: "unexpected argument '\(word)'") }
            let p = positionals[nextPositional]
            guard p.slot.take(word) else { throw invalid(word, p) }
            if case .positional(array: false) = p.slot.role { nextPositional += 1 }
        }

        while i < words.count {
            let word = words[i]
            i += 1
            if optionsEnded || word == "-" || !word.hasPrefix("-") || Double(word) != nil {
                try positional(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            var name = word, inline: String?
            if let eq = word.firstIndex(of: "=") {
                name = String(word[..<eq])
                inline = String(word[word.index(after: eq)...])
            }
            let found: Slot?, negated: Bool
            if name.hasPrefix("--") {
                let long = String(name.dropFirst(2))
                if let s = slots.first(where: { $0.long == long && !$0.isPositional }) {
                    (found, negated) = (s, false)
                } else if long.hasPrefix("no-"), let s = slots.first(where: { $0.long == long.dropFirst(3) && $0.isInvertible }) {
                    (found, negated) = (s, true)
                } else {
                    (found, negated) = (nil, false)
                }
            } else {
                found = name.count == 2 ? slots.first { $0.short == name.last && !$0.isPositional } : nil
                negated = false
            }
            guard let s = found else { throw UsageError(message: "unknown option '\(name)'") }
            switch s.slot.role {
            case .flag:
                if inline != nil { throw UsageError(message: "\(name) takes no value") }
                s.slot.setFlag(!negated)
            case .option(let array):
                guard let value = inline ?? (i < words.count ? words[i] : nil) else {
                    throw UsageError(message: "missing value for '\(s.spelled)'")
                }
                if inline == nil { i += 1 }
                guard s.slot.take(value) else { throw invalid(value, s) }
                // The following words up to the next option belong to an array option too.
                while array, inline == nil, i < words.count, !words[i].hasPrefix("-") || Double(words[i]) != nil {
                    guard s.slot.take(words[i]) else { throw invalid(words[i], s) }
                    i += 1
                }
            case .positional:
                break
            }
        }
        if let missing = slots.first(where: { $0.slot.isRequired && !$0.slot.isGiven }) {
            let what = missing.isPositional ? "argument" : "option"
            throw UsageError(message: "missing expected \(what) '\(missing.spelled)'")
        }
    }

    static func invalid(_ value: String, _ s: Slot) -> UsageError {
        let allowed = s.slot.allowedValues
        let choices = allowed.isEmpty ? "" : " (one of: \(allowed.joined(separator: ", ")))"
        return UsageError(message: "the value '\(value)' is invalid for '\(s.spelled)'\(choices)")
    }
}

extension CommandLineParser.Slot {
    var isPositional: Bool { if case .positional = slot.role { return true } else { return false } }
    var isInvertible: Bool { if case .flag(invertible: true) = slot.role { return true } else { return false } }
}
