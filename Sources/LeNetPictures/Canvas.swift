import LeNetCore

/// An sRGB colour.
public struct Color: Equatable, Sendable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    public static let white = Color(255, 255, 255), black = Color(0, 0, 0)
    public static let ink = Color(40, 40, 40), grid = Color(225, 225, 225), muted = Color(110, 110, 110)
    // Blue and orange stay apart for the colour-blind, as in most plotting defaults.
    public static let blue = Color(31, 119, 180), orange = Color(230, 120, 20), green = Color(44, 150, 44)

    /// The colour `t` of the way from `self` to `other`.
    public func mixed(with other: Color, _ t: Double) -> Color {
        let t = min(1, max(0, t))
        func m(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return Color(m(r, other.r), m(g, other.g), m(b, other.b))
    }

    /// Perceived lightness (BT.601 luma) in 0...255, to pick legible text over a fill.
    public var luma: Double { 0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b) }
}

/// An RGB picture drawn in memory and written as PNG: rectangles, anti-aliased lines, the
/// project's pixel font, and greyscale digits. Everything is clipped to the picture.
public struct Canvas: Sendable {
    public let width: Int, height: Int
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "a canvas needs a positive size")
        self.width = width
        self.height = height
        // A grey background (white, black) is one byte repeated: a memset, not a blend a pixel.
        let grey = background.r == background.g && background.g == background.b
        pixels = [UInt8](repeating: background.r, count: width * height * 3)
        if !grey { fill(x: 0, y: 0, width: width, height: height, background) }
    }

    public func pixel(_ x: Int, _ y: Int) -> Color {
        let i = (y * width + x) * 3
        return Color(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Covers the pixel with `color` at opacity `alpha` (0...1).
    public mutating func blend(_ x: Int, _ y: Int, _ color: Color, alpha: Double = 1) {
        guard x >= 0, y >= 0, x < width, y < height, alpha > 0 else { return }
        let i = (y * width + x) * 3
        // Opaque: the colour itself (what mixing at 1 gives), without three roundings a pixel.
        if alpha >= 1 {
            pixels[i] = color.r; pixels[i + 1] = color.g; pixels[i + 2] = color.b
            return
        }
        let old = Color(pixels[i], pixels[i + 1], pixels[i + 2]), new = old.mixed(with: color, alpha)
        pixels[i] = new.r; pixels[i + 1] = new.g; pixels[i + 2] = new.b
    }

    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: Color) {
        let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { blend(xx, yy, color) } }
    }

    /// A line `thickness` pixels wide between two points in pixel coordinates (pixel
    /// centres at +0.5), its edges anti-aliased by the distance to the segment.
    public mutating func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ color: Color, thickness: Double = 1) {
        guard [x0, y0, x1, y1, thickness].allSatisfy({ $0.isFinite && abs($0) < 1e6 }) else { return }
        let r = thickness / 2
        let left = Int((min(x0, x1) - r - 1).rounded(.down)), right = Int((max(x0, x1) + r + 1).rounded(.up))
        let top = Int((min(y0, y1) - r - 1).rounded(.down)), bottom = Int((max(y0, y1) + r + 1).rounded(.up))
        let dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy
        let yLo = max(0, top), yHi = min(height, bottom + 1), xLo = max(0, left), xHi = min(width, right + 1)
        guard yLo < yHi, xLo < xHi else { return }
        for y in yLo..<yHi {
            for x in xLo..<xHi {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                let t = length2 == 0 ? 0 : min(1, max(0, ((px - x0) * dx + (py - y0) * dy) / length2))
                let ex = px - (x0 + t * dx), ey = py - (y0 + t * dy)
                let distance = (ex * ex + ey * ey).squareRoot()
                blend(x, y, color, alpha: min(1, r + 0.5 - distance))
            }
        }
    }

    /// A polyline through `points`.
    public mutating func polyline(_ points: [(Double, Double)], _ color: Color, thickness: Double = 2) {
        if points.count == 1 { line(points[0].0, points[0].1, points[0].0, points[0].1, color, thickness: thickness + 1) }
        for (a, b) in zip(points, points.dropFirst()) { line(a.0, a.1, b.0, b.1, color, thickness: thickness) }
    }

    public static func textWidth(_ text: String, scale: Int = 1) -> Int { PixelFont.width(of: text) * scale }
    public static func textHeight(scale: Int = 1) -> Int { PixelFont.ascent * scale }

    /// `text` with its top-left corner at (x, y), each font pixel `scale` pixels square;
    /// `vertical` turns it a quarter to the left (reading upwards), (x, y) then its
    /// bottom-left corner.
    public mutating func text(_ text: String, x: Int, y: Int, _ color: Color, scale: Int = 1, vertical: Bool = false) {
        for (k, c) in text.enumerated() {
            for (row, bits) in PixelFont.rows(c).enumerated() {
                for col in 0..<PixelFont.width where bits & (16 >> col) != 0 {
                    let u = k * PixelFont.advance + col
                    let (px, py) = vertical ? (x + row * scale, y - (u + 1) * scale) : (x + u * scale, y + row * scale)
                    fill(x: px, y: py, width: scale, height: scale, color)
                }
            }
        }
    }

    /// A greyscale picture (one byte a pixel, 255 white ink on 0 black, as MNIST), each
    /// pixel `scale` pixels square.
    public mutating func gray(_ values: [UInt8], width w: Int, height h: Int, x: Int, y: Int, scale: Int = 1) {
        for yy in 0..<h {
            for xx in 0..<w {
                let v = values[yy * w + xx]
                fill(x: x + xx * scale, y: y + yy * scale, width: scale, height: scale, Color(v, v, v))
            }
        }
    }

    /// The picture as a PNG file (libpng, 8-bit RGB).
    public func png() throws -> [UInt8] { try PNGCodec.encodeRGB(width: width, height: height, pixels: pixels) }
}
