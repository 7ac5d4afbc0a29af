import ArgumentParser
import Foundation
import LeNetCore

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the number on each PNG: its digits, left to right.",
        discussion: """
            The digits are found as connected strokes (pieces of one digit joined, specks \
            ignored, touching digits cut where the model is surest) and each is read as \
            `lenet predict` reads a single digit. Prints the number and each digit's \
            probability; --json adds the boxes (x, y, width, height in the picture's pixels).
            """)

    @Argument(help: "The model (.lenet float or int8, .pth or .safetensors).")
    var model: String
    @Argument(help: "PNG files.")
    var files: [String]
    @Flag(help: "Print one JSON object per line and file.")
    var json = false
    @Flag(help: "Draw each digit as the model saw it (28x28; into the JSON with --json).")
    var show = false
    @Option(help: ArgumentHelp("Write the picture with each digit's box and label to this PNG (one input file only).", valueName: "PNG"))
    var boxes: String?
    @Option(help: "Worker threads: the pictures are read on this many cores at once (default: LENET_NUM_THREADS, else all cores).")
    var threads: Int?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one PNG file") }
        if boxes != nil, files.count != 1 { throw ValidationError("--boxes takes one input file") }
    }

    func run() throws {
        let threadCount = try resolveThreads(threads)
        let predictor = try Predictor(Model.load(model))
        var failures = 0
        for start in stride(from: 0, to: files.count, by: Predict.chunk) {
            let names = Array(files[start..<min(files.count, start + Predict.chunk)])
            let readings = predictor.read(pngFiles: names, threads: threadCount)
            for (file, reading) in zip(names, readings) {
                do {
                    try printReading(file, try reading.get())
                } catch {
                    failures += 1
                    if json { Terminal.printJSON(["file": file, "error": "\(error)"]) } else { Terminal.error("\(error)") }
                }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// One picture's number, as a line (or a JSON object), its digits with --show, its boxes with --boxes.
    func printReading(_ file: String, _ digits: [ReadDigit]) throws {
        let number = digits.map { String($0.label) }.joined()
        if json {
            let entries: [[String: Any]] = digits.map { d in
                var e: [String: Any] = ["digit": d.label, "probability": Double(d.probabilities[d.label]),
                                        "probabilities": d.probabilities.map(Double.init), "box": [d.x, d.y, d.width, d.height]]
                if show { e["digit28x28"] = (0..<28).map { Array(d.digit[($0 * 28)..<($0 * 28 + 28)]) } }
                return e
            }
            Terminal.printJSON(["file": file, "number": number, "digits": entries])
        } else {
            let detail = digits.map { String(format: "%d %.1f%%", $0.label, $0.probabilities[$0.label] * 100) }.joined(separator: ", ")
            print("\(file): \(number)  (\(detail))")
            if show { for d in digits { print(Predict.draw(d.digit)) } }
        }
        if let boxes {
            let picture = try PNGCodec.decodeGray(FileIO.read(file, limit: DigitImage.maxFileSize))
            try FileIO.writeAtomically(boxes, BoxPicture.png(picture, digits))
        }
    }
}

/// The picture in grey with a red box around each digit found and its label above it.
enum BoxPicture {
    /// 3x5 glyphs of the digits, a row of three bits per line, top to bottom.
    static let glyphs: [[UInt8]] = [
        [7, 5, 5, 5, 7], [2, 6, 2, 2, 7], [7, 1, 7, 4, 7], [7, 1, 7, 1, 7], [5, 5, 7, 1, 1],
        [7, 4, 7, 1, 7], [7, 4, 7, 5, 7], [7, 1, 1, 1, 1], [7, 5, 7, 5, 7], [7, 5, 7, 1, 7],
    ]

    static func png(_ image: GrayImage, _ digits: [ReadDigit]) throws -> [UInt8] {
        let w = image.width, h = image.height
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<(w * h) { for c in 0..<3 { rgb[3 * i + c] = image.pixels[i] } }
        func plot(_ x: Int, _ y: Int, _ colour: (UInt8, UInt8, UInt8)) {
            guard x >= 0, x < w, y >= 0, y < h else { return }
            rgb[3 * (y * w + x)] = colour.0; rgb[3 * (y * w + x) + 1] = colour.1; rgb[3 * (y * w + x) + 2] = colour.2
        }
        let red: (UInt8, UInt8, UInt8) = (220, 30, 30)
        let thick = max(1, min(w, h) / 150)
        for d in digits {
            for t in 0..<thick {
                for x in (d.x - t)...(d.x + d.width - 1 + t) { plot(x, d.y - t, red); plot(x, d.y + d.height - 1 + t, red) }
                for y in (d.y - t)...(d.y + d.height - 1 + t) { plot(d.x - t, y, red); plot(d.x + d.width - 1 + t, y, red) }
            }
            // The label, a glyph scaled to a quarter of the box's height, above the box (inside when no room).
            let s = max(1, d.height / 20)
            let top = d.y - thick - 6 * s >= 0 ? d.y - thick - 6 * s : d.y + thick + s
            for (row, bits) in glyphs[d.label].enumerated() {
                for col in 0..<3 where bits & (4 >> col) != 0 {
                    for dy in 0..<s { for dx in 0..<s { plot(d.x + col * s + dx, top + row * s + dy, red) } }
                }
            }
        }
        return try PNGCodec.encodeRGB(width: w, height: h, pixels: rgb)
    }
}
