import ArgumentParser
import Foundation
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

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one PNG file") }
        guard raw != nil || !files.contains("-") else { throw ValidationError("'-' (standard input) needs --raw") }
        let m = try Model.load(model)
        let predictor = try Predictor(m)
        var failures = 0
        for file in files {
            let digit: [UInt8]
            do {
                digit = try raw.map { try $0.digit(file) } ?? DigitImage.fromPNGFile(file)
            } catch {
                failures += 1
                if json {
                    Terminal.printJSON(["file": file, "error": "\(error)"])
                } else {
                    Terminal.error("\(error)")
                }
                continue
            }
            let p = predictor.classify(digits: digit, threads: 1)[0].probabilities
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
        if failures > 0 { throw ExitCode(1) }
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
