/// Turns a picture of one handwritten digit into what MNIST's digits look like: white ink
/// on black, the ink scaled to fit a 20x20 box (aspect kept, area-averaged), placed in
/// 28x28 with its centre of mass at the centre (MNIST's digits average (14.0, 14.0) in
/// pixel-index coordinates).
public enum DigitPreprocessing {
    /// Ink weaker than the paper's own texture plus this margin (after the stretch to
    /// 0...255) is noise. Clean paper (a flat border, as MNIST's) keeps every nonzero pixel.
    static let noiseMargin = 16
    /// The ink must stand this many grey levels out from the paper.
    static let minimumContrast = 32

    public static func mnistDigit(from image: GrayImage) throws -> [UInt8] {
        let w = image.width, h = image.height
        guard w > 0, h > 0 else { throw LeNetError.image(.noInk, "the image is empty") }

        // Paper level: the median of the border. Light paper means dark ink: invert.
        var border = [UInt8]()
        for x in 0..<w { border.append(image[x, 0]); border.append(image[x, h - 1]) }
        for y in 0..<h { border.append(image[0, y]); border.append(image[w - 1, y]) }
        border.sort()
        let paper = Int(border[border.count / 2])
        let invert = paper > 127
        let background = invert ? 255 - paper : paper

        // Ink strength: how far each pixel stands out from the paper, stretched to 0...255.
        // One byte a pixel (every value lies in 0...255): a 32-megapixel page costs 32 MB here.
        var ink = [UInt8](repeating: 0, count: w * h)
        var strongest = 0
        for i in 0..<(w * h) {
            let v = invert ? 255 - Int(image.pixels[i]) : Int(image.pixels[i])
            let stands = max(0, v - background)
            ink[i] = UInt8(stands)
            strongest = max(strongest, stands)
        }
        guard strongest >= minimumContrast else {
            throw LeNetError.image(.noInk, "no ink found: nothing stands out from the background by \(minimumContrast) grey levels (the strongest by \(strongest))")
        }
        // The paper's texture: how far the 90th-percentile border pixel stands out.
        var borderInk = border.map { max(0, (invert ? 255 - Int($0) : Int($0)) - background) }
        borderInk.sort()
        let texture = borderInk[borderInk.count * 9 / 10] * 255 / strongest
        let noiseFloor = texture == 0 ? 1 : texture + noiseMargin
        var x0 = w, x1 = -1, y0 = h, y1 = -1
        for y in 0..<h {
            for x in 0..<w {
                var v = Int(ink[y * w + x]) * 255 / strongest
                if v < noiseFloor { v = 0 }
                ink[y * w + x] = UInt8(v)
                if v > 0 {
                    x0 = min(x0, x); x1 = max(x1, x)
                    y0 = min(y0, y); y1 = max(y1, y)
                }
            }
        }
        // The strongest pixel (255) is above the floor unless the border is as inky as the
        // digit; then there is nothing to find.
        guard x1 >= 0 else { throw LeNetError.image(.noInk, "no ink found: the strongest marks are no darker than the paper's texture") }
        let bw = x1 - x0 + 1, bh = y1 - y0 + 1
        let scale = 20 / Double(max(bw, bh))
        let ow = min(20, max(1, Int((Double(bw) * scale).rounded()))), oh = min(20, max(1, Int((Double(bh) * scale).rounded())))
        let box = resizeArea(ink, stride: w, x0: x0, y0: y0, width: bw, height: bh, toWidth: ow, toHeight: oh)

        // Centre of mass of the box, moved to (14, 14) by a whole-pixel shift.
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
