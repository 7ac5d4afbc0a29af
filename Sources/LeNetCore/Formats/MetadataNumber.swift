/// Numbers in a model's metadata have one spelling, the decimal one Swift's `description`
/// and Python's `str` write: an optional minus, digits with an optional fraction, an
/// optional exponent (`0.1307`, `-2`, `1e-05`, `3.5E+20`; integers: `-12`). Swift's own
/// parsers would also take hex floats (`0x1p-140`), `inf`, `nan` and a leading `+`, so one
/// value could be written many ways and a denormal hidden behind a hex spelling: they are
/// refused, and so is a float that parses to a denormal (docs/checkpoint-format.md).
package enum MetadataNumber {
    package static func float(_ text: String) -> Float? {
        guard isDecimal(text, integer: false), let v = Float(text), v.isFinite, v == 0 || v.isNormal else { return nil }
        return v
    }

    package static func integer<T: FixedWidthInteger>(_ text: String, as _: T.Type = T.self) -> T? {
        isDecimal(text, integer: true) ? T(text) : nil
    }

    /// -?(digits(.digits?)? | .digits)([eE][+-]?digits)? ; integers: -?digits.
    static func isDecimal(_ text: String, integer: Bool) -> Bool {
        let b = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        var mantissa = digits()
        if integer { return mantissa > 0 && i == b.count }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == b.count
    }
}
