import ArgumentParser
import Foundation
import LeNetCore

/// `lenet synth DIR`: digits written by the stroke model, as pictures.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write digits drawn by lenet's handwriting model as PNG pictures.",
        discussion: """
            Each digit is one of the letterforms people write (a 1 with a flag or a base, a \
            crossed 7, an open 4, a 6 with a long stem, a 9 with a straight stem, a 2 with a \
            loop, ...) drawn as pen strokes in a random style: slant, rotation, width, wobble, \
            pen width, pressure and speed, each from the ranges below (defaults: the ranges the \
            default model trains on). Writes DIR/NNNNN.png (dark ink on white, 64x64) and \
            DIR/labels.csv (file,label,form,slant,pen_width,speed). Digit i is i mod 10, in one of its forms. The \
            same seed and ranges give the same pictures; `lenet train` draws its own digits \
            with a seed of its own, so pictures written here with another seed are digits it \
            never saw (benchmarks/digits/make_sets.py builds evaluation sets from them).
            """)

    @Argument(help: "The folder to write (created if needed; existing pictures with the same names are replaced).")
    var output: String
    @Option(help: "How many digits.")
    var count = 100
    @Option(help: "Random seed.")
    var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Slant range: the shear of x by y (0.5: leaning right by half the height).", valueName: "lo,hi"))
    var slant: String?
    @Option(help: ArgumentHelp("Pen width range, as a share of the digit's height.", valueName: "lo,hi"))
    var penWidth: String?
    @Option(help: ArgumentHelp("Speed range, 0 (careful) to 1 (fast: rounded corners, thin stroke ends).", valueName: "lo,hi"))
    var speed: String?
    @Option(help: ArgumentHelp("Wobble range: how far the hand strays from the letterform, in digit heights.", valueName: "lo,hi"))
    var wobble: String?
    @Option(help: ArgumentHelp("Only these letterforms, in turn (keys as labels.csv gives them: 1-flag,7-crossed; default: every form of digit i mod 10).", valueName: "names"))
    var forms: String?

    func run() throws {
        guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be 1 to 1000000") }
        var ranges = PenStyle.Ranges.training
        if let slant { ranges.slant = try Self.range(slant, "--slant", within: -2...2) }
        if let penWidth { ranges.penWidth = try Self.range(penWidth, "--pen-width", within: 0.01...0.4) }
        if let speed { ranges.speed = try Self.range(speed, "--speed", within: 0...1) }
        if let wobble { ranges.wobble = try Self.range(wobble, "--wobble", within: 0...0.1) }
        let chosen = try forms.map(Self.chosenForms)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var rows = ["file,label,form,slant,pen_width,speed"]
        for i in 0..<count {
            let digit = PenDigits.written(i, seed: seed, ranges: ranges, forms: chosen)
            let name = String(format: "%05d.png", i)
            try FileIO.writeAtomically(output + "/" + name, try PNGCodec.encodeGray(digit.picture))
            rows.append(String(format: "%@,%d,%@,%.3f,%.3f,%.3f", name, digit.form.digit, digit.form.key, digit.style.slant,
                               digit.style.penWidth, digit.style.speed))
        }
        try FileIO.writeAtomically(output + "/labels.csv", Array((rows.joined(separator: "\n") + "\n").utf8))
        print("wrote \(count) digits to \(output)")
    }

    static func range(_ text: String, _ name: String, within limits: ClosedRange<Float>) throws -> ClosedRange<Float> {
        let parts = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo <= hi, limits.contains(lo), limits.contains(hi) else {
            throw ValidationError("\(name) takes two numbers lo,hi with lo <= hi, within \(limits.lowerBound)...\(limits.upperBound): '\(text)'")
        }
        return lo...hi
    }

    static func chosenForms(_ text: String) throws -> [Letterform] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let known = Set(Letterforms.all.map(\.key))
        if let bad = names.first(where: { !known.contains($0) }) {
            throw ValidationError("no letterform '\(bad)'; the forms are: \(known.sorted().joined(separator: ", "))")
        }
        return Letterforms.all.filter { names.contains($0.key) }
    }
}
