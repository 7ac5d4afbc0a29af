import LeNetCore

/// `--json` output: dictionaries, arrays, strings, numbers and Bools as one line of JSON,
/// keys sorted (the engine's JSON writer; a number that is not finite is written null).
enum JSONText {
    static func of(_ value: Any) -> String { json(value).serialized }

    static func json(_ value: Any) -> JSON {
        switch value {
        case let v as JSON: return v
        case let v as String: return .string(v)
        case let v as Bool: return .bool(v)
        case let v as Int: return .number(Double(v))
        case let v as UInt64: return .number(Double(v))
        case let v as UInt8: return .number(Double(v))
        case let v as Double: return .number(v)
        case let v as Float: return .number(Double(v))
        case let v as [String: Any]: return .object(v.keys.sorted().map { ($0, json(v[$0]!)) })
        case let v as [Any]: return .array(v.map(json))
        default:
            // An optional (nil: null); any other value as its text, so no value is dropped and
            // none recurses (a cast to Any? matches every value).
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional { return mirror.children.first.map { json($0.value) } ?? .null }
            return .string("\(value)")
        }
    }
}
