import LeNetCore
import Testing

/// Raw pixel buffers: one conversion for PNGs and decoded pixels alike.
@Suite struct PixelTests {
    /// The grey a buffer of one pixel gives.
    func gray(_ bytes: [UInt8], _ format: PixelFormat) throws -> UInt8 {
        try bytes.withUnsafeBytes { try PixelConversion.gray($0, width: 1, height: 1, stride: 0, format: format) }.pixels[0]
    }

    @Test func colourBecomesBT601LumaAndGreyStaysGrey() throws {
        #expect(try gray([255, 0, 0], .rgb8) == 76)
        #expect(try gray([0, 255, 0], .rgb8) == 150)
        #expect(try gray([0, 0, 255], .rgb8) == 29)
        #expect(try gray([0, 0, 255], .bgr8) == 76)
        #expect(try gray([255, 0, 0, 255], .bgra8) == 29)
        for v in 0...255 {
            let b = UInt8(v)
            #expect(try gray([b, b, b], .rgb8) == b && gray([b, b, b, 255], .bgra8) == b && gray([b, 255], .grayAlpha8) == b)
        }
    }

    @Test func alphaIsCompositedOverWhiteAndSixteenBitsRound() throws {
        #expect(try gray([0, 0, 0, 0], .rgba8) == 255)
        #expect(try gray([0, 0, 0, 255], .rgba8) == 0)
        #expect(try gray([0, 128], .grayAlpha8) == 127)
        let words: [UInt16] = [0, 65535, 32896, 257 * 200]
        for (w, expected) in zip(words, [0, 255, 128, 200] as [UInt8]) {
            let bytes = withUnsafeBytes(of: w) { Array($0) }
            #expect(try gray(bytes, .gray16) == expected)
            let opaque = bytes + withUnsafeBytes(of: UInt16(65535)) { Array($0) }
            #expect(try gray(opaque, .grayAlpha16) == expected)
        }
    }

    /// The same picture as a PNG file and as the pixels it holds gives the same digit: the
    /// PNG path is decode + the raw-pixel path, with no second conversion.
    @Test func pngAndRawPixelsGiveTheSameDigit() throws {
        for i in 0..<8 {
            let d = mnistDigit(i)
            // Dark ink on white paper, 5x: a scan.
            var page = [UInt8](repeating: 255, count: 140 * 140)
            for y in 0..<140 { for x in 0..<140 { page[y * 140 + x] = 255 - d[(y / 5) * 28 + x / 5] } }
            let fromGray = try page.withUnsafeBytes { try DigitImage.fromPixels($0, width: 140, height: 140, format: .gray8) }
            for (colorType, depth) in [(0, 8), (2, 8), (3, 8), (4, 8), (6, 8), (0, 16), (2, 16), (4, 16), (6, 16)] as [(Int32, Int32)] {
                let png = writePNG(page, width: 140, height: 140, colorType: colorType, bitDepth: depth)
                #expect(try DigitImage.fromPNG(png) == fromGray, "colour type \(colorType), depth \(depth)")
            }
            let wide = page.flatMap { v in withUnsafeBytes(of: UInt16(v) * 257) { Array($0) } }
            #expect(try wide.withUnsafeBytes { try DigitImage.fromPixels($0, width: 140, height: 140, format: .gray16) } == fromGray)

            // Black ink whose opacity is the digit, on a transparent canvas.
            let ink = page.map { 255 - $0 }
            let transparent = writePNG([UInt8](repeating: 0, count: page.count), alpha: ink, width: 140, height: 140, colorType: 6,
                                       bitDepth: 8)
            let rgba = ink.flatMap { v -> [UInt8] in [0, 0, 0, v] }
            let fromRGBA = try rgba.withUnsafeBytes { try DigitImage.fromPixels($0, width: 140, height: 140, format: .rgba8) }
            #expect(try DigitImage.fromPNG(transparent) == fromRGBA)
            #expect(fromRGBA == fromGray)
        }
    }

    @Test func pngsDecodeToTheNearestLayout() throws {
        let d = mnistDigit(3)
        let cases: [(Int32, Int32, PixelFormat)] = [(0, 8, .gray8), (0, 4, .gray8), (2, 8, .rgb8), (3, 8, .rgb8), (4, 8, .grayAlpha8),
                                                    (6, 8, .rgba8), (0, 16, .grayAlpha16), (6, 16, .grayAlpha16)]
        for (colorType, depth, format) in cases {
            let pixels = try PNGCodec.decodePixels(writePNG(d, width: 28, height: 28, colorType: colorType, bitDepth: depth))
            #expect(pixels.format == format && pixels.bytes.count == 784 * format.bytesPerPixel, "type \(colorType) depth \(depth)")
        }
    }

    @Test func impossibleGeometryIsRefusedBeforeAnyRead() throws {
        let buffer = [UInt8](repeating: 0, count: 100)
        func attempt(_ w: Int, _ h: Int, _ stride: Int, _ format: PixelFormat, limits: ImageLimits = .default) throws {
            _ = try buffer.withUnsafeBytes { try PixelConversion.gray($0, width: w, height: h, stride: stride, format: format, limits: limits) }
        }
        #expect(throws: LeNetError.self) { try attempt(0, 10, 0, .gray8) }
        #expect(throws: LeNetError.self) { try attempt(10, 10, 9, .gray8) }  // stride shorter than a row
        #expect(throws: LeNetError.self) { try attempt(10, 10, 11, .gray8) }  // 11 * 9 + 10 = 109 bytes > 100
        #expect(throws: LeNetError.self) { try attempt(10, 10, 0, .gray16) }
        try attempt(10, 10, 0, .gray8)
        try attempt(4, 9, 11, .gray8)  // padded rows: 11 * 8 + 4 = 92 bytes, the last row's padding not needed
        #expect(throws: LeNetError.image(.tooLarge, "image is 10 x 10 pixels, above the limit of 9 x 8192 and 33554432 pixels")) {
            try attempt(10, 10, 0, .gray8, limits: ImageLimits(maxWidth: 9))
        }
        // Sizes whose byte counts overflow are stopped by the limits before any arithmetic.
        let huge = ImageLimits(maxWidth: .max, maxHeight: .max, maxPixels: .max)
        #expect(throws: LeNetError.self) { try attempt(1 << 40, 1 << 40, 0, .rgba8, limits: huge) }
        #expect(throws: LeNetError.self) { try attempt(1 << 20, 1 << 20, 1 << 62, .gray8, limits: huge) }
    }
}
