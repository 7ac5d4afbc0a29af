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
        switch self {
        case .invalidArgument(let m): return "invalid argument: \(m)"
        case .io(let m): return m
        case .format(let m): return "bad checkpoint: \(m)"
        case .dataset(let m): return "bad dataset: \(m)"
        case .cancelled: return "cancelled"
        case .image(_, let m): return m
        }
    }
}
