import CPNG

/// PNG reading and writing through libpng's simplified API (`png_image_*`), which decodes
/// every PNG flavour (grey, RGB, palette, alpha, 1- to 16-bit, interlaced) to the format
/// asked for and reports failures in the struct instead of longjmp-ing through our frames.
package enum PNGCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Decodes PNG bytes to 8-bit grey through PixelConversion, the path raw pixel buffers
    /// take, so a PNG and the pixels it holds give the same digit.
    package static func decodeGray(_ bytes: [UInt8], limits: ImageLimits = .default) throws -> GrayImage {
        let image = try decodePixels(bytes, limits: limits)
        // Grey already: the decoded rows are the image (decodePixels checked the limits).
        if image.format == .gray8 { return GrayImage(width: image.width, height: image.height, pixels: image.bytes) }
        return try image.bytes.withUnsafeBytes { raw in
            try PixelConversion.gray(raw, width: image.width, height: image.height, stride: 0, format: image.format, limits: limits)
        }
    }

    /// A decoded PNG: packed rows in `format`, transparency kept as alpha.
    package struct Pixels {
        package var width: Int
        package var height: Int
        package var format: PixelFormat
        package var bytes: [UInt8]
    }

    /// Decodes PNG bytes (any colour type, bit depth, interlacing) to the nearest of our
    /// pixel formats: GRAY8, GRAYA8, RGB8 or RGBA8 for files of up to 8 bits a sample,
    /// GRAYA16 for 16-bit ones.
    package static func decodePixels(_ bytes: [UInt8], limits: ImageLimits = .default) throws -> Pixels {
        guard bytes.count >= signature.count else {
            if bytes.elementsEqual(signature.prefix(bytes.count)) && !bytes.isEmpty {
                throw LeNetError.image(.truncated, "truncated PNG: \(bytes.count) bytes, not even the 8-byte signature")
            }
            throw LeNetError.image(.notPNG, "not a PNG file (\(bytes.count) bytes, no PNG signature)")
        }
        guard bytes.prefix(signature.count).elementsEqual(signature) else {
            throw LeNetError.image(.notPNG, "not a PNG file (the first 8 bytes are not the PNG signature)")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        return try bytes.withUnsafeBytes { raw in
            try PNGDataBound.checkChunkLengths(raw)
            guard png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) != 0 else {
                throw failure(&image)
            }
            let w = Int(image.width), h = Int(image.height)
            guard w <= limits.maxWidth, h <= limits.maxHeight, w * h <= limits.maxPixels else {
                png_image_free(&image)
                throw LeNetError.image(.tooLarge, "image is \(w) x \(h) pixels, above the limit of \(limits.maxWidth) x \(limits.maxHeight) and \(limits.maxPixels) pixels")
            }
            // The IHDR libpng accepted: bit depth at byte 24, colour type 25, interlace 28.
            let limit = PNGDataBound.maxImageData(width: w, height: h, bitDepth: Int(raw[24]), colorType: Int(raw[25]),
                                                  interlaced: raw[28] != 0)
            do { try PNGDataBound.check(raw, limit: limit) } catch {
                png_image_free(&image)
                throw error
            }
            if image.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0 {
                return Pixels(width: w, height: h, format: .grayAlpha16, bytes: try read16(&image, w, h))
            }
            let color = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0, alpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
            let format: PixelFormat = color ? (alpha ? .rgba8 : .rgb8) : (alpha ? .grayAlpha8 : .gray8)
            // libpng's PNG_FORMAT_RGBA and kin are macros Swift cannot import: their flags.
            image.format = (color ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0) | (alpha ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
            var pixels = [UInt8](repeating: 0, count: w * h * format.bytesPerPixel)
            // No background: alpha is kept, and composited by PixelConversion.
            let ok = pixels.withUnsafeMutableBytes { out in
                png_image_finish_read(&image, nil, out.baseAddress, 0, nil)
            }
            guard ok != 0 else { throw failure(&image) }
            return Pixels(width: w, height: h, format: format, bytes: pixels)
        }
    }

    /// 16-bit files: read as 16-bit grey + alpha (GRAYA16 in the machine's byte order).
    /// libpng's own 16-to-8-bit path (1.6.39) garbles interlaced 16-bit images, and would
    /// also treat 16-bit data without a gAMA chunk as linear light; we take it as
    /// display-encoded, like 8-bit.
    private static func read16(_ image: inout png_image, _ w: Int, _ h: Int) throws -> [UInt8] {
        image.format = UInt32(PNG_FORMAT_LINEAR_Y_ALPHA)
        var wide = [UInt8](repeating: 0, count: 4 * w * h)
        let ok = wide.withUnsafeMutableBytes { out in
            png_image_finish_read(&image, nil, out.baseAddress, 0, nil)
        }
        guard ok != 0 else { throw failure(&image) }
        return wide
    }

    /// An 8-bit grey PNG of `image`.
    package static func encodeGray(_ image: GrayImage) throws -> [UInt8] {
        try encode(image.pixels, width: image.width, height: image.height, color: false)
    }

    /// An 8-bit RGB PNG of `pixels` (3 bytes a pixel, packed rows).
    package static func encodeRGB(width: Int, height: Int, pixels: [UInt8]) throws -> [UInt8] {
        try encode(pixels, width: width, height: height, color: true)
    }

    private static func encode(_ pixels: [UInt8], width: Int, height: Int, color: Bool) throws -> [UInt8] {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(width)
        png.height = UInt32(height)
        png.format = color ? UInt32(PNG_FORMAT_FLAG_COLOR) : UInt32(PNG_FORMAT_GRAY)
        var size = 0
        let ok = pixels.withUnsafeBytes { px in
            png_image_write_to_memory(&png, nil, &size, 0, px.baseAddress, 0, nil)
        }
        guard ok != 0, size > 0 else { throw LeNetError.io("cannot encode PNG: \(message(&png))") }
        var out = [UInt8](repeating: 0, count: size)
        let written = out.withUnsafeMutableBytes { o in
            pixels.withUnsafeBytes { px in
                png_image_write_to_memory(&png, o.baseAddress, &size, 0, px.baseAddress, 0, nil)
            }
        }
        guard written != 0 else { throw LeNetError.io("cannot encode PNG: \(message(&png))") }
        return Array(out.prefix(size))
    }

    private static func message(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Sorts libpng's failure message into our problems: running out of data is a
    /// truncation; everything else (CRC, zlib, invalid header fields) is corruption.
    private static func failure(_ image: inout png_image) -> LeNetError {
        let text = message(&image)
        png_image_free(&image)
        let lower = Array(text.lowercased().utf8)
        // Byte by byte: String's own substring search lives in the regex library, which
        // liblenet.so leaves out (Package.swift, withoutStringProcessing).
        func has(_ phrase: String) -> Bool {
            let p = Array(phrase.utf8)
            return lower.count >= p.count && (0...(lower.count - p.count)).contains { i in lower[i..<(i + p.count)].elementsEqual(p) }
        }
        if has("beyond end") || has("not enough") || has("truncated") || has("end of") {
            return .image(.truncated, "truncated PNG: \(text)")
        }
        return .image(.corrupt, "corrupt PNG: \(text)")
    }
}
