#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension String {
    /// printf's formatting, as Foundation's String(format:) gives it, for the CLI's lines:
    /// %d %i %u %x %f %e %g %s %@ and %% with their flags, width and precision. Numbers go
    /// through the C library one conversion at a time; %@ and %s take any value's text.
    init(format: String, _ args: Any...) {
        var out = "", next = 0
        var chars = format.unicodeScalars.makeIterator()
        while let c = chars.next() {
            guard c == "%" else {
                out.unicodeScalars.append(c)
                continue
            }
            var spec = "%"
            while let s = chars.next() {
                if "diuxXfFeEgGs@%".unicodeScalars.contains(s) {
                    if s == "%" { out += "%"; break }
                    let arg = next < args.count ? args[next] : ""
                    next += 1
                    out += Self.convert(spec, s, arg)
                    break
                }
                spec.unicodeScalars.append(s)
            }
        }
        self = out
    }

    private static func convert(_ spec: String, _ conversion: Unicode.Scalar, _ arg: Any) -> String {
        switch conversion {
        case "d", "i":
            return cFormat(spec + "lld", Int64(integer: arg))
        case "u", "x", "X":
            return cFormat(spec + "ll" + String(conversion), UInt64(truncatingIfNeeded: Int64(integer: arg)))
        case "f", "F", "e", "E", "g", "G":
            let v: Double
            switch arg {
            case let d as Double: v = d
            case let f as Float: v = Double(f)
            default: v = Double(Int64(integer: arg))
            }
            return cFormat(spec + String(conversion), v)
        default:
            return cFormat(spec + "s", "\(arg)")
        }
    }

    /// One conversion by vsnprintf, into a buffer as long as the result needs.
    private static func cFormat(_ spec: String, _ value: CVarArg) -> String {
        var size = 64
        while true {
            var buffer = [CChar](repeating: 0, count: size)
            let n = withVaList([value]) { vsnprintf(&buffer, size, spec, $0) }
            if n < 0 { return "" }
            if Int(n) < size { return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            size = Int(n) + 1
        }
    }

    private static func cFormat(_ spec: String, _ text: String) -> String {
        text.withCString { cFormat(spec, $0) }
    }
}

private extension Int64 {
    init(integer arg: Any) {
        switch arg {
        case let v as Int: self = Int64(v)
        case let v as Int32: self = Int64(v)
        case let v as Int64: self = v
        case let v as UInt8: self = Int64(v)
        case let v as UInt32: self = Int64(v)
        case let v as UInt64: self = Int64(truncatingIfNeeded: v)
        case let v as Double: self = Int64(exactly: v.rounded(.towardZero)) ?? 0
        default: self = 0
        }
    }
}
