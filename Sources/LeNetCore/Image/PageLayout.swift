/// The numbers on a page: a form holds fields, each a number of its own, and read as one
/// row of digits two numbers on different lines interleave ("427256" above "368" came back
/// "42721668"). Parts of the ink belong to one number when they sit side by side on a
/// shared band of rows no farther apart than digits of a number are, or stacked close in
/// the same columns (a 5 and its detached bar); the numbers are ordered as a page is read:
/// rows top to bottom, each row left to right.
package enum PageLayout {
    /// One number's parts (indices into the page's parts) and their box, in the analysed pixels.
    package struct Number: Equatable {
        package var parts: [Int]
        package var x0: Int, y0: Int, x1: Int, y1: Int
        var height: Int { y1 - y0 + 1 }
    }

    /// Parts side by side are one number when the gap between them is at most this many
    /// times the taller one's height: digits of a number are written closer than that
    /// (MNIST's writers up to about 0.8), fields of a form farther apart. Chosen on
    /// make_pages.py's seed 1 and make_numbers.py's seed 21.
    static let gapShare = 1.2

    /// A fragment (under 60% of the other part's height) within this share of the other's
    /// height of it, across or down, is a piece of its digit: a 5's flag flown off above.
    static let fragmentReach = 0.3

    /// Parts stacked in the same columns are one digit when the rows between them are at
    /// most this share of the taller one's height: a 5's bar flies off a little, the next
    /// line of a form is farther.
    static let stackShare = 0.35

    /// A part smaller than this share of the largest is dust, not writing. Looser than a
    /// digit's own speck rule (Components.speckShare): a small printed number's strokes
    /// beside a large handwritten one's are writing too.
    static let dustShare = 400

    /// At most this many parts are laid out, the largest: a form holds far fewer digits, and
    /// a picture of nothing but dots (a halftone, a hostile file) stays quick to refuse.
    static let maxParts = 20_000

    /// Parts side by side share at least this share of the shorter one's rows: a hand's
    /// digits wander up and down a line (a small 9 written high beside an 8), the next
    /// line's numbers share none.
    static let rowShare = 0.25

    /// A number under this share of a typical number's height is a stray mark (a tick, a
    /// dash), not a number of the form. Typical: the upper quartile of their heights, and
    /// at least half the tallest, so that marks do not lower it by their number, and a
    /// form's small printed fields beside large handwritten ones stay numbers.
    static let markShare = 0.25

    /// The page's numbers, in reading order (empty when there is no ink), and how many
    /// stray marks were left out.
    package static func numbers(_ parts: [Components.Part]) -> (numbers: [Number], marks: Int) {
        guard let largest = parts.map(\.area).max(), largest > 0 else { return ([], 0) }
        var kept = parts.indices.filter { parts[$0].area > 0 && parts[$0].area * dustShare >= largest }
        if kept.count > maxParts { kept = Array(kept.sorted { parts[$0].area > parts[$1].area }.prefix(maxParts)).sorted() }
        // Union-find over the kept parts; the pairs that belong together joined.
        var parent = Array(kept.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        let order = kept.indices.sorted { parts[kept[$0]].x0 < parts[kept[$1]].x0 }
        let tallestPart = kept.map { parts[$0].y1 - parts[$0].y0 + 1 }.max() ?? 0
        for (n, i) in order.enumerated() {
            let a = parts[kept[i]], ah = a.y1 - a.y0 + 1
            for j in order[(n + 1)...] {
                let b = parts[kept[j]], bh = b.y1 - b.y0 + 1, tall = Double(max(ah, bh))
                // Sorted by left edge: every later part starts farther right.
                let gap = b.x0 - a.x1 - 1
                if Double(gap) > gapShare * Double(tallestPart) { break }
                let rows = min(a.y1, b.y1) - max(a.y0, b.y0) + 1
                let columns = min(a.x1, b.x1) - max(a.x0, b.x0) + 1
                let sideBySide = Double(gap) <= gapShare * tall && Double(rows) >= rowShare * Double(min(ah, bh))
                let stacked = columns * 2 >= min(a.x1 - a.x0 + 1, b.x1 - b.x0 + 1) && Double(-rows) <= stackShare * tall
                let fragment = Double(min(ah, bh)) < 0.6 * tall && Double(max(gap, 0)) <= fragmentReach * tall
                    && Double(max(-rows, 0)) <= fragmentReach * tall
                if sideBySide || stacked || fragment {
                    let ra = root(i), rb = root(j)
                    if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
                }
            }
        }
        // Each group a number, in the order of its first part: the same every run, and each
        // number's parts in the page's order.
        var numbers = [Number](), slot = [Int](repeating: -1, count: kept.count)
        for i in kept.indices {
            let p = parts[kept[i]], r = root(i)
            if slot[r] < 0 {
                slot[r] = numbers.count
                numbers.append(Number(parts: [], x0: p.x0, y0: p.y0, x1: p.x1, y1: p.y1))
            }
            let k = slot[r]
            numbers[k].parts.append(kept[i])
            numbers[k].x0 = min(numbers[k].x0, p.x0); numbers[k].y0 = min(numbers[k].y0, p.y0)
            numbers[k].x1 = max(numbers[k].x1, p.x1); numbers[k].y1 = max(numbers[k].y1, p.y1)
        }
        let heights = numbers.map(\.height).sorted()
        let typical = max(heights[heights.count * 3 / 4], heights[heights.count - 1] / 2)
        let count = numbers.count
        numbers.removeAll { Double($0.height) < markShare * Double(typical) }
        return (readingOrder(numbers), count - numbers.count)
    }

    /// Rows top to bottom (a number joins the row whose band of rows holds half of it or of
    /// the row's first number), each row left to right.
    static func readingOrder(_ numbers: [Number]) -> [Number] {
        var rows = [[Number]]()
        for n in numbers.sorted(by: { ($0.y0, $0.x0) < ($1.y0, $1.x0) }) {
            if let r = rows.indices.last(where: { r in
                let first = rows[r][0], shared = min(first.y1, n.y1) - max(first.y0, n.y0) + 1
                return shared * 2 >= min(first.height, n.height)
            }) {
                rows[r].append(n)
            } else {
                rows.append([n])
            }
        }
        return rows.flatMap { $0.sorted { $0.x0 < $1.x0 } }
    }
}
