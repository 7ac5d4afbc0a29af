/// Connected strokes of a binary ink mask (8-connected), for telling a digit's strokes from
/// specks of dust, paper grain or a stray dot.
package enum Components {
    /// A part smaller than this share of the largest is a speck, not a piece of the digit (a
    /// 5's detached top or a broken stroke is far larger).
    static let speckShare = 25

    package struct Part {
        package var area = 0
        package var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
    }

    /// Labels `mask`'s connected parts; returns each pixel's part (-1: none) and the parts,
    /// numbered in the order their first pixel comes in raster order. Two raster passes
    /// with union-find (the smaller label is the root); sizes checked once, then unsafe
    /// pointers, so the background pixels that most of a picture is cost a test each.
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

    private static func labelParts(_ labelled: UnsafeMutablePointer<Int32>, _ ink: UnsafePointer<Bool>, _ w: Int, _ h: Int) -> [Part] {
        var parent = [Int32]()
        for y in 0..<h {
            let row = labelled + y * w, m = ink + y * w
            for x in 0..<w where m[x] {
                var mine: Int32 = -1
                // The neighbours already visited: left, and the three above.
                if x > 0 { meet(row[x - 1], &mine, &parent) }
                if y > 0 {
                    let up = row - w
                    if x > 0 { meet(up[x - 1], &mine, &parent) }
                    meet(up[x], &mine, &parent)
                    if x + 1 < w { meet(up[x + 1], &mine, &parent) }
                }
                if mine < 0 {
                    mine = Int32(parent.count)
                    parent.append(mine)
                }
                row[x] = mine
            }
        }
        var index = [Int32](repeating: -1, count: parent.count)
        var parts = [Part]()
        for y in 0..<h {
            let row = labelled + y * w
            for x in 0..<w where row[x] >= 0 {
                let root = Int(find(row[x], &parent))
                if index[root] < 0 {
                    index[root] = Int32(parts.count)
                    parts.append(Part())
                }
                let p = Int(index[root])
                row[x] = Int32(p)
                parts[p].area += 1
                parts[p].x0 = min(parts[p].x0, x); parts[p].x1 = max(parts[p].x1, x)
                parts[p].y0 = min(parts[p].y0, y); parts[p].y1 = max(parts[p].y1, y)
            }
        }
        return parts
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

    /// A labelled neighbour joins this pixel's part (the first one seen names it).
    @inline(__always)
    private static func meet(_ l: Int32, _ mine: inout Int32, _ parent: inout [Int32]) {
        guard l >= 0 else { return }
        if mine < 0 {
            mine = l
        } else {
            let ra = find(mine, &parent), rb = find(l, &parent)
            if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
        }
    }

    /// The box around every part but the specks; nil when the mask is empty.
    package static func digitBox(_ mask: [Bool], width w: Int, height h: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        let parts = label(mask, width: w, height: h).parts
        guard let largest = parts.map(\.area).max() else { return nil }
        var box = (x0: w, y0: h, x1: -1, y1: -1)
        for p in parts where p.area * speckShare >= largest {
            box = (min(box.x0, p.x0), min(box.y0, p.y0), max(box.x1, p.x1), max(box.y1, p.y1))
        }
        return box
    }
}
