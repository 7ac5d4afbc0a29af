/// Connected strokes of a binary ink mask (8-connected), for telling a digit's strokes from
/// specks of dust, paper grain or a stray dot.
package enum Components {
    /// A part smaller than this share of the largest is a speck, not a piece of the digit (a
    /// 5's detached top or a broken stroke is far larger).
    static let speckShare = 25

    package struct Part {
        package var area = 0
        package var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1

        package init() {}

        package init(area: Int, x0: Int, y0: Int, x1: Int, y1: Int) {
            self.area = area
            self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
        }
    }

    /// Labels `mask`'s connected parts; returns each pixel's part (-1: none) and the parts,
    /// numbered in the order their first pixel comes in raster order. Labels runs of ink
    /// rather than pixels (a stroke's row is one run): each run joins the runs of the row
    /// above that touch it, diagonals included, by union-find (the smaller label is the
    /// root); a part's first run holds its first pixel, so numbering the roots in the runs'
    /// order numbers the parts as StageReference.label's pixel scan does. Background is
    /// skipped eight bytes at a time.
    package static func label(_ mask: [Bool], width w: Int, height h: Int) -> (labels: [Int32], parts: [Part]) {
        precondition(w >= 0 && h >= 0 && mask.count == w * h, "labelling needs a whole mask")
        var parts = [Part]()
        let labels = [Int32](unsafeUninitializedCapacity: w * h) { buffer, initialized in
            initialized = w * h
            guard let labelled = buffer.baseAddress else { return }
            labelled.initialize(repeating: -1, count: w * h)
            parts = mask.withUnsafeBufferPointer { labelParts(labelled, $0.baseAddress!, w, h) }
        }
        return (labels, parts)
    }

    /// A run of ink: columns x0..<x1 of row y, and its label.
    private struct Run {
        var x0: Int32, x1: Int32, y: Int32, label: Int32
    }

    private static func labelParts(_ labelled: UnsafeMutablePointer<Int32>, _ ink: UnsafePointer<Bool>, _ w: Int, _ h: Int) -> [Part] {
        var runs = [Run](), parent = [Int32]()
        var above = 0..<0
        for y in 0..<h {
            let first = runs.count
            // The runs above ending before this run's start end before every later one's.
            var cursor = above.lowerBound
            findRuns(UnsafeRawPointer(ink + y * w), w) { x0, x1 in
                var mine: Int32 = -1
                // The runs above that touch columns x0 - 1 ... x1 (x1 is exclusive).
                while cursor < above.upperBound, Int(runs[cursor].x1) < x0 { cursor += 1 }
                var p = cursor
                while p < above.upperBound, Int(runs[p].x0) <= x1 {
                    meet(runs[p].label, &mine, &parent)
                    p += 1
                }
                if mine < 0 {
                    mine = Int32(parent.count)
                    parent.append(mine)
                }
                runs.append(Run(x0: Int32(x0), x1: Int32(x1), y: Int32(y), label: mine))
            }
            above = first..<runs.count
        }
        var index = [Int32](repeating: -1, count: parent.count)
        var parts = [Part]()
        for run in runs {
            let root = Int(find(run.label, &parent))
            if index[root] < 0 {
                index[root] = Int32(parts.count)
                parts.append(Part())
            }
            let p = Int(index[root]), x0 = Int(run.x0), x1 = Int(run.x1), y = Int(run.y)
            (labelled + y * w + x0).update(repeating: Int32(p), count: x1 - x0)
            parts[p].area += x1 - x0
            parts[p].x0 = min(parts[p].x0, x0); parts[p].x1 = max(parts[p].x1, x1 - 1)
            parts[p].y0 = min(parts[p].y0, y); parts[p].y1 = max(parts[p].y1, y)
        }
        return parts
    }

    /// Calls `run(x0, x1)` for each run of true bytes in the row, left to right.
    @inline(__always)
    private static func findRuns(_ row: UnsafeRawPointer, _ w: Int, _ run: (Int, Int) -> Void) {
        var x = 0
        while x < w {
            if x + 8 <= w, row.loadUnaligned(fromByteOffset: x, as: UInt64.self) == 0 {
                x += 8
                continue
            }
            guard row.load(fromByteOffset: x, as: UInt8.self) != 0 else {
                x += 1
                continue
            }
            let start = x
            while x < w, row.load(fromByteOffset: x, as: UInt8.self) != 0 { x += 1 }
            run(start, x)
        }
    }

    /// The root of a's part, halving the path on the way.
    @inline(__always)
    private static func find(_ a: Int32, _ parent: inout [Int32]) -> Int32 {
        var a = a
        while parent[Int(a)] != a {
            parent[Int(a)] = parent[Int(parent[Int(a)])]
            a = parent[Int(a)]
        }
        return a
    }

    /// A touching run joins this run's part (the first one seen names it).
    @inline(__always)
    private static func meet(_ l: Int32, _ mine: inout Int32, _ parent: inout [Int32]) {
        if mine < 0 {
            mine = l
        } else {
            let ra = find(mine, &parent), rb = find(l, &parent)
            if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
        }
    }

    /// The box around every part but the specks; nil when the mask is empty.
    package static func digitBox(_ mask: [Bool], width w: Int, height h: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        digitBox(label(mask, width: w, height: h).parts, width: w, height: h)
    }

    /// The same from parts already labelled.
    package static func digitBox(_ parts: [Part], width w: Int, height h: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        guard let largest = parts.map(\.area).max() else { return nil }
        var box = (x0: w, y0: h, x1: -1, y1: -1)
        for p in parts where p.area * speckShare >= largest {
            box = (min(box.x0, p.x0), min(box.y0, p.y0), max(box.x1, p.x1), max(box.y1, p.y1))
        }
        return box
    }
}
