import LeNetCore

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the digit on each PNG (or raw pixel file) and classify it.",
        discussion: """
            Any PNG works (grey, colour, palette, transparency, 16-bit, interlaced): it is made \
            to look like an MNIST digit first (ink white on black, cropped, scaled to 20x20, \
            centred by mass in 28x28). A file that cannot be read gets its error on stderr; the \
            others are still classified, and the exit status is 1.

            With --raw the files are bare pixels, as image tools write them, e.g. \
            `magick photo.jpg -depth 8 gray:- | lenet predict model.lenet --raw 640x480 -`. \
            They get the same preprocessing: the same picture gives the same answer as its PNG.
            """)

    @Argument(help: "The model (.lenet float or int8, .pth or .safetensors).")
    var model: String
    @Argument(help: "PNG files (with --raw: raw pixel files, '-' for standard input).")
    var files: [String]
    @Option(help: ArgumentHelp(
        "Read the files as raw pixels of this size and layout: rows packed top to bottom, 16-bit samples in this machine's byte order. FORMAT: \(RawGeometry.formatNames) (default gray8).",
        valueName: "WIDTHxHEIGHT[:FORMAT]"))
    var raw: RawGeometry?
    @Flag(help: "Print one JSON object per line and file (with --show, the digit as \"digit28x28\": 28 rows of 28 bytes).")
    var json = false
    @Flag(help: "Draw the preprocessed 28x28 digit, as the model sees it (into the JSON with --json).")
    var show = false
    @Option(help: "Worker threads: the pictures are read on this many cores at once (default: LENET_NUM_THREADS, else all cores).")
    var threads: Int?

    /// Pictures read at once: enough to keep every core busy, few enough that their digits
    /// and answers stay small however many files are named.
    static let chunk = 256

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one PNG file") }
        guard raw != nil || !files.contains("-") else { throw ValidationError("'-' (standard input) needs --raw") }
        let threadCount = try resolveThreads(threads)
        let m = try Model.load(model)
        let predictor = try Predictor(m)
        var failures = 0
        for start in stride(from: 0, to: files.count, by: Self.chunk) {
            let names = Array(files[start..<min(files.count, start + Self.chunk)])
            // Raw files may be standard input: read in order, on this thread.
            let digits = raw.map { r in names.map { f in Result { try r.digit(f) } } }
                ?? DigitBatch.fromPNGFiles(names, threads: threadCount)
            let read = digits.compactMap { try? $0.get() }
            var answers = predictor.classify(digits: read.flatMap { $0 }, threads: threadCount)[...]
            for (file, result) in zip(names, digits) {
                switch result {
                case .success(let digit): printAnswer(file, digit, answers.removeFirst().probabilities)
                case .failure(let error):
                    failures += 1
                    report(file, error)
                }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    func report(_ file: String, _ error: any Error) {
        if json {
            Terminal.printJSON(["file": file, "error": "\(error)"])
        } else {
            Terminal.error("\(error)")
        }
    }

    /// One picture's answer, as a line (or a JSON object) and, with --show, the digit.
    func printAnswer(_ file: String, _ digit: [UInt8], _ p: [Float]) {
        let ranked = (0..<10).sorted { p[$0] > p[$1] }
        if json {
            var object: [String: Any] = [
                "file": file, "digit": ranked[0], "probability": Double(p[ranked[0]]),
                "top3": ranked.prefix(3).map { ["digit": $0, "probability": Double(p[$0])] as [String: Any] },
                "probabilities": p.map(Double.init),
            ]
            // Pictures would break a JSON-lines stream: the pixels go inside the object.
            if show { object["digit28x28"] = (0..<28).map { Array(digit[($0 * 28)..<($0 * 28 + 28)]) } }
            Terminal.printJSON(object)
        } else {
            let top = ranked.prefix(3).map { String(format: "%d %.1f%%", $0, p[$0] * 100) }.joined(separator: ", ")
            print(String(format: "%@: %d (%.1f%%)  top 3: %@", file, ranked[0], p[ranked[0]] * 100, top))
            if show { print(Self.draw(digit)) }
        }
    }

    /// The digit in the terminal, two characters a pixel so it keeps its shape.
    static func draw(_ digit: [UInt8]) -> String {
        let shades: [Character] = [" ", "░", "▒", "▓", "█"]
        return (0..<28).map { y in
            String((0..<28).flatMap { x -> [Character] in
                let c = shades[Int(digit[y * 28 + x]) * (shades.count - 1) / 255]
                return [c, c]
            })
        }.joined(separator: "\n")
    }
}
