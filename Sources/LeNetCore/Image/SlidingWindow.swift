/// The preprocessing's window stages, built like the kernels: sizes checked once at entry,
/// then loops over unsafe pointers; the column passes done a row at a time over strips of
/// columns, so every loop runs along memory and vectorises; min and max specialised
/// instead of called through a closure per element. StageReference keeps the definitions,
/// and StageTwinTests holds these to them byte for byte.
package enum SlidingWindow {
    /// Every value replaced by the minimum over the square window of `radius` around it
    /// (van Herk / Gil-Werman, O(1) a pixel; near an edge the window moves inward).
    package static func minimum(_ a: inout [UInt8], width w: Int, height h: Int, radius r: Int) {
        slide(&a, w, h, r, Minimum.self)
    }

    /// The same with the maximum.
    package static func maximum(_ a: inout [UInt8], width w: Int, height h: Int, radius r: Int) {
        slide(&a, w, h, r, Maximum.self)
    }

    /// Columns handled together in a column pass: wide enough for whole vectors, small
    /// enough that the strip's running arrays stay in cache on a page.
    static let strip = 512

    @inline(__always)
    private static func slide<K: Extremum>(_ a: inout [UInt8], _ w: Int, _ h: Int, _ r: Int, _: K.Type) {
        precondition(w >= 1 && h >= 1 && r >= 0 && a.count == w * h, "a window stage needs a whole image")
        let k = 2 * r + 1
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * w)
        let columns = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * min(w, strip) * h)
        defer {
            scratch.deallocate()
            columns.deallocate()
        }
        a.withUnsafeMutableBufferPointer { buffer in
            let image = buffer.baseAddress!
            for y in 0..<h { rowPass(image + y * w, w, k, r, scratch, K.self) }
            var x0 = 0
            while x0 < w {
                columnPass(image + x0, stride: w, columns: min(strip, w - x0), h, k, r, columns, K.self)
                x0 += strip
            }
        }
    }

    /// One line in place. The extremum of every run of k values (`starts` of them) by
    /// doubling: runs of 1, 2, 4, ... p <= k, each level one vectorised pass over the line
    /// between two buffers, then two runs of p overlapping to cover k. Along a row the
    /// prefix and suffix runs of StageReference.slide are a chain a byte long each step;
    /// these passes run a vector at a time. Each window is then the run at its start,
    /// moved inward at the ends.
    @inline(__always)
    private static func rowPass<K: Extremum>(
        _ line: UnsafeMutablePointer<UInt8>, _ n: Int, _ k: Int, _ r: Int, _ scratch: UnsafeMutablePointer<UInt8>, _: K.Type
    ) {
        if n <= k {
            var all = line[0]
            for i in 1..<max(1, n) { all = K.keep(all, line[i]) }
            line.update(repeating: all, count: n)
            return
        }
        var src = line, dst = scratch
        var p = 1
        while 2 * p <= k {
            // Runs of 2p start wherever one fits: n - 2p + 1 of them.
            let runs = n - 2 * p + 1, next = src + p
            for s in 0..<runs { dst[s] = K.keep(src[s], next[s]) }
            if src == line { src = scratch; dst = scratch + n } else { swap(&src, &dst) }
            p *= 2
        }
        // src holds the runs of p (n - p + 1 of them); the windows of k: n - k + 1.
        let starts = n - k + 1, window = dst
        let back = src + (k - p)
        for s in 0..<starts { window[s] = K.keep(src[s], back[s]) }
        line.update(repeating: window[0], count: r)
        (line + r).update(from: window, count: starts)
        (line + r + starts).update(repeating: window[starts - 1], count: n - r - starts)
    }

    /// The same along y for `count` columns at `base` (rows `stride` apart), a row of the
    /// strip at a time: prefix and suffix runs are rows of `runs` (count x h each).
    @inline(__always)
    private static func columnPass<K: Extremum>(
        _ base: UnsafeMutablePointer<UInt8>, stride: Int, columns count: Int, _ h: Int, _ k: Int, _ r: Int,
        _ runs: UnsafeMutablePointer<UInt8>, _: K.Type
    ) {
        func row(_ y: Int) -> UnsafeMutablePointer<UInt8> { base + y * stride }
        if h <= k {
            let all = runs
            all.update(from: row(0), count: count)
            for y in 1..<max(1, h) {
                let src = row(y)
                for x in 0..<count { all[x] = K.keep(all[x], src[x]) }
            }
            for y in 0..<h { row(y).update(from: all, count: count) }
            return
        }
        let prefix = runs, suffix = runs + count * h
        var b = 0
        while b < h {
            let e = min(b + k, h)
            (prefix + b * count).update(from: row(b), count: count)
            for y in (b + 1)..<max(b + 1, e) {
                let p = prefix + y * count, above = p - count, src = row(y)
                for x in 0..<count { p[x] = K.keep(above[x], src[x]) }
            }
            (suffix + (e - 1) * count).update(from: row(e - 1), count: count)
            var y = e - 2
            while y >= b {
                let s = suffix + y * count, below = s + count, src = row(y)
                for x in 0..<count { s[x] = K.keep(below[x], src[x]) }
                y -= 1
            }
            b = e
        }
        for y in 0..<h {
            let lo = min(max(0, y - r), h - k)
            let s = suffix + lo * count, p = prefix + (lo + k - 1) * count, out = row(y)
            for x in 0..<count { out[x] = K.keep(s[x], p[x]) }
        }
    }

    /// The mean over the square window of `radius` around each pixel, clipped at the edges
    /// (StageReference.boxMean): running sums along each row, then running sums of whole
    /// rows down the image, each mean the exact integer quotient (`quotient`).
    package static func boxMean(_ a: [UInt8], width w: Int, height h: Int, radius r: Int) -> [UInt8] {
        precondition(w >= 1 && h >= 1 && r >= 0 && a.count == w * h, "a window stage needs a whole image")
        // Sums of a row or a column of bytes in 32 bits, which convert to double a vector at
        // a time; a line longer than that allows (raised ImageLimits) takes the definition.
        guard w < 1 << 23 && h < 1 << 23 else { return StageReference.boxMean(a, width: w, height: h, radius: r) }
        var out = [UInt8](repeating: 0, count: w * h)
        let rows = UnsafeMutablePointer<UInt8>.allocate(capacity: w * h)
        let prefix = UnsafeMutablePointer<Int32>.allocate(capacity: w + 1)
        let sums = UnsafeMutablePointer<Int32>.allocate(capacity: w)
        defer {
            rows.deallocate()
            prefix.deallocate()
            sums.deallocate()
        }
        a.withUnsafeBufferPointer { input in
            let src = input.baseAddress!
            for y in 0..<h {
                let line = src + y * w, dst = rows + y * w
                prefix[0] = 0
                for x in 0..<w { prefix[x + 1] = prefix[x] &+ Int32(line[x]) }
                // The window's count is 2r + 1 but near the ends: the ends clipped, one
                // reciprocal for the middle, whose loop reads two runs of the prefix and
                // vectorises.
                let left = min(r, w), right = max(left, w - r), middle = left..<right
                func clipped(_ x: Int) {
                    let lo = max(0, x - r), hi = min(w, x + r + 1)
                    dst[x] = quotient(prefix[hi] &- prefix[lo], 1 / Double(hi - lo))
                }
                for x in 0..<left { clipped(x) }
                for x in right..<w { clipped(x) }
                let inner = 1 / Double(2 * r + 1), ahead = prefix + r + 1, behind = prefix - r
                for x in middle { dst[x] = quotient(ahead[x] &- behind[x], inner) }
            }
        }
        out.withUnsafeMutableBufferPointer { output in
            let dst = output.baseAddress!
            // sums[x]: the column's values over the rows of the current window.
            sums.update(repeating: 0, count: w)
            var lo = 0, hi = 0
            for y in 0..<h {
                let newLo = max(0, y - r), newHi = min(h, y + r + 1)
                while hi < newHi {
                    let add = rows + hi * w
                    for x in 0..<w { sums[x] &+= Int32(add[x]) }
                    hi += 1
                }
                while lo < newLo {
                    let drop = rows + lo * w
                    for x in 0..<w { sums[x] &-= Int32(drop[x]) }
                    lo += 1
                }
                let inv = 1 / Double(hi - lo), line = dst + y * w
                for x in 0..<w { line[x] = quotient(sums[x], inv) }
            }
        }
        return out
    }

    /// sum / count rounded down, for a mean of bytes (sum / count <= 255), from 1 / count:
    /// (sum + 1/2) / count - 1/2 lies within 1/2 - 1/(2 count) of the integer quotient, a
    /// margin far wider than the double's rounding, so rounding it to the nearest integer
    /// gives the quotient; adding 1.5 * 2^52 (where doubles are the integers) does that
    /// rounding and leaves the integer in the low bits (a conversion with no range check
    /// and no call to floor).
    @inline(__always)
    private static func quotient(_ sum: Int32, _ inverseCount: Double) -> UInt8 {
        let q = (Double(sum) + 0.5) * inverseCount - 0.5 + 0x1.8p52
        return UInt8(truncatingIfNeeded: q.bitPattern)
    }
}

/// min or max, chosen at compile time (the window stages and the reconstruction).
protocol Extremum { static func keep(_ a: UInt8, _ b: UInt8) -> UInt8 }

enum Minimum: Extremum {
    @inline(__always) static func keep(_ a: UInt8, _ b: UInt8) -> UInt8 { Swift.min(a, b) }
}

enum Maximum: Extremum {
    @inline(__always) static func keep(_ a: UInt8, _ b: UInt8) -> UInt8 { Swift.max(a, b) }
}
