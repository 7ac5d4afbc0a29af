/// The property wrappers a command declares its options and arguments with, spelled as
/// ArgumentParser spells them so a command reads the same. Each is a class: the parser
/// finds a command's slots by reflection (`Mirror`) and fills them in place.

/// Help text for an option or argument; a string literal is one.
struct ArgumentHelp: ExpressibleByStringInterpolation {
    var text: String
    var valueName: String?

    init(_ text: String, valueName: String? = nil) {
        self.text = text
        self.valueName = valueName
    }

    init(stringLiteral value: String) { self.init(value) }
    init(stringInterpolation: DefaultStringInterpolation) { self.init(String(stringInterpolation: stringInterpolation)) }
}

/// How an option is spelled beside its long name from the property (`batchSize`: `--batch-size`).
enum NameSpecification {
    case long, shortAndLong, customLong(String)
}

/// An array option's values: every word up to the next option (`--batch 1 64 1000`).
enum ArrayParsing { case upToNextOption }

/// A Bool? flag's other spelling: `--augment` and `--no-augment`.
enum FlagInversion { case prefixedNo }

/// What the parser sees of a slot, whatever its value type.
protocol ArgumentSlot: AnyObject {
    var role: SlotRole { get }
    var help: ArgumentHelp { get }
    var names: NameSpecification { get }
    /// The default as help shows it (nil: none worth showing).
    var defaultText: String? { get }
    var isRequired: Bool { get }
    var isGiven: Bool { get }
    /// The values it accepts, for an error about a value it refused.
    var allowedValues: [String] { get }
    /// Stores the value `text` spells; false if it does not spell one.
    func take(_ text: String) -> Bool
    func setFlag(_ on: Bool)
}

enum SlotRole {
    case option(array: Bool), flag(invertible: Bool), positional(array: Bool)
}

@propertyWrapper
final class Option<Value>: ArgumentSlot {
    private var value: Value?
    /// Stores what the text spells into the value (an array's grows in place: 30,000
    /// file names cost no more than one copy each).
    private let parse: (String, inout Value?) -> Bool
    let help: ArgumentHelp, names: NameSpecification, defaultText: String?, isRequired: Bool, role: SlotRole
    let allowedValues: [String]
    private(set) var isGiven = false

    var wrappedValue: Value {
        get { value! }
        set { value = newValue }
    }

    private init(value: Value?, names: NameSpecification, help: ArgumentHelp?, defaultText: String?, array: Bool,
                 allowed: [String], parse: @escaping (String, inout Value?) -> Bool) {
        (self.value, self.names, self.help, self.defaultText) = (value, names, help ?? "", defaultText)
        (self.isRequired, self.role, self.allowedValues, self.parse) = (value == nil, .option(array: array), allowed, parse)
    }

    func take(_ text: String) -> Bool {
        // An array given on the command line replaces its default rather than adding to it.
        if !isGiven, case .option(array: true) = role { value = nil }
        guard parse(text, &value) else { return false }
        isGiven = true
        return true
    }

    func setFlag(_ on: Bool) {}
}

extension Option where Value: ExpressibleByArgument {
    convenience init(wrappedValue: Value, name: NameSpecification = .long, help: ArgumentHelp? = nil) {
        self.init(value: wrappedValue, names: name, help: help, defaultText: wrappedValue.defaultValueDescription, array: false,
                  allowed: Value.allValueStrings, parse: storeOne)
    }

    /// A required option: its absence is an error.
    convenience init(name: NameSpecification = .long, help: ArgumentHelp? = nil) {
        self.init(value: nil, names: name, help: help, defaultText: nil, array: false, allowed: Value.allValueStrings, parse: storeOne)
    }
}

extension Option {
    /// An optional option: nil unless given.
    convenience init<T: ExpressibleByArgument>(name: NameSpecification = .long, help: ArgumentHelp? = nil) where Value == T? {
        self.init(value: .some(nil), names: name, help: help, defaultText: nil, array: false, allowed: T.allValueStrings) { text, value in
            guard let v = T(argument: text) else { return false }
            value = .some(v)
            return true
        }
    }

    convenience init<T: ExpressibleByArgument>(wrappedValue: [T], name: NameSpecification = .long, parsing: ArrayParsing,
                                               help: ArgumentHelp? = nil) where Value == [T] {
        let shown = wrappedValue.isEmpty ? nil : wrappedValue.map(\.defaultValueDescription).joined(separator: " ")
        self.init(value: wrappedValue, names: name, help: help, defaultText: shown, array: true, allowed: T.allValueStrings, parse: appendOne)
    }
}

@propertyWrapper
final class Flag<Value>: ArgumentSlot {
    private var value: Value
    private let store: (Bool) -> Value
    let help: ArgumentHelp, role: SlotRole
    var names: NameSpecification { .long }
    var defaultText: String? { nil }
    var isRequired: Bool { false }
    var allowedValues: [String] { [] }
    private(set) var isGiven = false

    var wrappedValue: Value {
        get { value }
        set { value = newValue }
    }

    private init(value: Value, invertible: Bool, help: ArgumentHelp?, store: @escaping (Bool) -> Value) {
        (self.value, self.help, self.role, self.store) = (value, help ?? "", .flag(invertible: invertible), store)
    }

    func take(_ text: String) -> Bool { false }

    func setFlag(_ on: Bool) {
        value = store(on)
        isGiven = true
    }
}

extension Flag where Value == Bool {
    convenience init(wrappedValue: Bool, help: ArgumentHelp? = nil) {
        self.init(value: wrappedValue, invertible: false, help: help) { $0 }
    }
}

extension Flag where Value == Bool? {
    /// `--name` and `--no-name`; nil when neither is given.
    convenience init(inversion: FlagInversion, help: ArgumentHelp? = nil) {
        self.init(value: nil, invertible: true, help: help) { $0 }
    }
}

@propertyWrapper
final class Argument<Value>: ArgumentSlot {
    private var value: Value?
    private let parse: (String, inout Value?) -> Bool
    let help: ArgumentHelp, role: SlotRole, isRequired: Bool, allowedValues: [String]
    var names: NameSpecification { .long }
    var defaultText: String? { nil }
    private(set) var isGiven = false

    var wrappedValue: Value {
        get { value! }
        set { value = newValue }
    }

    private init(value: Value?, array: Bool, help: ArgumentHelp?, allowed: [String], parse: @escaping (String, inout Value?) -> Bool) {
        (self.value, self.role, self.help, self.allowedValues, self.parse) = (value, .positional(array: array), help ?? "", allowed, parse)
        isRequired = value == nil
    }

    func take(_ text: String) -> Bool {
        guard parse(text, &value) else { return false }
        isGiven = true
        return true
    }

    func setFlag(_ on: Bool) {}
}

extension Argument where Value: ExpressibleByArgument {
    convenience init(help: ArgumentHelp? = nil) {
        self.init(value: nil, array: false, help: help, allowed: Value.allValueStrings, parse: storeOne)
    }
}

extension Argument {
    /// Every remaining argument, in order (none is allowed: the command checks).
    convenience init<T: ExpressibleByArgument>(help: ArgumentHelp? = nil) where Value == [T] {
        self.init(value: [], array: true, help: help, allowed: T.allValueStrings, parse: appendOne)
    }
}

/// A single value's parse: the text's value replaces what was there.
private func storeOne<T: ExpressibleByArgument>(_ text: String, _ value: inout T?) -> Bool {
    guard let v = T(argument: text) else { return false }
    value = v
    return true
}

/// An array's parse: the text's value is appended.
private func appendOne<T: ExpressibleByArgument>(_ text: String, _ value: inout [T]?) -> Bool {
    guard let v = T(argument: text) else { return false }
    if value == nil { value = [] }
    value!.append(v)
    return true
}
