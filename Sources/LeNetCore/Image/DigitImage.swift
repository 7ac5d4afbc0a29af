/// PNG bytes to a 28x28 MNIST-style digit: decode, then MNIST's preprocessing.
public enum DigitImage {
    public static func fromPNG(_ bytes: [UInt8], limits: ImageLimits = .default) throws -> [UInt8] {
        try DigitPreprocessing.mnistDigit(from: PNGCodec.decodeGray(bytes, limits: limits))
    }

    /// The largest PNG file read from disk; a file can hold at most this much image data.
    public static let maxFileSize = 256 << 20

    public static func fromPNGFile(_ path: String, limits: ImageLimits = .default) throws -> [UInt8] {
        let bytes = try FileIO.read(path, limit: maxFileSize)
        do {
            return try fromPNG(bytes, limits: limits)
        } catch LeNetError.image(let problem, let message) {
            throw LeNetError.image(problem, "\(path): \(message)")
        }
    }
}
