import LeNetCore

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the numbers on each PNG: each number's digits, left to right.",
        discussion: """
            The digits are found as connected strokes (pieces of one digit joined, specks \
            ignored, touching digits cut where the model is surest; a number read unsure \
            is cut again at other slants, and the number most of those readings agree on, \
            weighed by how sure each is, kept) and each is read as \
            `lenet predict` reads a single digit. A page may hold several numbers (the \
            fields of a form): the strokes are grouped into numbers by their spacing and \
            shared rows, and the numbers come in reading order, rows top to bottom, each \
            left to right. Prints one line a number: the file, the number and each digit's \
            probability. --json prints one object a file, {"file", "numbers": [{"number", \
            "box", "digits": [{"digit", "probability", "probabilities", "box"}]}]}, boxes \
            as [x, y, width, height] in the picture's pixels.
            """)

    @Argument(help: "The model (.lenet float or int8, .pth or .safetensors).")
    var model: String
    @Argument(help: "PNG files.")
    var files: [String]
    @Flag(help: "Print one JSON object per line and file.")
    var json = false
    @Flag(help: "Draw each digit as the model saw it (28x28; into the JSON with --json).")
    var show = false
    @Option(help: ArgumentHelp("Write the picture with each digit's box and label (red) and each number's box (blue) to this PNG (one input file only).", valueName: "PNG"))
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
            let readings = predictor.readNumbers(pngFiles: names, threads: threadCount)
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

    /// One picture's numbers, a line each (or one JSON object), their digits with --show, their boxes with --boxes.
    func printReading(_ file: String, _ numbers: [ReadNumber]) throws {
        if json {
            let entries: [[String: Any]] = numbers.map { n in
                let digits: [[String: Any]] = n.digits.map { d in
                    var e: [String: Any] = ["digit": d.label, "probability": Double(d.probabilities[d.label]),
                                            "probabilities": d.probabilities.map(Double.init), "box": [d.x, d.y, d.width, d.height]]
                    if show { e["digit28x28"] = (0..<28).map { Array(d.digit[($0 * 28)..<($0 * 28 + 28)]) } }
                    return e
                }
                return ["number": n.text, "box": [n.x, n.y, n.width, n.height], "digits": digits]
            }
            Terminal.printJSON(["file": file, "numbers": entries])
        } else {
            for n in numbers {
                let detail = n.digits.map { String(format: "%d %.1f%%", $0.label, $0.probabilities[$0.label] * 100) }.joined(separator: ", ")
                print("\(file): \(n.text)  (\(detail))")
                if show { for d in n.digits { print(Predict.draw(d.digit)) } }
            }
        }
        if let boxes {
            let picture = try PNGCodec.decodeGray(FileIO.read(file, limit: DigitImage.maxFileSize))
            try FileIO.writeAtomically(boxes, BoxPicture.png(picture, numbers))
        }
    }
}

/// The picture in grey with a red box around each digit found and its label above it, and a
/// blue box around each number, a little outside its digits' boxes.
enum BoxPicture {
    /// 3x5 glyphs of the digits, a row of three bits per line, top to bottom.
    static let glyphs: [[UInt8]] = [
        [7, 5, 5, 5, 7], [2, 6, 2, 2, 7], [7, 1, 7, 4, 7], [7, 1, 7, 1, 7], [5, 5, 7, 1, 1],
        [7, 4, 7, 1, 7], [7, 4, 7, 5, 7], [7, 1, 1, 1, 1], [7, 5, 7, 5, 7], [7, 5, 7, 1, 7],
    ]

    static func png(_ image: GrayImage, _ numbers: [ReadNumber]) throws -> [UInt8] {
        let w = image.width, h = image.height
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<(w * h) { for c in 0..<3 { rgb[3 * i + c] = image.pixels[i] } }
        func plot(_ x: Int, _ y: Int, _ colour: (UInt8, UInt8, UInt8)) {
            guard x >= 0, x < w, y >= 0, y < h else { return }
            rgb[3 * (y * w + x)] = colour.0; rgb[3 * (y * w + x) + 1] = colour.1; rgb[3 * (y * w + x) + 2] = colour.2
        }
        let red: (UInt8, UInt8, UInt8) = (220, 30, 30), blue: (UInt8, UInt8, UInt8) = (30, 60, 220)
        let thick = max(1, min(w, h) / 150)
        func frame(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ colour: (UInt8, UInt8, UInt8)) {
            for t in 0..<thick {
                for x in (x0 - t)...(x1 + t) { plot(x, y0 - t, colour); plot(x, y1 + t, colour) }
                for y in (y0 - t)...(y1 + t) { plot(x0 - t, y, colour); plot(x1 + t, y, colour) }
            }
        }
        for n in numbers where !n.digits.isEmpty {
            // Outside the digits' boxes and their labels above them.
            let m = 2 * thick + 1, above = m + 6 * max(1, n.digits.map(\.height).max()! / 20)
            frame(n.x - m, n.y - above, n.x + n.width - 1 + m, n.y + n.height - 1 + m, blue)
        }
        for d in numbers.flatMap(\.digits) {
            frame(d.x, d.y, d.x + d.width - 1, d.y + d.height - 1, red)
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
