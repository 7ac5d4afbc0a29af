/// How strongly each pixel of a picture is ink, judged against the paper around it, and
/// the cleaned ink the digit preprocessing crops and scales.
///
/// Every decision comes from the whole image (histograms, Otsu's threshold, the image's
/// structure), never from its border alone, because a tightly cropped digit touches the
/// border: a border of ink once passed for paper texture and erased the faint strokes.
/// - Which side is paper: the larger of the two classes Otsu's threshold makes (light
///   paper with dark ink, or MNIST's dark background with light ink), on the image
///   relative to its surroundings so that a shadow does not count as a class; but thick
///   ink on a tight crop, larger than its paper, is known by its shape (PaperSide).
/// - How light the paper is where: the darkness opened by reconstruction (strokes, thinner
///   than three times their measured width, removed; a gradient or a shadow kept with its exact
///   edges); the light is divided out, as it multiplies the paper's reflectance.
/// - What is ink: Otsu's threshold on the strength separates strokes from paper; the noise
///   floor is the strength that the paper around the digit reaches (grain, ruled lines);
///   the contrast is stretched between that floor and the strokes' strength.
/// - Where the digit is: the connected strokes, without specks far smaller than the largest.
package struct InkMap {
    let width: Int
    let height: Int
    /// 0...255: how much darker than its paper each pixel is, relative to the paper's lightness.
    var strength: [UInt8]
    /// How many grey levels the strongest ink stands out from its paper (robust to a few pixels).
    let contrast: Int
    /// The strokes' width in pixels, as measured on the image's ink/paper split.
    let strokeWidth: Double

    /// Ink fainter than this (of 255) does not widen the digit's box: MNIST's boxes were
    /// taken around the strokes before their edges were anti-aliased, and a scan's faint
    /// fringe would shrink the digit in its 20x20.
    static let boxLevel: UInt8 = 64

    /// The share of pixels whose strength no mark needs to exceed: a stroke covers more.
    static let robustShare = 10_000

    init(_ image: GrayImage) {
        width = image.width
        height = image.height
        let n = width * height
        let g = image.pixels
        let (lightPaper, strokeWidth) = Self.sides(image)
        self.strokeWidth = strokeWidth

        // Darkness: ink is high, paper low, whichever way the picture was drawn.
        let dark = lightPaper ? g.pixelMap { ~$0 } : g
        // The window must be wider than every stroke, junctions included.
        let radius = max(2, Int((strokeWidth * 2).rounded(.up)))
        let paper = Self.paperLevel(dark, width: width, height: height, radius: radius)
        var strength = [UInt8](repeating: 0, count: n)
        var rawHist = [Int](repeating: 0, count: 256)
        strength.withUnsafeMutableBufferPointer { out in
            paper.withUnsafeBufferPointer { paperLevels in
                dark.withUnsafeBufferPointer { darkness in
                    Self.strengthTable.withUnsafeBufferPointer { table in
                        for i in 0..<n {
                            let b = Int(paperLevels[i]), stands = max(0, Int(darkness[i]) - b)
                            rawHist[stands] &+= 1
                            out[i] = table[b << 8 | stands]
                        }
                    }
                }
            }
        }
        self.strength = strength
        contrast = Self.robustMax(rawHist, count: n)
    }

    /// How far ink stands out of its paper, relative to the paper's lightness: entry
    /// paper << 8 | stands is min(255, stands * 255 / (255 - paper)), a division a pixel
    /// looked up instead of computed.
    static let strengthTable: [UInt8] = (0..<(256 * 256)).map { i in
        let b = i >> 8, stands = i & 255
        return UInt8(min(255, stands * 255 / max(1, 255 - b)))
    }

    /// Which side is paper, and how wide the strokes are. Paper is decided on Otsu's split
    /// of the image relative to its surroundings (each pixel over the mean of a window a
    /// third of the image wide), so a shadow over most of the page is not taken for the
    /// ink: PaperSide says which class it is. The strokes'
    /// width is the ink class's area over half its boundary (a ribbon's width).
    package static func sides(_ image: GrayImage) -> (lightPaper: Bool, strokeWidth: Double) {
        let w = image.width, h = image.height, n = w * h
        let mean = SlidingWindow.boxMean(image.pixels, width: w, height: h, radius: max(1, min(w, h) / 6))
        var relative = [UInt8](repeating: 0, count: n)
        relative.withUnsafeMutableBufferPointer { out in
            image.pixels.withUnsafeBufferPointer { pixels in
                mean.withUnsafeBufferPointer { means in
                    Self.relativeTable.withUnsafeBufferPointer { table in
                        for i in 0..<n { out[i] = table[Int(means[i]) << 8 | Int(pixels[i])] }
                    }
                }
            }
        }
        let counts = histogram(relative), t = otsu(counts)
        let lightPaper = PaperSide.isLight(counts: counts, threshold: t, image: image)
        let (area, boundary) = Self.inkArea(relative.pixelMap { (Int($0) >= t) != lightPaper ? 1 : 0 }, w, h)
        return (lightPaper, boundary == 0 ? 1 : Double(area) * 2 / Double(boundary))
    }

    /// The ink's area and boundary (ink pixels on the image's edge or beside paper, 4-connected)
    /// in a mask of 0 and 1: the edge rows and columns one by one, the inner rows in a
    /// loop of ands and sums that vectorises.
    static func inkArea(_ ink: [UInt8], _ w: Int, _ h: Int) -> (area: Int, boundary: Int) {
        var area = 0, boundary = 0
        ink.withUnsafeBufferPointer { buffer in
            let mask = buffer.baseAddress!
            for y in 0..<h {
                let row = mask + y * w
                guard y > 0, y < h - 1, w > 2 else {
                    for x in 0..<w where row[x] != 0 { area += 1; boundary += 1 }
                    continue
                }
                let up = row - w, down = row + w
                var inner = 0, edge = 0
                for x in 1..<(w - 1) {
                    let v = row[x]
                    inner &+= Int(v)
                    edge &+= Int(v & ~(row[x - 1] & row[x + 1] & up[x] & down[x]) & 1)
                }
                let ends = Int(row[0]) + Int(row[w - 1])
                area += inner + ends
                boundary += edge + ends
            }
        }
        return (area, boundary)
    }

    /// A pixel over the mean around it, in 128ths: entry mean << 8 | pixel is
    /// min(255, pixel * 128 / max(1, mean)), looked up instead of divided.
    static let relativeTable: [UInt8] = (0..<(256 * 256)).map { (i: Int) -> UInt8 in
        let pixel = i & 255, mean = max(1, i >> 8)
        return UInt8(min(255, pixel * 128 / mean))
    }

    static func histogram(_ values: [UInt8]) -> [Int] {
        var h = [Int](repeating: 0, count: 256)
        h.withUnsafeMutableBufferPointer { counts in
            for v in values { counts[Int(v)] &+= 1 }
        }
        return h
    }

    /// Otsu's threshold: the level t that best splits the histogram into < t and >= t.
    static func otsu(_ hist: [Int]) -> Int {
        let total = hist.reduce(0, +)
        guard total > 0 else { return 128 }
        var sumAll = 0.0
        for (v, c) in hist.enumerated() { sumAll += Double(v * c) }
        var below = 0, sumBelow = 0.0, best = -1.0, threshold = 128
        for t in 1..<256 {
            below += hist[t - 1]
            sumBelow += Double((t - 1) * hist[t - 1])
            let above = total - below
            guard below > 0, above > 0 else { continue }
            let m0 = sumBelow / Double(below), m1 = (sumAll - sumBelow) / Double(above)
            let between = Double(below) * Double(above) * (m0 - m1) * (m0 - m1)
            if between > best { best = between; threshold = t }
        }
        return threshold
    }

    /// The largest value reached by at least 1 pixel in `robustShare` (at least one pixel).
    static func robustMax(_ hist: [Int], count: Int) -> Int {
        let need = max(1, count / robustShare)
        var seen = 0
        for v in stride(from: 255, through: 0, by: -1) {
            seen += hist[v]
            if seen >= need { return v }
        }
        return 0
    }

    static func borderMedian(_ image: GrayImage) -> Int {
        var hist = [Int](repeating: 0, count: 256), n = 0
        for x in 0..<image.width { hist[Int(image[x, 0])] += 1; hist[Int(image[x, image.height - 1])] += 1; n += 2 }
        for y in 0..<image.height { hist[Int(image[0, y])] += 1; hist[Int(image[image.width - 1, y])] += 1; n += 2 }
        var seen = 0
        for (v, c) in hist.enumerated() {
            seen += c
            if seen * 2 >= n { return v }
        }
        return 255
    }

    /// The paper's darkness under every pixel: the darkness opened by reconstruction. The
    /// lightest value in a window of `radius` (wider than any stroke) marks the paper; flooding from those marks under the image restores every
    /// region of paper that holds such a window to its exact shape (a shadow's edge and its
    /// sharp corners, a gradient), while strokes, too thin to hold one, stay out.
    static func paperLevel(_ dark: [UInt8], width w: Int, height h: Int, radius: Int) -> [UInt8] {
        var level = dark
        SlidingWindow.minimum(&level, width: w, height: h, radius: radius)
        Reconstruction.byDilation(&level, under: dark, width: w, height: h)
        return level
    }

    /// The ink to crop: strength stretched between the paper's noise floor and the strokes'
    /// full strength, and the box around the strokes that belong to the digit.
    func cleaned() -> CleanInk {
        let ink = ink()
        let values = ink.values
        guard let strokes = ink.strokes else { return CleanInk(values: values, box: nil) }
        // The strokes' soft edges reach a little past the strong pixels: take the ink of
        // at least boxLevel within a margin of the strokes' box.
        let margin = max(1, max(strokes.x1 - strokes.x0, strokes.y1 - strokes.y0) / 10)
        var box = (x0: width, y0: height, x1: -1, y1: -1)
        for y in max(0, strokes.y0 - margin)...min(height - 1, strokes.y1 + margin) {
            for x in max(0, strokes.x0 - margin)...min(width - 1, strokes.x1 + margin) where values[y * width + x] >= Self.boxLevel {
                box = (min(box.x0, x), min(box.y0, y), max(box.x1, x), max(box.y1, y))
            }
        }
        return CleanInk(values: values, box: box.x1 >= 0 ? box : nil)
    }

    /// The stretched ink (0 = paper), the parts of the strokes' mask (Otsu's threshold on
    /// the strength) labelled, and the box of the strokes that are not specks. The noise
    /// floor is measured around that box.
    package struct Ink {
        package var values: [UInt8]
        package var labels: [Int32]
        package var parts: [Components.Part]
        package var strokes: (x0: Int, y0: Int, x1: Int, y1: Int)?
    }

    package func ink() -> Ink {
        let n = width * height
        let hist = Self.histogram(strength)
        let t = max(1, Self.otsu(hist))
        let strong = strength.pixelMap { Int($0) >= t }
        let (labels, parts) = Components.label(strong, width: width, height: height)
        guard let strokes = Components.digitBox(parts, width: width, height: height) else {
            return Ink(values: [UInt8](repeating: 0, count: n), labels: labels, parts: parts, strokes: nil)
        }
        let floor = noiseFloor(outside: strokes, threshold: t)
        let full = max(Self.robustMax(hist, count: n), floor + 1)
        // The stretch of each of the 256 strengths, then one lookup a pixel.
        let stretched = (0..<256).map { (s: Int) -> UInt8 in s <= floor ? 0 : UInt8(min(255, (s - floor) * 255 / (full - floor))) }
        return Ink(values: stretched.withUnsafeBufferPointer { table in strength.pixelMap { table[Int($0)] } }, labels: labels, parts: parts, strokes: strokes)
    }

    /// The strength the paper itself reaches (grain, ruled lines, smudges): the 99th
    /// percentile of the paper around the digit, beyond a stroke's width of its box, plus a
    /// margin; never above 3/4 of the strokes' threshold. A tight crop has no paper around
    /// its digit (all of it is the digit's own fringe): its floor is 0.
    func noiseFloor(outside box: (x0: Int, y0: Int, x1: Int, y1: Int), threshold t: Int) -> Int {
        let m = max(2, Int(strokeWidth.rounded(.up)))
        let x0 = box.x0 - m, x1 = box.x1 + m, y0 = box.y0 - m, y1 = box.y1 + m
        var hist = [Int](repeating: 0, count: 256), far = 0
        // Whole rows above and below the box's margin, and each row's two sides beside it.
        strength.withUnsafeBufferPointer { values in
            for y in 0..<height {
                let row = values.baseAddress! + y * width, beside = y >= y0 && y <= y1
                // Outside the margin's rows both spans are the row (left: all of it, right: none).
                let left = beside ? min(width, max(0, x0)) : width, right = beside ? min(width, max(0, x1 + 1)) : width
                for x in 0..<left { hist[Int(row[x])] += 1 }
                for x in right..<width { hist[Int(row[x])] += 1 }
                far += left + width - right
            }
        }
        guard far >= max(64, width * height / 20) else { return 0 }
        var noise = 0, seen = 0
        while noise < 255 && (seen + hist[noise]) * 100 < far * 99 { seen += hist[noise]; noise += 1 }
        return min(noise == 0 ? 0 : noise + 8, t * 3 / 4)
    }
}

/// Stretched ink (0 = paper) and the digit's bounding box in it (nil: no ink).
struct CleanInk {
    var values: [UInt8]
    var box: (x0: Int, y0: Int, x1: Int, y1: Int)?
}
