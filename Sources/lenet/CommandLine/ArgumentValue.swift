/// What an option's or argument's text becomes. The CLI parses its own command line (no
/// ArgumentParser): that package imports FoundationEssentials, 8 MB of the binary for a
/// JSON encoder it uses for its help dumps.
protocol ExpressibleByArgument {
    init?(argument: String)
    /// The values it may take, for help and errors (empty: any text of its kind).
    static var allValueStrings: [String] { get }
    /// How a default value reads in help.
    var defaultValueDescription: String { get }
}

extension ExpressibleByArgument {
    static var allValueStrings: [String] { [] }
    var defaultValueDescription: String { "\(self)" }
}

extension ExpressibleByArgument where Self: RawRepresentable, RawValue == String, Self: CaseIterable {
    init?(argument: String) { self.init(rawValue: argument) }
    static var allValueStrings: [String] { allCases.map(\.rawValue) }
    var defaultValueDescription: String { rawValue }
}

extension String: ExpressibleByArgument {
    init?(argument: String) { self = argument }
}

extension Int: ExpressibleByArgument {
    init?(argument: String) { self.init(argument) }
}

extension UInt64: ExpressibleByArgument {
    init?(argument: String) { self.init(argument) }
}

// "nan" and "inf" are numbers to Swift's parser but never a sane rate, share or time.
extension Float: ExpressibleByArgument {
    init?(argument: String) {
        guard let v = Float(argument), v.isFinite else { return nil }
        self = v
    }
}

extension Double: ExpressibleByArgument {
    init?(argument: String) {
        guard let v = Double(argument), v.isFinite else { return nil }
        self = v
    }
}
