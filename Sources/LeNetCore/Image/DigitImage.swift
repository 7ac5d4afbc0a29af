/// A picture of a digit (PNG bytes, or pixels already decoded) to a 28x28 MNIST-style
/// digit: to grey through PixelConversion, then MNIST's preprocessing. One path for both.
public enum DigitImage {
    /// Raw pixels: `stride` bytes from one row's start to the next (0: packed rows).
    public static func fromPixels(
        _ pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int = 0, format: PixelFormat,
        limits: ImageLimits = .default
    ) throws -> [UInt8] {
        try DigitPreprocessing.mnistDigit(
            from: PixelConversion.gray(pixels, width: width, height: height, stride: stride, format: format, limits: limits))
    }

    public static func fromPNG(_ bytes: [UInt8], limits: ImageLimits = .default) throws -> [UInt8] {
        try DigitPreprocessing.mnistDigit(from: PNGCodec.decodeGray(bytes, limits: limits))
    }

    /// The largest PNG file read from disk; a file can hold at most this much image data.
    package static let maxFileSize = 256 << 20

    public static func fromPNGFile(_ path: String, limits: ImageLimits = .default) throws -> [UInt8] {
        try withFile(path) { try fromPNG($0, limits: limits) }
    }

    /// `body` of a picture file's bytes, its picture errors naming the file.
    package static func withFile<T>(_ path: String, _ body: ([UInt8]) throws -> T) throws -> T {
        let bytes = try FileIO.read(path, limit: maxFileSize)
        do {
            return try body(bytes)
        } catch LeNetError.image(let problem, let message) {
            throw LeNetError.image(problem, "\(path): \(message)")
        }
    }
}
