import LeNetCore

/// `--raw WIDTHxHEIGHT[:FORMAT]`: files hold bare pixels (no header), as image tools write
/// them (`magick photo.jpg -depth 8 gray:-`, `ffmpeg -f rawvideo`) and cameras hand them out.
struct RawGeometry: ExpressibleByArgument {
    var width: Int
    var height: Int
    var format: PixelFormat

    static let formatNames = PixelFormat.allCases.map { $0.name.lowercased() }.joined(separator: ", ")

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let size = parts[0].split(separator: "x", omittingEmptySubsequences: false)
        guard size.count == 2, let w = Int(size[0]), let h = Int(size[1]), w > 0, h > 0 else { return nil }
        let format: PixelFormat?
        if parts.count == 2 {
            format = PixelFormat.allCases.first { $0.name.lowercased() == parts[1] }
        } else {
            format = .gray8
        }
        guard let format else { return nil }
        (width, height, self.format) = (w, h, format)
    }

    var bytes: Int { width * height * format.bytesPerPixel }

    /// The digit on the raw file at `path` ("-": standard input), whose size must be
    /// exactly the geometry's: a mismatch means the geometry or the format is wrong.
    func digit(_ path: String) throws -> [UInt8] {
        let limits = ImageLimits.default
        guard width <= limits.maxWidth, height <= limits.maxHeight, width * height <= limits.maxPixels else {
            throw LeNetError.image(.tooLarge, "--raw \(width)x\(height) is above the limit of \(limits.maxWidth) x \(limits.maxHeight) and \(limits.maxPixels) pixels")
        }
        let data: [UInt8]
        if path == "-" {
            data = FileIO.readStream(0, limit: bytes + 1)
        } else {
            data = try FileIO.read(path, limit: DigitImage.maxFileSize)
        }
        guard data.count == bytes else {
            throw LeNetError.invalidArgument("\(path): \(data.count) bytes, but a \(width)x\(height) \(format.name) image is \(bytes) bytes")
        }
        return try data.withUnsafeBytes { try DigitImage.fromPixels($0, width: width, height: height, format: format) }
    }
}
