import LeNetCore
import PNGTestWriter
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A PNG written by libpng's full writer (every colour type, depth, interlace).
func writePNG(_ gray: [UInt8], alpha: [UInt8]? = nil, width: Int, height: Int, colorType: Int32, bitDepth: Int32,
              interlace: Bool = false) -> [UInt8] {
    var out: UnsafeMutablePointer<UInt8>?
    var size = 0
    let status = gray.withUnsafeBufferPointer { g in
        if let alpha {
            return alpha.withUnsafeBufferPointer { a in
                png_test_write(g.baseAddress, a.baseAddress, Int32(width), Int32(height), colorType, bitDepth, interlace ? 1 : 0, &out, &size)
            }
        }
        return png_test_write(g.baseAddress, nil, Int32(width), Int32(height), colorType, bitDepth, interlace ? 1 : 0, &out, &size)
    }
    precondition(status == 0, "png_test_write failed")
    defer { free(out) }
    return Array(UnsafeBufferPointer(start: out, count: size))
}

func mnistDigit(_ i: Int) -> [UInt8] { Array(mnistTest.images[(i * 784)..<((i + 1) * 784)]) }

/// The best correlation of `a` with `b` moved by up to one pixel each way: placing by
/// centre of mass leaves a half-pixel rounding choice, which one-pixel strokes punish.
func shiftedCorrelation(_ a: [UInt8], _ b: [UInt8]) -> Double {
    var best = -1.0
    for dy in -1...1 {
        for dx in -1...1 {
            var moved = [UInt8](repeating: 0, count: 784)
            for y in 0..<28 {
                for x in 0..<28 where (0..<28).contains(x + dx) && (0..<28).contains(y + dy) {
                    moved[(y + dy) * 28 + x + dx] = b[y * 28 + x]
                }
            }
            best = max(best, correlation(a, moved))
        }
    }
    return best
}

/// Pearson correlation of two images.
func correlation(_ a: [UInt8], _ b: [UInt8]) -> Double {
    let x = a.map(Double.init), y = b.map(Double.init)
    let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in 0..<x.count {
        sxy += (x[i] - mx) * (y[i] - my)
        sxx += (x[i] - mx) * (x[i] - mx)
        syy += (y[i] - my) * (y[i] - my)
    }
    return sxy / (sxx * syy).squareRoot()
}

/// The ways a person hands us a digit: each returns a PNG of MNIST digit `d`.
enum Presentation: CaseIterable {
    case plain, inverted, upscaled, offCentre, transparent

    func png(_ d: [UInt8], colorType: Int32, bitDepth: Int32, interlace: Bool) -> [UInt8] {
        switch self {
        case .plain:
            return writePNG(d, width: 28, height: 28, colorType: colorType, bitDepth: bitDepth, interlace: interlace)
        case .inverted:
            return writePNG(d.map { 255 - $0 }, width: 28, height: 28, colorType: colorType, bitDepth: bitDepth, interlace: interlace)
        case .upscaled:
            // 5x with dark ink on white paper, as a scan would be.
            var big = [UInt8](repeating: 255, count: 140 * 140)
            for y in 0..<140 { for x in 0..<140 { big[y * 140 + x] = 255 - d[(y / 5) * 28 + x / 5] } }
            return writePNG(big, width: 140, height: 140, colorType: colorType, bitDepth: bitDepth, interlace: interlace)
        case .offCentre:
            // Twice the size, in the top-left part of a 200 x 150 light-grey page.
            var page = [UInt8](repeating: 230, count: 200 * 150)
            for y in 0..<56 { for x in 0..<56 { page[(10 + y) * 200 + 15 + x] = UInt8(230 - Int(d[(y / 2) * 28 + x / 2]) * 230 / 255) } }
            return writePNG(page, width: 200, height: 150, colorType: colorType, bitDepth: bitDepth, interlace: interlace)
        case .transparent:
            // Black ink whose opacity is the digit, on a fully transparent canvas.
            let alphaType: Int32 = colorType == 2 || colorType == 6 ? 6 : 4
            let depth: Int32 = bitDepth == 16 ? 16 : 8
            return writePNG([UInt8](repeating: 0, count: 784), alpha: d, width: 28, height: 28, colorType: alphaType, bitDepth: depth,
                            interlace: interlace)
        }
    }
}

@Suite struct PNGTests {
    static let encodings: [(colorType: Int32, bitDepth: Int32)] = [
        (0, 1), (0, 2), (0, 4), (0, 8), (0, 16), (2, 8), (2, 16), (3, 1), (3, 2), (3, 4), (3, 8), (4, 8), (4, 16), (6, 8), (6, 16),
    ]

    @Test func everyEncodingDecodesToTheSameGrey() throws {
        let d = mnistDigit(0)
        for e in Self.encodings {
            for interlace in [false, true] {
                let png = writePNG(d, width: 28, height: 28, colorType: e.colorType, bitDepth: e.bitDepth, interlace: interlace)
                let image = try PNGCodec.decodeGray(png)
                #expect(image.width == 28 && image.height == 28)
                // Low bit depths quantise: 1-bit keeps only the strokes.
                let tolerance = e.bitDepth >= 8 ? 2 : 255 / ((1 << Int(e.bitDepth)) - 1) / 2 + 2
                let worst = zip(image.pixels, d).map { abs(Int($0) - Int($1)) }.max() ?? 0
                if e.bitDepth > 1 {
                    #expect(worst <= tolerance, "type \(e.colorType) depth \(e.bitDepth) interlace \(interlace): off by \(worst)")
                }
                #expect(correlation(image.pixels, d) > 0.9, "type \(e.colorType) depth \(e.bitDepth)")
            }
        }
    }

    @Test func transparentCanvasIsCompositedOverWhite() throws {
        let d = mnistDigit(1)
        let png = Presentation.transparent.png(d, colorType: 0, bitDepth: 8, interlace: false)
        let image = try PNGCodec.decodeGray(png)
        // Paper white where transparent; ink dark where opaque.
        #expect(image.pixels[0] == 255)
        // libpng composites in linear light, so mid-tones come out a little lighter.
        #expect(correlation(image.pixels, d.map { 255 - $0 }) > 0.98)
    }

    @Test func anMNISTDigitComesThroughNearlyUnchanged() throws {
        var worst = 1.0
        for i in 0..<200 {
            let d = mnistDigit(i)
            let out = try DigitPreprocessing.mnistDigit(from: GrayImage(width: 28, height: 28, pixels: d))
            worst = min(worst, shiftedCorrelation(out, d))
        }
        #expect(worst > 0.95, "lowest correlation \(worst)")
    }

    @Test(arguments: Presentation.allCases)
    func preprocessingRecoversTheDigit(_ presentation: Presentation) throws {
        var total = 0.0, lowest = 1.0, n = 0
        for i in 0..<40 {
            let e = Self.encodings[i % Self.encodings.count]
            // A grey page at 1 or 2 bits is a different picture, not an encoding of this one.
            guard e.bitDepth >= 4 || presentation != .offCentre else { continue }
            let d = mnistDigit(i)
            let png = presentation.png(d, colorType: e.colorType, bitDepth: e.bitDepth, interlace: i % 2 == 1)
            let c = shiftedCorrelation(try DigitImage.fromPNG(png), d)
            total += c
            n += 1
            lowest = min(lowest, c)
        }
        #expect(n >= 25)
        #expect(lowest > 0.8, "\(presentation): lowest correlation \(lowest)")
        #expect(total / Double(n) > 0.9, "\(presentation): mean correlation \(total / Double(n))")
    }

    @Test func aTrainedModelReadsThePNGs() throws {
        var digits = [UInt8](), labels = [UInt8]()
        // 600 digits: at 300, one digit is a third of a percent, and the threshold is 97%.
        for i in 0..<600 {
            let e = Self.encodings[i % Self.encodings.count]
            let presentation = Presentation.allCases[i % Presentation.allCases.count]
            let depth = presentation == .offCentre ? max(e.bitDepth, 8) : e.bitDepth
            let png = presentation.png(mnistDigit(1000 + i), colorType: e.colorType, bitDepth: depth, interlace: i % 3 == 0)
            digits += try DigitImage.fromPNG(png)
            labels.append(mnistTest.labels[1000 + i])
        }
        let predicted = Predictor(parameters: Fixtures.trained.parameters).predictions(try DigitSet(images: digits, labels: labels), threads: 2)
        let accuracy = Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
        #expect(accuracy >= 0.97, "accuracy on PNGs \(accuracy)")
    }

    @Test func eachFailureHasItsOwnError() throws {
        let good = writePNG(mnistDigit(2), width: 28, height: 28, colorType: 0, bitDepth: 8)
        func problem(_ bytes: [UInt8], limits: ImageLimits = .default) -> LeNetError.ImageProblem? {
            do {
                _ = try DigitImage.fromPNG(bytes, limits: limits)
                return nil
            } catch let LeNetError.image(p, message) {
                #expect(!message.isEmpty)
                return p
            } catch {
                return nil
            }
        }
        #expect(problem(Array("GIF89a not a png at all".utf8)) == .notPNG)
        #expect(problem([]) == .notPNG)
        #expect(problem(Array(good.prefix(good.count - 30))) == .truncated)
        #expect(problem(Array(good.prefix(5))) == .truncated)
        var crc = good
        crc[good.count / 2] ^= 0xFF  // inside IDAT: its CRC no longer matches
        #expect(problem(crc) == .corrupt)
        #expect(problem(good, limits: ImageLimits(maxWidth: 27)) == .tooLarge)
        #expect(problem(good, limits: ImageLimits(maxPixels: 700)) == .tooLarge)
        let blank = writePNG([UInt8](repeating: 255, count: 900), width: 30, height: 30, colorType: 0, bitDepth: 8)
        #expect(problem(blank) == .noInk)
        let faint = writePNG((0..<900).map { $0 % 7 == 0 ? 240 : 250 }, width: 30, height: 30, colorType: 2, bitDepth: 8)
        #expect(problem(faint) == .noInk)
    }

    /// A header declaring 100000 x 100000 pixels in a 100-byte file is refused from the
    /// header, before any pixel memory exists.
    @Test func decompressionBombIsRefusedFromTheHeader() throws {
        var png = writePNG(mnistDigit(3), width: 28, height: 28, colorType: 0, bitDepth: 8)
        // IHDR data starts at byte 16: width, height (big-endian), then its CRC at 29.
        let big: [UInt8] = [0x00, 0x01, 0x86, 0xA0]
        png.replaceSubrange(16..<20, with: big)
        png.replaceSubrange(20..<24, with: big)
        let crc = CRC32.checksum(Array(png[12..<29]))
        png.replaceSubrange(29..<33, with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        #expect(throws: LeNetError.self) { try PNGCodec.decodeGray(png) }
        do {
            _ = try PNGCodec.decodeGray(png)
        } catch let LeNetError.image(p, m) {
            #expect(p == .tooLarge, "\(m)")
        }
    }

    /// Random damage to real PNGs (1-4 bytes overwritten, or cut short): every outcome is a
    /// digit or a typed error, never a crash or another kind of failure.
    @Test func mutatedPNGsFailCleanly() throws {
        var rng = Xoshiro256(seed: 51)
        let sources = try ["digit-7-mnist-gray8.png", "digit-2-paper-rgb8.png", "digit-1-scan-gray16.png",
                           "digit-0-canvas-rgba8.png", "digit-4-page-palette4.png"].map { try FileIO.read(repositoryRoot + "/samples/" + $0) }
        var decoded = 0, refused = 0
        for i in 0..<3_000 {
            var b = sources[i % sources.count]
            if i % 5 == 4 {
                b = Array(b.prefix(rng.nextInt(below: b.count)))
            } else {
                for _ in 0..<(1 + rng.nextInt(below: 4)) { b[rng.nextInt(below: b.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            do {
                let digit = try DigitImage.fromPNG(b)
                #expect(digit.count == 784)
                decoded += 1
            } catch LeNetError.image {
                refused += 1
            }
        }
        #expect(decoded + refused == 3_000)
        #expect(refused > 1_000, "most damage should be caught (CRC, zlib, truncation); \(refused) were")
    }

    /// PngSuite: every valid file decodes and preprocesses (or has no ink); each corrupt
    /// x*.png is refused with an error.
    @Test func pngSuite() throws {
        let dir = repositoryRoot + "/Tests/Fixtures/pngsuite/png"
        var names = [String]()
        guard let d = opendir(dir) else {
            Issue.record("cannot open \(dir)")
            return
        }
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".png") { names.append(name) }
        }
        closedir(d)
        #expect(names.count == 175)
        var corrupt = 0, decoded = 0
        for name in names.sorted() {
            let bytes = try FileIO.read(dir + "/" + name)
            if name.hasPrefix("x") {
                corrupt += 1
                do {
                    _ = try PNGCodec.decodeGray(bytes)
                    Issue.record("\(name) is corrupt but decoded")
                } catch let LeNetError.image(p, message) {
                    #expect([.notPNG, .truncated, .corrupt].contains(p), "\(name): \(p)")
                    #expect(message.count > 10, "\(name): \(message)")
                }
                continue
            }
            do {
                _ = try DigitImage.fromPNG(bytes)
                decoded += 1
            } catch let LeNetError.image(p, message) {
                #expect(p == .noInk, "\(name): \(message)")
            }
        }
        #expect(corrupt == 14)
        #expect(decoded > 100)
    }
}
