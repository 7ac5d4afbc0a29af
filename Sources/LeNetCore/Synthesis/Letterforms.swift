/// How people write each digit, as pen strokes: the forms MNIST's writers used and the
/// ones they rarely did (a 1 with a flag or a base, a crossed 7, an open 4, a 6 with a long
/// stem and a small loop, a 9 with a straight stem, a 2 with a loop, a narrow 8 in one
/// stroke), and the full, round 6 and 9 a careful hand shares with print. Each stroke is the path of the pen's tip through points in a unit box (x to
/// the right, y down, the digit about 0.15-0.85 wide and 0-1 high), in the order a hand
/// draws them; PenTrajectory bends, slants and smooths them per sample.
package struct Letterform: Sendable {
    package let digit: Int
    package let name: String
    package let strokes: [[SIMD2<Float>]]

    /// The form's name with its digit, unique among the forms: "1-flag", "7-crossed".
    package var key: String { "\(digit)-" + name.split(separator: " ").joined(separator: "-") }

    init(_ digit: Int, _ name: String, _ strokes: [[(Float, Float)]]) {
        self.digit = digit
        self.name = name
        self.strokes = strokes.map { $0.map { SIMD2($0.0, $0.1) } }
    }
}

package enum Letterforms {
    package static let all: [Letterform] = [
        Letterform(0, "oval", [[(0.5, 0.02), (0.24, 0.16), (0.15, 0.5), (0.25, 0.86), (0.5, 0.98), (0.76, 0.85), (0.85, 0.5),
                                (0.77, 0.16), (0.5, 0.02), (0.4, 0.07)]]),
        Letterform(0, "open-top oval", [[(0.62, 0.06), (0.42, 0.03), (0.2, 0.3), (0.2, 0.75), (0.45, 0.98), (0.72, 0.85), (0.82, 0.45),
                                         (0.7, 0.12), (0.55, 0.08)]]),
        Letterform(1, "stroke", [[(0.52, 0.0), (0.5, 0.5), (0.48, 1.0)]]),
        Letterform(1, "flag", [[(0.28, 0.24), (0.42, 0.1), (0.55, 0.0), (0.53, 0.5), (0.52, 1.0)]]),
        Letterform(1, "flag and base", [[(0.28, 0.22), (0.42, 0.09), (0.54, 0.0), (0.53, 0.5), (0.52, 0.98)],
                                        [(0.28, 0.99), (0.52, 0.99), (0.76, 0.98)]]),
        Letterform(2, "plain", [[(0.2, 0.25), (0.33, 0.06), (0.57, 0.01), (0.77, 0.17), (0.74, 0.42), (0.48, 0.68), (0.18, 0.98),
                                 (0.5, 0.97), (0.86, 0.98)]]),
        Letterform(2, "loop", [[(0.2, 0.24), (0.36, 0.04), (0.64, 0.04), (0.78, 0.27), (0.6, 0.56), (0.32, 0.82), (0.22, 0.96),
                                (0.36, 0.9), (0.34, 0.78), (0.22, 0.88), (0.3, 0.98), (0.58, 0.95), (0.86, 0.96)]]),
        Letterform(3, "round", [[(0.2, 0.13), (0.48, 0.0), (0.77, 0.13), (0.74, 0.36), (0.44, 0.48), (0.74, 0.58), (0.83, 0.8),
                                 (0.57, 0.99), (0.2, 0.9)]]),
        Letterform(3, "flat top", [[(0.2, 0.02), (0.5, 0.02), (0.8, 0.02), (0.46, 0.4), (0.74, 0.52), (0.83, 0.78), (0.56, 0.99),
                                    (0.2, 0.9)]]),
        Letterform(4, "open", [[(0.38, 0.0), (0.27, 0.32), (0.16, 0.62), (0.5, 0.62), (0.86, 0.6)], [(0.68, 0.18), (0.67, 0.6), (0.66, 1.0)]]),
        Letterform(4, "closed", [[(0.68, 1.0), (0.69, 0.5), (0.7, 0.0), (0.4, 0.34), (0.12, 0.68), (0.5, 0.68), (0.9, 0.68)]]),
        Letterform(4, "one stroke open", [[(0.34, 0.0), (0.18, 0.58), (0.5, 0.6), (0.74, 0.52), (0.74, 0.15), (0.71, 0.6), (0.69, 1.0)]]),
        Letterform(5, "bar after", [[(0.3, 0.02), (0.27, 0.44), (0.52, 0.37), (0.78, 0.5), (0.8, 0.78), (0.55, 0.98), (0.2, 0.88)],
                                    [(0.3, 0.03), (0.55, 0.02), (0.82, 0.0)]]),
        Letterform(5, "one stroke", [[(0.82, 0.02), (0.55, 0.02), (0.3, 0.03), (0.26, 0.45), (0.52, 0.38), (0.78, 0.52), (0.79, 0.8),
                                      (0.53, 0.99), (0.2, 0.87)]]),
        Letterform(6, "round", [[(0.72, 0.02), (0.42, 0.2), (0.2, 0.55), (0.24, 0.87), (0.5, 1.0), (0.76, 0.86), (0.74, 0.6),
                                 (0.46, 0.52), (0.22, 0.68)]]),
        Letterform(6, "long stem", [[(0.74, 0.0), (0.52, 0.24), (0.34, 0.58), (0.3, 0.86), (0.46, 0.99), (0.63, 0.88), (0.6, 0.7),
                                     (0.42, 0.7), (0.31, 0.8)]]),
        Letterform(6, "full", [[(0.78, 0.14), (0.6, 0.02), (0.36, 0.1), (0.21, 0.38), (0.19, 0.66), (0.3, 0.92), (0.5, 1.0), (0.71, 0.91),
                                (0.8, 0.69), (0.7, 0.49), (0.5, 0.42), (0.3, 0.5), (0.2, 0.64)]]),
        Letterform(7, "plain", [[(0.15, 0.04), (0.5, 0.03), (0.86, 0.03), (0.6, 0.45), (0.42, 1.0)]]),
        Letterform(7, "crossed", [[(0.15, 0.04), (0.5, 0.03), (0.86, 0.03), (0.62, 0.45), (0.45, 1.0)], [(0.36, 0.52), (0.58, 0.5), (0.8, 0.49)]]),
        Letterform(7, "hook", [[(0.16, 0.18), (0.18, 0.03), (0.5, 0.04), (0.85, 0.03), (0.55, 0.52), (0.44, 1.0)]]),
        Letterform(8, "one stroke", [[(0.72, 0.12), (0.5, 0.0), (0.27, 0.12), (0.32, 0.36), (0.5, 0.48), (0.72, 0.62), (0.76, 0.86),
                                      (0.5, 1.0), (0.24, 0.86), (0.28, 0.62), (0.5, 0.48), (0.68, 0.34), (0.72, 0.14), (0.56, 0.02)]]),
        Letterform(8, "two loops", [[(0.5, 0.46), (0.28, 0.3), (0.32, 0.06), (0.5, 0.0), (0.68, 0.06), (0.72, 0.3), (0.5, 0.46), (0.47, 0.47)],
                                    [(0.5, 0.46), (0.25, 0.64), (0.26, 0.9), (0.5, 1.0), (0.74, 0.9), (0.75, 0.64), (0.5, 0.46), (0.47, 0.47)]]),
        Letterform(9, "straight stem", [[(0.76, 0.2), (0.52, 0.01), (0.26, 0.14), (0.25, 0.38), (0.48, 0.5), (0.74, 0.36), (0.77, 0.14),
                                         (0.75, 0.55), (0.72, 1.0)]]),
        Letterform(9, "full", [[(0.8, 0.36), (0.7, 0.51), (0.5, 0.58), (0.3, 0.5), (0.2, 0.31), (0.29, 0.09), (0.5, 0.0), (0.7, 0.09),
                                (0.81, 0.34), (0.79, 0.62), (0.64, 0.9), (0.4, 0.99), (0.22, 0.86)]]),
        Letterform(9, "curved stem", [[(0.75, 0.22), (0.5, 0.02), (0.25, 0.16), (0.27, 0.4), (0.52, 0.48), (0.76, 0.32), (0.74, 0.6),
                                       (0.58, 0.92), (0.32, 0.97)]]),
    ]

    /// The forms of each digit.
    package static let byDigit: [[Letterform]] = (0..<10).map { d in all.filter { $0.digit == d } }

    /// Print's forms as a pen would trace them, two a digit (digit d at d and d + 10, the
    /// order PenDigits.written(forms:) takes): the round and full forms print shares with
    /// careful hands, and two that only print has, a closed 4 standing on a foot and an 8
    /// whose top loop is smaller than its bottom one. Written upright with a broad pen
    /// (PenStyle.Ranges.print), they teach the model a bold serif 4 or 8 as one digit,
    /// which a model taught touching pairs as no digit otherwise reads as two
    /// (benchmarks/README.md, "Touching digits, round 3"). Strokes, not a typeface's
    /// outlines: no font's glyphs are learnt.
    package static let typeset: [Letterform] = {
        let printOnly = [
            Letterform(4, "foot", [[(0.66, 1.0), (0.67, 0.5), (0.68, 0.0), (0.4, 0.34), (0.12, 0.68), (0.5, 0.68), (0.9, 0.68)],
                                   [(0.46, 1.0), (0.66, 1.0), (0.86, 1.0)]]),
            Letterform(8, "small top", [[(0.5, 0.44), (0.32, 0.3), (0.34, 0.06), (0.5, 0.0), (0.66, 0.06), (0.68, 0.3), (0.5, 0.44),
                                         (0.47, 0.45)],
                                        [(0.5, 0.44), (0.2, 0.62), (0.22, 0.9), (0.5, 1.0), (0.78, 0.9), (0.8, 0.62), (0.5, 0.44),
                                         (0.47, 0.45)]]),
        ]
        let first = ["0-oval", "1-flag-and-base", "2-plain", "3-round", "4-foot", "5-bar-after", "6-full", "7-plain", "8-small-top", "9-full"]
        let second = ["0-oval", "1-flag", "2-plain", "3-flat-top", "4-closed", "5-one-stroke", "6-round", "7-plain", "8-two-loops",
                      "9-straight-stem"]
        return (first + second).map { key in (printOnly + all).first { $0.key == key }! }
    }()
}
