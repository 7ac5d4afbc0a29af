/// Every failure the engine reports. Each case carries a message that names the problem
/// (the file, the field, the expected and the found value), so the C ABI and the CLI can
/// pass it on unchanged.
public enum LeNetError: Error, Equatable, CustomStringConvertible {
    /// A caller's argument is out of range or inconsistent.
    case invalidArgument(String)
    /// A file could not be opened, read or written (the message carries strerror).
    case io(String)
    /// A checkpoint's bytes are malformed: bad magic, version, checksum, length or shape.
    case format(String)
    /// A dataset file (IDX, gzip) is malformed or inconsistent.
    case dataset(String)
    /// A progress callback or a signal asked the work to stop.
    case cancelled
    /// An image could not be turned into a digit; `problem` says which way it failed.
    case image(ImageProblem, String)

    public enum ImageProblem: Sendable, Equatable {
        /// The bytes do not start with the PNG signature.
        case notPNG
        /// The data ends before the image does.
        case truncated
        /// A CRC or zlib error, or an invalid header field.
        case corrupt
        /// Width, height or pixel count above the limits (checked before decoding).
        case tooLarge
        /// Nothing on the image stands out from the background.
        case noInk
    }

    public var description: String {
        let text: String
        switch self {
        case .invalidArgument(let m): text = "invalid argument: \(m)"
        case .io(let m): text = m
        case .format(let m): text = "bad checkpoint: \(m)"
        case .dataset(let m): text = "bad dataset: \(m)"
        case .cancelled: text = "cancelled"
        case .image(_, let m): text = m
        }
        return printableText(Self.bounded(text))
    }

    /// Messages quote names and values from files, which can be megabytes long: a message
    /// keeps its first 1,000 characters and says how much it left out.
    static let maxMessageLength = 1_000

    package static func bounded(_ text: String) -> String {
        guard text.utf8.count > maxMessageLength else { return text }
        let kept = String(text.prefix(maxMessageLength))
        return kept + "... (\(text.utf8.count - kept.utf8.count) more bytes)"
    }
}

/// Text that came from a file, safe to show on a terminal: control characters (ESC and the
/// rest of C0, DEL, C1), with which a file could move the cursor or rewrite the terminal's
/// title or colours, are shown as \u{...} escapes. Messages and `lenet inspect` use it;
/// `keepingLines` leaves line feeds and tabs alone, for the CLI's multi-line output.
package func printableText(_ s: String, keepingLines: Bool = false) -> String {
    let escaped = { (u: Unicode.Scalar) in isControl(u) && !(keepingLines && (u == "\n" || u == "\t")) }
    guard s.unicodeScalars.contains(where: escaped) else { return s }
    var out = ""
    for u in s.unicodeScalars {
        if escaped(u) { out += "\\u{" + String(u.value, radix: 16) + "}" } else { out.unicodeScalars.append(u) }
    }
    return out
}

private func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (0x7F...0x9F).contains(u.value) }
