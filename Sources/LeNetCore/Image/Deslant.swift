/// The slant of a line of handwriting, and the line set upright. A hand that leans writes
/// digits whose columns overlap their neighbours' and whose joins run diagonally: cut
/// between columns, as NumberSegmentation does, they come apart wrong. Sheared upright
/// first, each digit has columns of its own again.
///
/// The slant is the shear under which the strokes' column counts are sharpest (the sum of
/// their squares largest): vertical strokes pile into few columns. Each part is counted on
/// its own, so that digits on different baselines do not score by sliding over one
/// another. Rows are shifted by whole pixels, so the ink's values move unchanged.
package enum Deslant {
    /// The shears tried, in x per y (0.5: a stroke leaning right by half its height). Hands
    /// lean left little, and upright digits of many writers side by side can fake a left lean.
    static let candidates: [Double] = stride(from: -0.2, through: 1.0, by: 0.1).map { ($0 * 10).rounded() / 10 }

    /// A slant must sharpen the column counts by this much over upright to be undone:
    /// printed and upright writing stay as they are, and so do lines of digits in many
    /// slants (MNIST's writers side by side), which no one shear sets upright. Chosen on
    /// make_numbers.py's seed 2 (1.05: handwritten 87% whole, 1.2: 92%, as upright).
    static let minimumGain = 1.2

    /// The slant of the ink (`labels`, numbering `parts`) in x per y, 0 when upright.
    package static func slant(labels: [Int32], parts: [Components.Part], width w: Int, height h: Int) -> Double {
        var score = [Double](repeating: 0, count: candidates.count)
        for (c, s) in candidates.enumerated() {
            let shifts = self.shifts(s, height: h)
            for (label, p) in parts.enumerated() where p.area > 0 {
                let rows = p.y0...p.y1, low = rows.map { shifts[$0] }.min()!, high = rows.map { shifts[$0] }.max()!
                var counts = [Int](repeating: 0, count: p.x1 - p.x0 + 1 + high - low)
                for y in rows {
                    let offset = shifts[y] - low - p.x0
                    for x in p.x0...p.x1 where labels[y * w + x] == Int32(label) { counts[x + offset] += 1 }
                }
                score[c] += counts.reduce(0.0) { $0 + Double($1 * $1) }
            }
        }
        let upright = score[candidates.firstIndex(of: 0)!]
        guard let best = score.indices.max(by: { score[$0] < score[$1] }), score[best] > upright * minimumGain else { return 0 }
        return candidates[best]
    }

    /// Each row's shift that sets a slant of `s` upright: rows above the middle move left.
    package static func shifts(_ s: Double, height h: Int) -> [Int] {
        let middle = Double(h - 1) / 2
        return (0..<h).map { y in Int((s * (Double(y) - middle)).rounded()) }
    }

    /// `values` with each row moved by its shift, in a picture wide enough for every row
    /// (`fill` where no pixel lands). Returns the new width and the shift of column 0.
    package static func sheared<T>(_ values: [T], width w: Int, height h: Int, shifts: [Int], fill: T) -> (values: [T], width: Int, origin: Int) {
        let low = shifts.min() ?? 0, high = shifts.max() ?? 0
        let sw = w + high - low
        var out = [T](repeating: fill, count: sw * h)
        for y in 0..<h {
            let dst = y * sw + shifts[y] - low, src = y * w
            for x in 0..<w { out[dst + x] = values[src + x] }
        }
        return (out, sw, -low)
    }
}
