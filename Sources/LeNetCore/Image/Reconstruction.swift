/// Grayscale reconstruction by dilation of a marker under a mask, 8-connected (Vincent's
/// hybrid algorithm, 1993): a forward and a backward raster scan, then a queue for what
/// they left unfinished. Built like the window stages: sizes checked once, unsafe pointers
/// inside; each scan takes the three neighbours of the row it has finished as one
/// vectorised pass, leaving only the neighbour along the row to the sequential loop.
/// StageReference.reconstruct is its definition (StageTwinTests).
package enum Reconstruction {
    /// `marker` (<= `mask` everywhere) grown under `mask` until nothing changes.
    package static func byDilation(_ marker: inout [UInt8], under mask: [UInt8], width w: Int, height h: Int) {
        precondition(w >= 1 && h >= 1 && marker.count == w * h && mask.count == w * h, "reconstruction needs whole images")
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * w)
        defer { scratch.deallocate() }
        let near = scratch, unfilled = scratch + w, raisable = scratch + 2 * w
        var queue = [Int]()
        marker.withUnsafeMutableBufferPointer { jb in
            mask.withUnsafeBufferPointer { mb in
                let j = jb.baseAddress!, m = mb.baseAddress!
                // Forward: each pixel takes the largest of itself, its left neighbour and the
                // three above it, capped by the mask.
                for y in 0..<h {
                    let row = j + y * w, cap = m + y * w
                    if y > 0 { around(row - w, w, into: near, Maximum.self) } else { near.update(repeating: 0, count: w) }
                    // The part without a chain first, as its own vectorised pass: with
                    // a = min(max(near, row), cap) <= cap, min(max(a, left), cap) is
                    // max(a, min(left, cap)).
                    for x in 0..<w { near[x] = min(max(near[x], row[x]), cap[x]) }
                    var left: UInt8 = 0
                    for x in 0..<w {
                        let v = max(near[x], min(left, cap[x]))
                        row[x] = v
                        left = v
                    }
                }
                // Backward: the same from the right and below. A pixel that could still
                // raise a neighbour after it (to its right or below, already final) goes to
                // the queue: found by vectorised passes after the row, as the neighbours'
                // values a pixel must exceed (255 where the neighbour is at its mask).
                for y in stride(from: h - 1, through: 0, by: -1) {
                    let row = j + y * w, cap = m + y * w, hasBelow = y + 1 < h
                    if hasBelow { around(row + w, w, into: near, Maximum.self) } else { near.update(repeating: 0, count: w) }
                    for x in 0..<w { near[x] = min(max(near[x], row[x]), cap[x]) }
                    var right: UInt8 = 0
                    for x in stride(from: w - 1, through: 0, by: -1) {
                        let v = max(near[x], min(right, cap[x]))
                        row[x] = v
                        right = v
                    }
                    // raisable[x]: the lowest neighbour after x that is below its mask.
                    if hasBelow {
                        let below = row + w, belowCap = cap + w
                        for x in 0..<w { unfilled[x] = below[x] < belowCap[x] ? below[x] : 255 }
                        around(unfilled, w, into: raisable, Minimum.self)
                    } else {
                        raisable.update(repeating: 255, count: w)
                    }
                    for x in 0..<(w - 1) {
                        let next = row[x + 1] < cap[x + 1] ? row[x + 1] : 255
                        raisable[x] = min(raisable[x], next)
                    }
                    for x in 0..<w { unfilled[x] = raisable[x] < row[x] ? 1 : 0 }
                    // Right to left as the scan went, eight flags at a time where none is set.
                    var end = w
                    while end > 0 {
                        let start = max(0, end - 8)
                        if end - start < 8 || UnsafeRawPointer(unfilled + start).loadUnaligned(as: UInt64.self) != 0 {
                            for x in stride(from: end - 1, through: start, by: -1) where unfilled[x] != 0 { queue.append(y * w + x) }
                        }
                        end = start
                    }
                }
                // The queue: each pixel raises the neighbours it can, which go on in turn.
                var head = 0
                while head < queue.count {
                    let p = queue[head]
                    head += 1
                    let x = p % w, y = p / w, v = j[p]
                    for ny in max(0, y - 1)...min(h - 1, y + 1) {
                        for nx in max(0, x - 1)...min(w - 1, x + 1) where nx != x || ny != y {
                            let q = ny * w + nx
                            if j[q] < v, m[q] != j[q] {
                                j[q] = min(v, m[q])
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
        }
    }

    /// out[x] = the extremum (K) of row[x - 1], row[x], row[x + 1] that exist.
    @inline(__always)
    private static func around<K: Extremum>(_ row: UnsafeMutablePointer<UInt8>, _ w: Int, into out: UnsafeMutablePointer<UInt8>,
                                            _: K.Type) {
        guard w > 1 else {
            out[0] = row[0]
            return
        }
        out[0] = K.keep(row[0], row[1])
        for x in 1..<(w - 1) { out[x] = K.keep(row[x - 1], K.keep(row[x], row[x + 1])) }
        out[w - 1] = K.keep(row[w - 2], row[w - 1])
    }
}
