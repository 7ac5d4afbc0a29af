/// Turns a picture of one handwritten digit into what MNIST's digits look like: white ink
/// on black, the ink scaled to fit a 20x20 box (aspect kept, area-averaged), placed in
/// 28x28 with its centre of mass at the centre (MNIST's digits average (14.0, 14.0) in
/// pixel-index coordinates).
///
/// Which side is paper, how light the paper is where, and what counts as ink are decided
/// from the whole image, not from its border: a digit cropped tightly touches the border,
/// so a border made of ink must not be taken for paper or for the paper's texture.
public enum DigitPreprocessing {
    /// The ink must stand this many grey levels out from its paper: a pencil on grey paper
    /// can stand out by only 20; a blank page's unevenness, once the light is divided out,
    /// by less.
    static let minimumContrast = 16

    /// Pictures above this many pixels are first shrunk by a whole factor (area-averaged):
    /// a 20x20 digit needs far less, and the analysis then costs at most ~16 bytes a pixel
    /// of this, whatever the image limits allow.
    static let analysedPixels = 4 << 20

    public static func mnistDigit(from picture: GrayImage) throws -> [UInt8] {
        guard picture.width > 0, picture.height > 0 else { throw LeNetError.image(.noInk, "the image is empty") }
        let image = shrunk(picture)
        let w = image.width
        let ink = try inkMap(image).cleaned()
        guard let box = ink.box else { throw noStrokes }
        return digit(ink.values, stride: w, box: box)
    }

    /// The ink map of `image`; noInk when nothing stands out from the paper by
    /// `minimumContrast`.
    static func inkMap(_ image: GrayImage) throws -> InkMap {
        let map = InkMap(image)
        guard map.contrast >= minimumContrast else {
            throw LeNetError.image(.noInk, "no ink found: nothing stands out from the background by \(minimumContrast) grey levels (the strongest by \(map.contrast))")
        }
        return map
    }

    static let noStrokes = LeNetError.image(.noInk, "no ink found: the strongest marks are no darker than the paper's texture")

    /// The 28x28 digit of the ink in `box`: scaled to fit 20x20, centred by mass.
    static func digit(_ values: [UInt8], stride w: Int, box: (x0: Int, y0: Int, x1: Int, y1: Int)) -> [UInt8] {
        let bw = box.x1 - box.x0 + 1, bh = box.y1 - box.y0 + 1
        let scale = 20 / Double(max(bw, bh))
        let ow = min(20, max(1, Int((Double(bw) * scale).rounded()))), oh = min(20, max(1, Int((Double(bh) * scale).rounded())))
        let small = resizeArea(values, stride: w, x0: box.x0, y0: box.y0, width: bw, height: bh, toWidth: ow, toHeight: oh)
        return centred(small, width: ow, height: oh)
    }

    /// The digit of a region of ink (one digit of a number), its box taken around the ink
    /// of at least InkMap.boxLevel; nil when there is none.
    static func digit(fromInk values: [UInt8], width w: Int, height h: Int) -> [UInt8]? {
        var box = (x0: w, y0: h, x1: -1, y1: -1)
        for y in 0..<h {
            for x in 0..<w where values[y * w + x] >= InkMap.boxLevel {
                box = (min(box.x0, x), min(box.y0, y), max(box.x1, x), max(box.y1, y))
            }
        }
        return box.x1 >= 0 ? digit(values, stride: w, box: box) : nil
    }

    /// `mask` grown by `radius` pixels in every direction (a square window): each row ORed
    /// with itself shifted by up to `radius` columns either way, then each row with the rows
    /// up to `radius` above and below, over contiguous bytes the compiler vectorizes (the
    /// prefix sums of its twin, StageTwinTests.grown, walked the columns: a sixth of the
    /// time of reading a number). Strokes are a few pixels wide at the analysed size; each
    /// pixel of radius more costs two passes more.
    package static func grown(_ mask: [Bool], width w: Int, height h: Int, radius r: Int) -> [Bool] {
        guard w > 0, h > 0, r > 0 else { return mask }
        var rows = [Bool](repeating: false, count: w * h), out = rows
        // A Bool is a byte holding 0 or 1, and an OR of those is one of them.
        mask.withUnsafeBytes { mb in
            rows.withUnsafeMutableBytes { ob in
                let m = mb.baseAddress!.assumingMemoryBound(to: UInt8.self), o = ob.baseAddress!.assumingMemoryBound(to: UInt8.self)
                for y in 0..<h {
                    let base = y * w
                    for d in -min(r, w - 1)...min(r, w - 1) {
                        let lo = max(0, -d)
                        orBytes(o + base + lo, m + base + lo + d, min(w, w - d) - lo)
                    }
                }
            }
        }
        rows.withUnsafeBytes { mb in
            out.withUnsafeMutableBytes { ob in
                let m = mb.baseAddress!.assumingMemoryBound(to: UInt8.self), o = ob.baseAddress!.assumingMemoryBound(to: UInt8.self)
                for y in 0..<h {
                    for source in max(0, y - r)...min(h - 1, y + r) { orBytes(o + y * w, m + source * w, w) }
                }
            }
        }
        return out
    }

    /// into[0..<n] |= from[0..<n]: one vectorized loop, not inlined at grown's two passes.
    @inline(never)
    static func orBytes(_ into: UnsafeMutablePointer<UInt8>, _ from: UnsafePointer<UInt8>, _ n: Int) {
        for x in 0..<n { into[x] |= from[x] }
    }

    /// `image` shrunk by the smallest whole factor that brings it to `analysedPixels`.
    static func shrunk(_ image: GrayImage) -> GrayImage { shrunkWithFactor(image).image }

    /// shrunk, and the factor (1: unchanged) that maps its pixels back to the picture's.
    static func shrunkWithFactor(_ image: GrayImage) -> (image: GrayImage, factor: Int) {
        let n = image.width * image.height
        guard n > analysedPixels else { return (image, 1) }
        var f = 2
        while (image.width / f) * (image.height / f) > analysedPixels { f += 1 }
        let w = max(1, image.width / f), h = max(1, image.height / f)
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var s = 0
                for yy in (y * f)..<(y * f + f) { for xx in (x * f)..<(x * f + f) { s += Int(image.pixels[yy * image.width + xx]) } }
                out[y * w + x] = UInt8((s + f * f / 2) / (f * f))
            }
        }
        return (GrayImage(width: w, height: h, pixels: out), f)
    }

    /// `box` (ow x oh) in 28x28, its centre of mass moved to (14, 14) by a whole-pixel shift.
    static func centred(_ box: [Double], width ow: Int, height oh: Int) -> [UInt8] {
        var mass = 0.0, mx = 0.0, my = 0.0
        for y in 0..<oh {
            for x in 0..<ow {
                let v = box[y * ow + x]
                mass += v; mx += v * Double(x); my += v * Double(y)
            }
        }
        let dx = mass > 0 ? Int((14 - mx / mass).rounded()) : (28 - ow) / 2
        let dy = mass > 0 ? Int((14 - my / mass).rounded()) : (28 - oh) / 2
        var out = [UInt8](repeating: 0, count: 784)
        for y in 0..<oh {
            for x in 0..<ow {
                let tx = x + dx, ty = y + dy
                guard tx >= 0, tx < 28, ty >= 0, ty < 28 else { continue }
                out[ty * 28 + tx] = UInt8(min(255, max(0, box[y * ow + x].rounded())))
            }
        }
        return out
    }

    /// Area-averaging resize of the `width` x `height` region at (x0, y0) of `src`: every
    /// output pixel is the mean of the source area it covers, counting partly covered
    /// pixels by their covered fraction (anti-aliased when shrinking, smooth when growing).
    static func resizeArea(
        _ src: [UInt8], stride: Int, x0: Int, y0: Int, width: Int, height: Int, toWidth: Int, toHeight: Int
    ) -> [Double] {
        // Per output index, the source indices it overlaps and by how much.
        func coverage(_ n: Int, _ m: Int) -> [[(Int, Double)]] {
            let step = Double(n) / Double(m)
            return (0..<m).map { j in
                let a = Double(j) * step, b = Double(j + 1) * step
                var parts = [(Int, Double)]()
                var i = Int(a)
                while Double(i) < b && i < n {
                    let overlap = min(b, Double(i + 1)) - max(a, Double(i))
                    if overlap > 0 { parts.append((i, overlap / step)) }
                    i += 1
                }
                return parts
            }
        }
        let cx = coverage(width, toWidth), cy = coverage(height, toHeight)
        // Horizontal pass into height x toWidth, then vertical.
        var rows = [Double](repeating: 0, count: height * toWidth)
        for y in 0..<height {
            let base = (y0 + y) * stride + x0
            for (j, parts) in cx.enumerated() {
                var s = 0.0
                for (i, f) in parts { s += Double(src[base + i]) * f }
                rows[y * toWidth + j] = s
            }
        }
        var out = [Double](repeating: 0, count: toHeight * toWidth)
        for (j, parts) in cy.enumerated() {
            for x in 0..<toWidth {
                var s = 0.0
                for (i, f) in parts { s += rows[i * toWidth + x] * f }
                out[j * toWidth + x] = s
            }
        }
        return out
    }
}
