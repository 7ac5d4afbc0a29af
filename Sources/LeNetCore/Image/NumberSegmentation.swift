/// Cuts a picture of a number ("2026" on a form) into candidate digits, left to right: the
/// strokes are found as in a single digit (InkMap, Components) and set upright when asked
/// (Deslant: the steps below work on columns, which a slanted hand's digits share), parts
/// stacked in the same columns are put together (a 5's detached top), specks and dots are dropped. Then a
/// fragment (a group under 60% of a digit's height) may be one digit with the groups it
/// nearly touches (a 9 whose loop and stem did not meet, a 5 whose flag flew off), and a
/// group too wide for one digit may be cut at its thinnest columns, a chain of touching
/// digits at several. The candidates form a Lattice; Predictor.read lets the model choose.
package enum NumberSegmentation {
    /// One digit candidate: its box in the picture's pixels and the 28x28 digit it gives.
    package struct Piece {
        package var x0: Int, y0: Int, x1: Int, y1: Int
        package var digit: [UInt8]
        /// Its strokes' width over their height, upright (after Deslant).
        package var aspect: Double
    }

    /// One candidate digit: the stretch of the number between two nodes of its Lattice.
    package struct Edge {
        package var from: Int, to: Int
        package var piece: Piece
    }

    /// The ways to read a number, as a graph: node 0 is where the number begins, `nodes - 1`
    /// where it ends, nodes in between where a group of strokes begins or where a cut
    /// could run inside one; every path from the first node to the last is a reading, each
    /// edge on it a digit (a group, groups joined, or the part of a group between two cuts).
    /// Edges go from a lower node to a higher one.
    package struct Lattice {
        package var nodes: Int
        package var edges: [Edge]
        /// The groups of strokes the number was found in (parts stacked in the same
        /// columns, specks left out).
        package var groups: Int
        /// Makes edge e's 28x28 of a lattice made without them (nil: none could be made).
        let made: (Int) -> [UInt8]?

        /// Edge e's 28x28 (nil: its strokes give none). A lattice made without digits makes
        /// it now, so that training, which picks one piece of a lattice by its box, makes one.
        package func digit(_ e: Int) -> [UInt8]? { edges[e].piece.digit.isEmpty ? made(e) : edges[e].piece.digit }
    }

    /// A part at least half as wide as tall may be several digits touching (a 1 against its
    /// neighbour makes a narrow pair). The model, taught to answer an uncut pair unsure
    /// (TrainingOptions.pairShare), decides whether a cut reads better.
    static let splitAspect = 0.5

    /// ... and only when it is this much wider than the number's other parts (their median
    /// width): printed digits share a width, and a bold 8 or 4 cut in two reads as two surer
    /// halves, while two touching digits are about twice as wide as one. (make_numbers.py
    /// seed 11: printed 97.5% -> 98.5% whole, touching pairs 63% -> 61.5%.)
    static let widerThanOthers = 1.2

    /// A part alone, with no others to measure it by, is cut when it is at least this wide
    /// for its height (upright), else only when the model doubts it (`unsure`): a bold serif
    /// 8 alone is 0.8-0.84 of its height, and a model taught touching pairs reads its halves
    /// surer than it (of the 220 DejaVu glyphs alone at 48 px, 3-4 bold serif 8s read "13",
    /// "80", "88" with none; none with 0.85). Two touching digits are mostly wider; the
    /// narrower pairs (a 1 against its neighbour) the doubt cuts: numbers with a touching
    /// pair 83.2-83.8% -> 82.3-82.7% whole (make_numbers.py seeds 11-13, models of seeds 1-2).
    static let loneAspect = 0.85

    /// A picture's ink, found once, to be cut upright and along its slant.
    package struct Found {
        let ink: InkMap.Ink
        let strokeWidth: Double
        /// The analysed (shrunk) picture's size, and its pixel's side in the picture's.
        let width: Int, height: Int, factor: Int
        /// Where these pixels start in the analysed picture (one number's crop of a page).
        var originX = 0, originY = 0

        /// The hand's slant (Deslant), 0 when upright.
        package var slant: Double { Deslant.slant(labels: ink.labels, parts: ink.parts, width: width, height: height) }

        /// The numbers on the picture (PageLayout), and how many stray marks were left out.
        package var layout: (numbers: [PageLayout.Number], marks: Int) { PageLayout.numbers(ink.parts) }

        /// The ink of one of the page's numbers alone: its box (and a margin for the
        /// strokes' soft edges), other numbers' strokes unlabelled and their parts empty.
        package func number(_ n: PageLayout.Number) -> Found {
            let margin = max(2, Int(strokeWidth.rounded(.up)) + 1)
            let x0 = max(0, n.x0 - margin), y0 = max(0, n.y0 - margin)
            let x1 = min(width - 1, n.x1 + margin), y1 = min(height - 1, n.y1 + margin)
            let cw = x1 - x0 + 1, ch = y1 - y0 + 1
            let members = PartSet(n.parts.map { Int32($0) })
            var values = [UInt8](repeating: 0, count: cw * ch), labels = [Int32](repeating: -1, count: cw * ch)
            for y in 0..<ch {
                let src = (y + y0) * width + x0
                for x in 0..<cw {
                    values[y * cw + x] = ink.values[src + x]
                    let l = ink.labels[src + x]
                    if members.contains(l) { labels[y * cw + x] = l }
                }
            }
            var parts = [Components.Part](repeating: Components.Part(), count: ink.parts.count)
            for p in n.parts {
                let q = ink.parts[p]
                parts[p] = Components.Part(area: q.area, x0: q.x0 - x0, y0: q.y0 - y0, x1: q.x1 - x0, y1: q.y1 - y0)
            }
            let cropped = InkMap.Ink(values: values, labels: labels, parts: parts, strokes: (n.x0 - x0, n.y0 - y0, n.x1 - x0, n.y1 - y0))
            return Found(ink: cropped, strokeWidth: strokeWidth, width: cw, height: ch, factor: factor, originX: originX + x0,
                         originY: originY + y0)
        }
    }

    package static func ink(_ picture: GrayImage) throws -> Found {
        guard picture.width > 0, picture.height > 0 else { throw LeNetError.image(.noInk, "the image is empty") }
        let (image, factor) = DigitPreprocessing.shrunkWithFactor(picture)
        let map = try DigitPreprocessing.inkMap(image)
        return Found(ink: map.ink(), strokeWidth: map.strokeWidth, width: image.width, height: image.height, factor: factor)
    }

    /// The candidate digits of an upright reading.
    package static func lattice(_ picture: GrayImage) throws -> Lattice {
        try lattice(ink(picture), slant: 0)
    }

    /// The candidate digits with the picture's rows shifted to undo `slant`. `unsure` is
    /// shown the 28x28 of each group too narrow among the others to be cut (widerThanOthers)
    /// and says which the model reads unsure: those may be cut too. Without `digits`, only
    /// a group whole gets its 28x28; the other edges keep their box and an empty digit
    /// until Lattice.digit asks for one (training looks at boxes first).
    package static func lattice(_ found: Found, slant: Double, unsure: (([[UInt8]]) -> [Bool])? = nil,
                                digits: Bool = true) throws -> Lattice {
        let ink = found.ink, h = found.height, factor = found.factor
        let shifts = Deslant.shifts(slant, height: h)
        // Upright already, the ink is used as it is: no copies of a page's maps.
        let upright = slant == 0 ? (values: ink.values, width: found.width, origin: 0)
            : Deslant.sheared(ink.values, width: found.width, height: h, shifts: shifts, fill: 0)
        let labels = slant == 0 ? ink.labels : Deslant.sheared(ink.labels, width: found.width, height: h, shifts: shifts, fill: -1).values
        let w = upright.width, values = upright.values
        let parts = slant == 0 ? ink.parts : boxes(labels, count: ink.parts.count, width: w, height: h)
        // Where a pixel of the upright picture lies in the picture: back through the shear.
        let origin = upright.origin
        func column(_ x: Int, _ y: Int) -> Int { x - origin - shifts[y] }
        guard let largest = parts.map(\.area).max() else { throw DigitPreprocessing.noStrokes }
        let kept = parts.indices.filter { parts[$0].area * Components.speckShare >= largest }

        // Parts stacked in the same columns (sharing at least half of the narrower one's
        // columns, and less than half of the shorter one's rows) are one digit: a 5 and its
        // detached bar. Side by side, a 1 under a 5's flag, they stay two.
        var clusters = [[Int]]()
        for p in kept.sorted(by: { parts[$0].x0 < parts[$1].x0 }) {
            let a = parts[p]
            if let c = clusters.indices.last(where: { c in
                clusters[c].contains { q in
                    let b = parts[q]
                    let columns = min(a.x1, b.x1) - max(a.x0, b.x0) + 1, rows = min(a.y1, b.y1) - max(a.y0, b.y0) + 1
                    return columns * 2 >= min(a.x1 - a.x0 + 1, b.x1 - b.x0 + 1) && rows * 2 < min(a.y1 - a.y0 + 1, b.y1 - b.y0 + 1)
                }
            }) {
                clusters[c].append(p)
            } else {
                clusters.append([p])
            }
        }
        let heights = clusters.map { c in c.map { parts[$0].y1 }.max()! - c.map { parts[$0].y0 }.min()! + 1 }.sorted()
        let typical = heights[heights.count / 2]
        let radius = max(1, Int((found.strokeWidth / 2).rounded(.up)))
        typealias Group = (x0: Int, y0: Int, x1: Int, y1: Int, members: PartSet)
        var groups = [Group]()
        for cluster in clusters {
            let x0 = cluster.map { parts[$0].x0 }.min()!, x1 = cluster.map { parts[$0].x1 }.max()!
            let y0 = cluster.map { parts[$0].y0 }.min()!, y1 = cluster.map { parts[$0].y1 }.max()!
            // A dot or a comma between digits.
            if (y1 - y0 + 1) * 10 < typical * 3 && (x1 - x0 + 1) * 10 < typical * 3 { continue }
            groups.append((x0, y0, x1, y1, PartSet(cluster.map { Int32($0) })))
        }
        guard !groups.isEmpty else { throw LeNetError.image(.noInk, "no ink found: only specks stand out from the paper") }
        // Not inlined: a second copy in Lattice.digit's closure cost the library 8 KB.
        @inline(never)
        func piece(_ members: PartSet, _ cx0: Int, _ cx1: Int, _ y0: Int, _ y1: Int, left: Path? = nil, right: Path? = nil,
                   digit: Bool = true) -> Piece? {
            // A cut at a group's first column leaves nothing on its left.
            guard cx0 <= cx1,
                  var p = makePiece(values: values, labels: labels, members: members, width: w, height: h, columns: cx0...cx1,
                                    rows: y0...y1, radius: radius, column: column, factor: factor, left: left, right: right,
                                    digit: digit) else { return nil }
            p.x0 += found.originX * factor; p.x1 += found.originX * factor
            p.y0 += found.originY * factor; p.y1 += found.originY * factor
            return p
        }
        // Pieces of one digit nearly touch: no farther apart than a stroke is wide.
        let touching = max(2, Int(found.strokeWidth.rounded(.up)))
        // Cut only what is wider than the other parts (widerThanOthers).
        func wideAmongOthers(_ g: Int) -> Bool {
            guard groups.count >= 2 else {
                return Double(groups[g].x1 - groups[g].x0 + 1) >= loneAspect * Double(groups[g].y1 - groups[g].y0 + 1)
            }
            let others = groups.indices.filter { $0 != g }.map { groups[$0].x1 - groups[$0].x0 + 1 }.sorted()
            let median = Double(others[others.count / 2] + others[(others.count - 1) / 2]) / 2
            return Double(groups[g].x1 - groups[g].x0 + 1) >= widerThanOthers * median
        }
        // Nodes: each group's start, then the cuts inside it, left to right; the end last.
        // Each group as one digit, made once: an edge of its own, and what the model is asked.
        let wholes = groups.map { g in piece(g.members, g.x0, g.x1, g.y0, g.y1) }
        var cut = groups.indices.map(wideAmongOthers)
        if let unsure {
            // A 1 drawn against its neighbour adds little width; the model's doubt tells.
            let asked = groups.indices.filter { !cut[$0] && wholes[$0] != nil }
            for (k, doubt) in unsure(asked.map { wholes[$0]!.digit }).enumerated() where doubt { cut[asked[k]] = true }
        }
        let cutsInside = groups.indices.map { g in cut[g] ? boundaries(groups[g], labels: labels, width: w) : [] }
        var start = [0]
        for g in groups.indices { start.append(start[g] + 1 + cutsInside[g].count) }
        var edges = [Edge]()
        // What each edge's piece is made of (without `digits`), for Lattice.digit.
        var later = [(members: PartSet, cx0: Int, cx1: Int, y0: Int, y1: Int, left: Path?, right: Path?)]()
        // The candidate from node `from` to node `to`, if it holds strokes.
        func addEdge(_ from: Int, _ to: Int, _ members: PartSet, _ cx0: Int, _ cx1: Int, _ y0: Int, _ y1: Int, left: Path? = nil,
                     right: Path? = nil, whole: Piece? = nil) {
            guard let p = whole ?? piece(members, cx0, cx1, y0, y1, left: left, right: right, digit: digits) else { return }
            edges.append(Edge(from: from, to: to, piece: p))
            if !digits { later.append((members, cx0, cx1, y0, y1, left, right)) }
        }
        for first in groups.indices {
            var run = groups[first]
            for last in first..<min(groups.count, first + 3) {
                if last > first {
                    // Joined: a fragment (under 60% of a digit's height) to what it nearly touches.
                    let next = groups[last], before = groups[last - 1]
                    func fragment(_ g: Group) -> Bool { (g.y1 - g.y0 + 1) * 10 < typical * 6 }
                    guard next.x0 - run.x1 - 1 <= touching, fragment(next) || fragment(before) else { break }
                    run = (min(run.x0, next.x0), min(run.y0, next.y0), max(run.x1, next.x1), max(run.y1, next.y1),
                           run.members.union(next.members))
                    guard Double(run.x1 - run.x0 + 1) <= 1.5 * Double(run.y1 - run.y0 + 1) else { break }
                }
                if last > first {
                    addEdge(start[first], start[last + 1], run.members, run.x0, run.x1, run.y0, run.y1)
                } else if let whole = wholes[first] {
                    addEdge(start[first], start[last + 1], run.members, run.x0, run.x1, run.y0, run.y1, whole: whole)
                }
            }
            // Inside a group: a digit from its start to a cut, from a cut to its end, and
            // (a chain of touching digits) between two cuts.
            let g = groups[first], cuts = cutsInside[first], bh = Double(g.y1 - g.y0 + 1)
            let chain = Double(g.x1 - g.x0 + 1) >= chainAspect * bh
            // Each cut's first and last column and mean column, once.
            let lo = cuts.map { $0.firstRight.min()! }, hi = cuts.map { $0.firstRight.max()! }, middle = cuts.map(\.middle)
            func node(_ k: Int) -> Int { start[first] + 1 + k }
            for (k, b) in cuts.enumerated() {
                if !chain || middle[k] - Double(g.x0) <= 1.5 * bh {
                    addEdge(start[first], node(k), g.members, g.x0, hi[k] - 1, g.y0, g.y1, right: b)
                }
                if !chain || Double(g.x1) - middle[k] <= 1.5 * bh {
                    addEdge(node(k), start[first + 1], g.members, lo[k], g.x1, g.y0, g.y1, left: b)
                }
                guard chain else { continue }
                for (j, c) in cuts.enumerated() where j > k {
                    let d = middle[j] - middle[k]
                    guard d >= 0.2 * bh, d <= 1.3 * bh else { continue }
                    addEdge(node(k), node(j), g.members, lo[k], hi[j] - 1, g.y0, g.y1, left: b, right: c)
                }
            }
        }
        return Lattice(nodes: start[groups.count] + 1, edges: edges, groups: groups.count) { e in
            let p = later[e]
            return piece(p.members, p.cx0, p.cx1, p.y0, p.y1, left: p.left, right: p.right)?.digit
        }
    }

    /// A group at least this much wider than tall may be a chain of three or more touching
    /// digits: its cuts run over all its width, and a digit may lie between two of them.
    static let chainAspect = 1.5

    /// Where a group wide enough to be several digits touching could be cut, left to right:
    /// at each of its thinnest columns, straight down, along the paths a drop falling from
    /// above and from below would take there (Congedo et al.'s drop-fall: around the strokes
    /// where it can, through them where it must), and along the seam that crosses the least
    /// ink within a quarter of the height of the column (seeds 11 and 12: touching pairs 1-3
    /// points more whole on average). Two digits are cut in the middle half of the group; a
    /// chain anywhere a fifth of its height from its ends.
    static func boundaries(_ g: (x0: Int, y0: Int, x1: Int, y1: Int, members: PartSet), labels: [Int32], width w: Int) -> [Path] {
        let bw = g.x1 - g.x0 + 1, bh = g.y1 - g.y0 + 1
        guard Double(bw) >= splitAspect * Double(bh) else { return [] }
        let chain = Double(bw) >= chainAspect * Double(bh)
        let columns = chain ? (g.x0 + bh / 5)...(g.x1 - bh / 5) : (g.x0 + bw / 4)...(g.x1 - bw / 4)
        // A chain gets five candidates a digit's height (the middle half of a pair: eight).
        let most = chain ? min(16, Int((5 * Double(bw) / Double(bh)).rounded())) : cutColumns
        let apart = chain ? max(1, bh / 12) : max(1, columns.count / 12)
        var paths = [Path]()
        for cut in cuts(labels: labels, members: g.members, width: w, columns: columns, rows: g.y0...g.y1, most: most, apart: apart) {
            paths.append(Path(y0: g.y0, firstRight: Array(repeating: cut, count: bh)))
            // A drop or a seam needs a column on each side of it to move into.
            guard bw >= 3 else { continue }
            let inner = (g.x0 + 1)...g.x1
            let more = [true, false].map { dropFall(from: cut, down: $0, labels: labels, members: g.members, width: w, columns: inner, rows: g.y0...g.y1) }
                + [seam(from: cut, labels: labels, members: g.members, width: w, columns: inner, rows: g.y0...g.y1, reach: max(1, bh / 4))]
            for path in more where !paths.contains(where: { $0.firstRight == path.firstRight }) { paths.append(path) }
        }
        return paths.map { ($0, $0.middle) }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// The path of a drop falling from the top (or rising from the bottom) of `rows` at
    /// column `start`: into the pixel ahead when it is paper, else beside it to the left or
    /// the right when that is, else through the stroke.
    package static func dropFall(from start: Int, down: Bool, labels: [Int32], members: PartSet, width w: Int, columns: ClosedRange<Int>,
                         rows: ClosedRange<Int>) -> Path {
        func ink(_ x: Int, _ y: Int) -> Bool { members.contains(labels[y * w + x]) }
        var firstRight = [Int](repeating: start, count: rows.count), x = start
        for (i, y) in (down ? Array(rows) : rows.reversed()).enumerated() {
            if i > 0, ink(x, y) {
                if x - 1 >= columns.lowerBound, !ink(x - 1, y) {
                    x -= 1
                } else if x + 1 <= columns.upperBound, !ink(x + 1, y) {
                    x += 1
                }
            }
            firstRight[y - rows.lowerBound] = x
        }
        return Path(y0: rows.lowerBound, firstRight: firstRight)
    }

    /// The path from the top of `rows` to their bottom, within `reach` columns of `start`,
    /// that crosses the least ink (a seam: the best of all paths that move at most one
    /// column a row, each move and each column away from `start` costing a little), so a
    /// cut between overlapping digits runs where their strokes cross least.
    package static func seam(from start: Int, labels: [Int32], members: PartSet, width w: Int, columns: ClosedRange<Int>,
                             rows: ClosedRange<Int>, reach: Int) -> Path {
        let lo = max(columns.lowerBound, start - reach), hi = min(columns.upperBound, start + reach)
        guard lo <= hi else { return Path(y0: rows.lowerBound, firstRight: Array(repeating: start, count: rows.count)) }
        let n = hi - lo + 1, move = 0.05, away = 0.02
        // Two rows of costs and one buffer of steps, not three new arrays a row: training
        // cuts thousands of pairs (PenDigits.cutPieces), the reader every wide part.
        var cost = [Double](repeating: 0, count: n), next = cost, steps = [Int8](repeating: 0, count: n * rows.count)
        for (i, y) in rows.enumerated() {
            for k in 0..<n {
                let here = (members.contains(labels[y * w + lo + k]) ? 1.0 : 0.0) + away * Double(abs(lo + k - start))
                guard i > 0 else { next[k] = here; continue }
                var best = cost[k], d: Int8 = 0
                if k > 0, cost[k - 1] + move < best { best = cost[k - 1] + move; d = -1 }
                if k + 1 < n, cost[k + 1] + move < best { best = cost[k + 1] + move; d = 1 }
                next[k] = best + here
                steps[i * n + k] = d
            }
            swap(&cost, &next)
        }
        var k = cost.indices.min { cost[$0] < cost[$1] }!
        var firstRight = [Int](repeating: start, count: rows.count)
        for i in stride(from: rows.count - 1, through: 0, by: -1) {
            firstRight[i] = lo + k
            k += Int(steps[i * n + k])
        }
        return Path(y0: rows.lowerBound, firstRight: firstRight)
    }

    /// Up to `most` columns to cut at: the ones the group's strokes cross least, more than
    /// `apart` columns apart.
    static func cuts(labels: [Int32], members: PartSet, width w: Int, columns: ClosedRange<Int>, rows: ClosedRange<Int>,
                     most: Int, apart: Int) -> [Int] {
        guard columns.count >= 1 else { return [] }
        let counts = columns.map { x in rows.reduce(0) { $0 + (members.contains(labels[$1 * w + x]) ? 1 : 0) } }
        let order = counts.indices.sorted { (counts[$0], abs($0 - counts.count / 2)) < (counts[$1], abs($1 - counts.count / 2)) }
        var picked = [Int]()
        for i in order where picked.allSatisfy({ abs($0 - i) > apart }) {
            picked.append(i)
            if picked.count == most { break }
        }
        return picked.map { columns.lowerBound + $0 }
    }

    /// Where two touching digits may be cut: eight of the middle half's columns, a twelfth of
    /// it apart. Touching digits overlap, and the column between them is seldom the
    /// thinnest: eight candidates instead of three took touching pairs from 43% to 56.5%
    /// whole (make_numbers.py seed 11).
    static let cutColumns = 8

    /// A cut along a path: in each row from `y0` on, the first column of the right side.
    package struct Path {
        package var y0: Int
        package var firstRight: [Int]
        /// Its mean column: cuts are ordered left to right by it.
        var middle: Double { Double(firstRight.reduce(0, +)) / Double(max(1, firstRight.count)) }
    }

    /// The digit made of the group's strokes within `columns`, right of `left` and left of
    /// `right` (cuts; nil: none), their soft edges (`radius` around them) included, or nil
    /// when no stroke lies there. Without `digit`, only its box (and an empty digit).
    static func makePiece(
        values: [UInt8], labels: [Int32], members: PartSet, width w: Int, height h: Int, columns: ClosedRange<Int>,
        rows: ClosedRange<Int>, radius r: Int, column: (Int, Int) -> Int, factor: Int, left: Path? = nil, right: Path? = nil,
        digit makeDigit: Bool = true
    ) -> Piece? {
        // Each row's columns inside the piece: within `columns`, right of `left`, left of
        // `right` (a path leaves the rows outside its own alone).
        let spans = (0..<h).map { y -> (lo: Int, hi: Int) in
            var lo = columns.lowerBound, hi = columns.upperBound
            if let l = left, y - l.y0 >= 0, y - l.y0 < l.firstRight.count { lo = max(lo, l.firstRight[y - l.y0]) }
            if let r = right, y - r.y0 >= 0, y - r.y0 < r.firstRight.count { hi = min(hi, r.firstRight[y - r.y0] - 1) }
            return (lo, hi)
        }
        // The box in these pixels (sx, sy) and in the picture's columns (ox), from each row's
        // first and last stroke pixel (`column` grows with x along a row).
        var sx0 = Int.max, sy0 = Int.max, sx1 = -1, sy1 = -1, ox0 = Int.max, ox1 = -1
        for y in rows where spans[y].lo <= spans[y].hi {
            let row = y * w
            var first = spans[y].lo
            while first <= spans[y].hi, !members.contains(labels[row + first]) { first += 1 }
            guard first <= spans[y].hi else { continue }
            var last = spans[y].hi
            while !members.contains(labels[row + last]) { last -= 1 }
            sx0 = min(sx0, first); sx1 = max(sx1, last); sy0 = min(sy0, y); sy1 = max(sy1, y)
            ox0 = min(ox0, column(first, y)); ox1 = max(ox1, column(last, y))
        }
        guard sx1 >= 0 else { return nil }
        var piece = Piece(x0: ox0 * factor, y0: sy0 * factor, x1: (ox1 + 1) * factor - 1, y1: (sy1 + 1) * factor - 1, digit: [],
                          aspect: Double(sx1 - sx0 + 1) / Double(sy1 - sy0 + 1))
        guard makeDigit else { return piece }
        // The strokes' pixels, grown by `radius` within the columns, select the ink.
        let lx0 = max(columns.lowerBound, sx0 - r), lx1 = min(columns.upperBound, sx1 + r)
        let ly0 = max(0, sy0 - r), ly1 = min(h - 1, sy1 + r)
        let lw = lx1 - lx0 + 1, lh = ly1 - ly0 + 1
        func local(_ y: Int) -> (lo: Int, hi: Int) { (max(lx0, spans[y].lo), min(lx1, spans[y].hi)) }
        var mask = [Bool](repeating: false, count: lw * lh)
        for y in ly0...ly1 where local(y).lo <= local(y).hi {
            for x in local(y).lo...local(y).hi where members.contains(labels[y * w + x]) {
                mask[(y - ly0) * lw + (x - lx0)] = true
            }
        }
        let near = DigitPreprocessing.grown(mask, width: lw, height: lh, radius: r)
        var ink = [UInt8](repeating: 0, count: lw * lh)
        for y in ly0...ly1 where local(y).lo <= local(y).hi {
            for x in local(y).lo...local(y).hi where near[(y - ly0) * lw + (x - lx0)] { ink[(y - ly0) * lw + (x - lx0)] = values[y * w + x] }
        }
        guard let digit = DigitPreprocessing.digit(fromInk: ink, width: lw, height: lh) else { return nil }
        piece.digit = digit
        return piece
    }

    /// The area and box of each of `count` labelled parts.
    static func boxes(_ labels: [Int32], count: Int, width w: Int, height h: Int) -> [Components.Part] {
        var parts = [Components.Part](repeating: Components.Part(), count: count)
        for y in 0..<h {
            for x in 0..<w {
                let l = Int(labels[y * w + x])
                guard l >= 0 else { continue }
                parts[l].area += 1
                parts[l].x0 = min(parts[l].x0, x); parts[l].x1 = max(parts[l].x1, x)
                parts[l].y0 = min(parts[l].y0, y); parts[l].y1 = max(parts[l].y1, y)
            }
        }
        return parts
    }
}
