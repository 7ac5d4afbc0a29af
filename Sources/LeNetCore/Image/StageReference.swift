/// The window, reconstruction, labelling and paper-side stages as first written: the
/// definitions SlidingWindow, Reconstruction, Components and InkMap.sides must equal byte
/// for byte (StageTwinTests), as the kernels keep theirs. Not on the preprocessing's path.
/// (DigitPreprocessing.grown's twin lives in StageTwinTests: the library is at its size
/// budget.)
package enum StageReference {
    /// The mean over the square window of `radius` around each pixel (clipped at the edges).
    package static func boxMean(_ a: [UInt8], width w: Int, height h: Int, radius r: Int) -> [UInt8] {
        var rows = [UInt8](repeating: 0, count: w * h)
        var prefix = [Int](repeating: 0, count: max(w, h) + 1)
        for y in 0..<h {
            for x in 0..<w { prefix[x + 1] = prefix[x] + Int(a[y * w + x]) }
            for x in 0..<w {
                let lo = max(0, x - r), hi = min(w, x + r + 1)
                rows[y * w + x] = UInt8((prefix[hi] - prefix[lo]) / (hi - lo))
            }
        }
        var out = rows
        for x in 0..<w {
            for y in 0..<h { prefix[y + 1] = prefix[y] + Int(rows[y * w + x]) }
            for y in 0..<h {
                let lo = max(0, y - r), hi = min(h, y + r + 1)
                out[y * w + x] = UInt8((prefix[hi] - prefix[lo]) / (hi - lo))
            }
        }
        return out
    }

    /// Replaces every value by `keep` (min or max) over the square window of `radius`
    /// around it, in O(1) a pixel whatever the radius (van Herk / Gil-Werman, rows then
    /// columns). Near an edge the window is moved inward, not cut short: a stroke along the
    /// edge of a tight crop still has the paper beside it in its window.
    package static func slide(_ a: inout [UInt8], width w: Int, height h: Int, radius r: Int, keep: (UInt8, UInt8) -> UInt8) {
        func pass(_ line: inout [UInt8], _ out: inout [UInt8], _ n: Int) {
            let k = 2 * r + 1
            guard n > k else {
                // The window is the whole line.
                var all = line[0]
                for i in 1..<max(1, n) { all = keep(all, line[i]) }
                for i in 0..<n { out[i] = all }
                return
            }
            // Blocks of k: a window of k values spans the end of one block and the start of
            // the next (or is one block), so prefix and suffix runs answer it in two lookups.
            var prefix = [UInt8](repeating: 0, count: n), suffix = [UInt8](repeating: 0, count: n)
            for i in 0..<n { prefix[i] = i % k == 0 ? line[i] : keep(prefix[i - 1], line[i]) }
            for i in stride(from: n - 1, through: 0, by: -1) {
                suffix[i] = (i % k == k - 1 || i == n - 1) ? line[i] : keep(suffix[i + 1], line[i])
            }
            for i in 0..<n {
                let lo = min(max(0, i - r), n - k)
                out[i] = keep(suffix[lo], prefix[lo + k - 1])
            }
        }
        var line = [UInt8](repeating: 0, count: max(w, h)), out = line
        for y in 0..<h {
            for x in 0..<w { line[x] = a[y * w + x] }
            pass(&line, &out, w)
            for x in 0..<w { a[y * w + x] = out[x] }
        }
        for x in 0..<w {
            for y in 0..<h { line[y] = a[y * w + x] }
            pass(&line, &out, h)
            for y in 0..<h { a[y * w + x] = out[y] }
        }
    }

    /// Grayscale reconstruction by dilation of `marker` (<= `mask` everywhere) under `mask`,
    /// 8-connected: a forward and a backward raster scan, then a queue for what they left
    /// unfinished (Vincent, 1993).
    package static func reconstruct(_ j: inout [UInt8], under mask: [UInt8], width w: Int, height h: Int) {
        let before = [(-1, -1), (0, -1), (1, -1), (-1, 0)], after = [(1, 1), (0, 1), (-1, 1), (1, 0)]
        for y in 0..<h {
            for x in 0..<w {
                var m = j[y * w + x]
                for (dx, dy) in before {
                    let nx = x + dx, ny = y + dy
                    if nx >= 0, nx < w, ny >= 0 { m = max(m, j[ny * w + nx]) }
                }
                j[y * w + x] = min(m, mask[y * w + x])
            }
        }
        var queue = [Int]()
        for y in stride(from: h - 1, through: 0, by: -1) {
            for x in stride(from: w - 1, through: 0, by: -1) {
                var m = j[y * w + x]
                for (dx, dy) in after {
                    let nx = x + dx, ny = y + dy
                    if nx >= 0, nx < w, ny < h { m = max(m, j[ny * w + nx]) }
                }
                let v = min(m, mask[y * w + x])
                j[y * w + x] = v
                for (dx, dy) in after {
                    let nx = x + dx, ny = y + dy
                    if nx >= 0, nx < w, ny < h, j[ny * w + nx] < v, j[ny * w + nx] < mask[ny * w + nx] {
                        queue.append(y * w + x)
                        break
                    }
                }
            }
        }
        var head = 0
        while head < queue.count {
            let p = queue[head]
            head += 1
            let x = p % w, y = p / w, v = j[p]
            for dy in -1...1 {
                for dx in -1...1 where dx != 0 || dy != 0 {
                    let nx = x + dx, ny = y + dy
                    guard nx >= 0, nx < w, ny >= 0, ny < h else { continue }
                    let q = ny * w + nx
                    if j[q] < v, mask[q] != j[q] {
                        j[q] = min(v, mask[q])
                        queue.append(q)
                    }
                }
            }
            // Keep the queue's memory bounded by what is still pending.
            if head > 1 << 16, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
        }
    }

    /// Labels `mask`'s connected parts; returns each pixel's part (-1: none) and the parts.
    package static func label(_ mask: [Bool], width w: Int, height h: Int) -> (labels: [Int32], parts: [Components.Part]) {
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
        var parts = [Components.Part]()
        for y in 0..<h {
            for x in 0..<w where labels[y * w + x] >= 0 {
                let root = Int(find(labels[y * w + x]))
                if index[root] < 0 {
                    index[root] = Int32(parts.count)
                    parts.append(Components.Part())
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

    /// InkMap.sides as first written (the paper's side decided by the one PaperSide).
    package static func sides(_ image: GrayImage) -> (lightPaper: Bool, strokeWidth: Double) {
        let w = image.width, h = image.height, n = w * h
        let mean = StageReference.boxMean(image.pixels, width: w, height: h, radius: max(1, min(w, h) / 6))
        var relative = [UInt8](repeating: 0, count: n)
        for i in 0..<n { relative[i] = UInt8(min(255, Int(image.pixels[i]) * 128 / max(1, Int(mean[i])))) }
        let counts = InkMap.histogram(relative), t = InkMap.otsu(counts)
        let lightPaper = PaperSide.isLight(counts: counts, threshold: t, image: image)
        func isInk(_ x: Int, _ y: Int) -> Bool { (Int(relative[y * w + x]) >= t) != lightPaper }
        var area = 0, boundary = 0
        for y in 0..<h {
            for x in 0..<w where isInk(x, y) {
                area += 1
                if x == 0 || x == w - 1 || y == 0 || y == h - 1 || !isInk(x - 1, y) || !isInk(x + 1, y) || !isInk(x, y - 1) || !isInk(x, y + 1) {
                    boundary += 1
                }
            }
        }
        return (lightPaper, boundary == 0 ? 1 : Double(area) * 2 / Double(boundary))
    }
}
