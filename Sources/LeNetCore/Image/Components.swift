/// Connected strokes of a binary ink mask (8-connected), for telling a digit's strokes from
/// specks of dust, paper grain or a stray dot.
package enum Components {
    /// A part smaller than this share of the largest is a speck, not a piece of the digit (a
    /// 5's detached top or a broken stroke is far larger).
    static let speckShare = 25

    struct Part {
        var area = 0
        var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
    }

    /// Labels `mask`'s connected parts; returns each pixel's part (-1: none) and the parts.
    static func label(_ mask: [Bool], width w: Int, height h: Int) -> (labels: [Int32], parts: [Part]) {
        var labels = [Int32](repeating: -1, count: w * h)
        var parent = [Int32]()
        func find(_ a: Int32) -> Int32 {
            var a = a
            while parent[Int(a)] != a {
                parent[Int(a)] = parent[Int(parent[Int(a)])]
                a = parent[Int(a)]
            }
            return a
        }
        func union(_ a: Int32, _ b: Int32) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
        }
        for y in 0..<h {
            for x in 0..<w where mask[y * w + x] {
                var mine: Int32 = -1
                // The neighbours already visited: left, and the three above.
                for (dx, dy) in [(-1, 0), (-1, -1), (0, -1), (1, -1)] {
                    let nx = x + dx, ny = y + dy
                    guard nx >= 0, nx < w, ny >= 0 else { continue }
                    let l = labels[ny * w + nx]
                    guard l >= 0 else { continue }
                    if mine < 0 { mine = l } else { union(mine, l) }
                }
                if mine < 0 {
                    mine = Int32(parent.count)
                    parent.append(mine)
                }
                labels[y * w + x] = mine
            }
        }
        var index = [Int32](repeating: -1, count: parent.count)
        var parts = [Part]()
        for y in 0..<h {
            for x in 0..<w where labels[y * w + x] >= 0 {
                let root = Int(find(labels[y * w + x]))
                if index[root] < 0 {
                    index[root] = Int32(parts.count)
                    parts.append(Part())
                }
                let p = Int(index[root])
                labels[y * w + x] = Int32(p)
                parts[p].area += 1
                parts[p].x0 = min(parts[p].x0, x); parts[p].x1 = max(parts[p].x1, x)
                parts[p].y0 = min(parts[p].y0, y); parts[p].y1 = max(parts[p].y1, y)
            }
        }
        return (labels, parts)
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
