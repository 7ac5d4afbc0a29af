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
            default model trains on; its single digits also with pens up to 0.22). Writes DIR/NNNNN.png (dark ink on white, 64 pixels high; a digit 64x64) and \
            DIR/labels.csv (file,label,form,slant,pen_width,speed). Digit i is i mod 10, in one of its forms; \
            with --number every picture holds that number written by one hand (label: the number; \
            form: the digits' forms joined by +). The \
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
    @Option(help: ArgumentHelp("Slant range: the shear of x by y (0.5: leaning right by half the height; default \(Self.spelled(PenStyle.Ranges.training.slant))).", valueName: "lo,hi"))
    var slant: String?
    @Option(help: ArgumentHelp("Pen width range, as a share of the digit's height (default \(Self.spelled(PenStyle.Ranges.training.penWidth))).", valueName: "lo,hi"))
    var penWidth: String?
    @Option(help: ArgumentHelp("Speed range, 0 (careful) to 1 (fast: rounded corners, thin stroke ends; default \(Self.spelled(PenStyle.Ranges.training.speed))).", valueName: "lo,hi"))
    var speed: String?
    @Option(help: ArgumentHelp("Wobble range: how far the hand strays from the letterform, in digit heights (default \(Self.spelled(PenStyle.Ranges.training.wobble))).", valueName: "lo,hi"))
    var wobble: String?
    @Option(help: ArgumentHelp("Write this number on every picture instead (one hand a picture, each digit in a form of its own).", valueName: "digits"))
    var number: String?
    @Option(help: ArgumentHelp("With --number: the paper between digits' ink, in digit heights (below 0 they overlap; default \(Self.spelled(Self.defaultGaps))).", valueName: "lo,hi"))
    var gap: String?
    @Option(help: ArgumentHelp("With --number: digit N and the next touch (1 = the first two).", valueName: "N"))
    var touching: Int?
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
        let digits = try number.map { text -> [Int] in
            guard (1...64).contains(text.count), text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else {
                throw ValidationError("--number takes 1 to 64 digits 0-9: '\(text)'")
            }
            return text.compactMap(\.wholeNumberValue)
        }
        guard digits == nil || chosen == nil else { throw ValidationError("--forms and --number do not go together") }
        if let touching {
            guard let digits, (1..<digits.count).contains(touching) else {
                throw ValidationError("--touching N needs --number with more than N digits")
            }
        }
        let gaps = try gap.map { try Self.range($0, "--gap", within: -0.5...2) } ?? Self.defaultGaps
        try FileIO.makeDirectories(output)
        var rows = ["file,label,form,slant,pen_width,speed"]
        for i in 0..<count {
            let (picture, label, forms, style): (GrayImage, String, [Letterform], PenStyle)
            if let digits {
                let written = PenDigits.writtenNumber(digits, i, seed: seed, ranges: ranges, gaps: gaps, touching: touching.map { $0 - 1 })
                (picture, label, forms, style) = (written.picture, number!, written.forms, written.style)
            } else {
                let written = PenDigits.written(i, seed: seed, ranges: ranges, forms: chosen)
                (picture, label, forms, style) = (written.picture, "\(written.form.digit)", [written.form], written.style)
            }
            let name = String(format: "%05d.png", i)
            try FileIO.writeAtomically(output + "/" + name, try PNGCodec.encodeGray(picture))
            rows.append(String(format: "%@,%@,%@,%.3f,%.3f,%.3f", name, label, forms.map(\.key).joined(separator: "+"),
                               style.slant, style.penWidth, style.speed))
        }
        try FileIO.writeAtomically(output + "/labels.csv", Array((rows.joined(separator: "\n") + "\n").utf8))
        let what = number.map { "picture\(count == 1 ? "" : "s") of \($0)" } ?? "digit\(count == 1 ? "" : "s")"
        print("wrote \(count) \(what) to \(output), labels in \(output)/labels.csv")
    }

    static let defaultGaps = PenDigits.numberGaps

    static func spelled(_ r: ClosedRange<Float>) -> String { "\(r.lowerBound),\(r.upperBound)" }

    static func range(_ text: String, _ name: String, within limits: ClosedRange<Float>) throws -> ClosedRange<Float> {
        let parts = text.split(separator: ",").map { Float($0.trimmedSpaces) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo <= hi, limits.contains(lo), limits.contains(hi) else {
            throw ValidationError("\(name) takes two numbers lo,hi with lo <= hi, within \(limits.lowerBound)...\(limits.upperBound): '\(text)'")
        }
        return lo...hi
    }

    static func chosenForms(_ text: String) throws -> [Letterform] {
        let names = text.split(separator: ",").map(\.trimmedSpaces)
        let known = Set(Letterforms.all.map(\.key))
        if let bad = names.first(where: { !known.contains($0) }) {
            throw ValidationError("no letterform '\(bad)'; the forms are: \(known.sorted().joined(separator: ", "))")
        }
        // In the order given: picture i is written in the (i mod count)-th of them.
        return names.map { name in Letterforms.all.first { $0.key == name }! }
    }
}
