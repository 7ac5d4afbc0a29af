/// A `lenet` command: its options and arguments are the wrapped properties of a struct
/// (ArgumentSlots.swift); the parser fills them, then calls `validate()` and `run()`.
protocol ParsableCommand: SendableMetatype {
    static var configuration: CommandConfiguration { get }
    init()
    func validate() throws
    func run() throws
}

extension ParsableCommand {
    func validate() throws {}
    func run() throws {}
    static var commandName: String { configuration.commandName ?? "\(Self.self)".lowercased() }
}

struct CommandConfiguration: Sendable {
    var commandName: String?
    var abstract: String
    var discussion: String
    var version: String
    var subcommands: [any ParsableCommand.Type]

    init(commandName: String? = nil, abstract: String = "", discussion: String = "", version: String = "",
         subcommands: [any ParsableCommand.Type] = []) {
        (self.commandName, self.abstract, self.discussion, self.version, self.subcommands) =
            (commandName, abstract, discussion, version, subcommands)
    }
}

/// A command line that asks for something impossible: the message, the usage, exit status 64.
struct ValidationError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Ends the command with this exit status, the reason already told.
struct ExitCode: Error {
    var rawValue: Int32
    init(_ code: Int32) { rawValue = code }
}
