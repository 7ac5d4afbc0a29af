/// Which class of Otsu's split is paper: the light one (dark ink on paper) or the dark one
/// (MNIST's light ink on black). `counts` is the histogram of each pixel over the mean
/// around it (InkMap.sides), `threshold` Otsu's level on it (light: >= threshold).
///
/// Paper is the larger class, as it is on almost every picture; too close to call by
/// area, the border's median decides. One exception, checked only when the dark class is
/// the larger one: thick marker on a tight crop covers more of the picture than its paper
/// does. There the dark class is one body that cuts the light into pieces, each reaching
/// the picture's edge (the paper between the strokes and the frame), which is what ink on
/// paper looks like and what light ink on black never does: its black background is one
/// piece around the strokes, or is cut by strokes that are themselves one piece. The
/// exception only ever turns the decision towards light paper, the way photos and scans
/// come: a light digit in several pieces on black keeps the area's answer.
package enum PaperSide {
    /// Pieces smaller than this share of the picture (grain, a loop's eye too small to
    /// matter) do not count as pieces.
    static let pieceShare = 100

    /// Above this share the dark class is a background, however its pieces lie.
    static let heavyInkLimit = 0.8

    static func isLight(counts: [Int], threshold t: Int, image: GrayImage) -> Bool {
        let n = image.pixels.count, light = counts[t...].reduce(0, +)
        if abs(light * 2 - n) * 10 < n { return InkMap.borderMedian(image) >= InkMap.otsu(InkMap.histogram(image.pixels)) }
        return light * 2 > n || isHeavyInk(image)
    }

    /// On the picture's own Otsu split (the relative one cannot tell a stroke's inside
    /// from its paper: both are level with their surroundings): the dark class larger but
    /// no background, in one piece, and the light class in at least two pieces reaching
    /// the edge once a thin frame is left out (a crop leaves a rim of paper or of the
    /// strokes' soft edges along the picture's edge, which joins every piece).
    package static func isHeavyInk(_ image: GrayImage) -> Bool {
        let w = image.width, h = image.height, n = w * h
        let t = InkMap.otsu(InkMap.histogram(image.pixels))
        let darkCount = image.pixels.reduce(0) { $0 + (Int($1) < t ? 1 : 0) }
        guard darkCount * 2 > n, Double(darkCount) <= heavyInkLimit * Double(n) else { return false }
        let m = max(1, min(w, h) / frameShare), iw = w - 2 * m, ih = h - 2 * m
        guard iw >= 8, ih >= 8 else { return false }
        var inner = [Bool](repeating: false, count: iw * ih)
        for y in 0..<ih {
            for x in 0..<iw { inner[y * iw + x] = Int(image.pixels[(y + m) * w + x + m]) < t }
        }
        func significant(_ parts: [Components.Part]) -> [Components.Part] { parts.filter { $0.area * pieceShare >= n } }
        guard significant(Components.label(inner, width: iw, height: ih).parts).count == 1 else { return false }
        let light = significant(Components.label(inner.map { !$0 }, width: iw, height: ih).parts)
        return light.filter { $0.x0 == 0 || $0.y0 == 0 || $0.x1 == iw - 1 || $0.y1 == ih - 1 }.count >= 2
    }

    /// The frame left out: this fraction of the picture's smaller side (at least a pixel).
    static let frameShare = 30
}
