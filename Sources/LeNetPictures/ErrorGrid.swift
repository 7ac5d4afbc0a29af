import LeNetCore

/// A picture of misread digits. Each cell shows what the model saw (the 28x28 after
/// preprocessing, white on black, at twice its size), the picture it came from when there
/// is one, and "true > guess" with the probability the model gave its guess.
public struct ErrorGrid: Sendable {
    public struct Entry: Sendable {
        public var seen: [UInt8]
        public var truth: Int, predicted: Int
        public var probability: Double
        /// The original picture, 56x56 grey (see `thumbnail`), for PNG sets.
        public var original: [UInt8]?

        public init(seen: [UInt8], truth: Int, predicted: Int, probability: Double, original: [UInt8]? = nil) {
            self.seen = seen
            self.truth = truth
            self.predicted = predicted
            self.probability = probability
            self.original = original
        }
    }

    public static let side = 56, labelHeight = 14, gap = 8
    public let canvas: Canvas
    public let columns: Int

    public init(_ entries: [Entry]) {
        let withOriginals = entries.contains { $0.original != nil }
        let cellWidth = (withOriginals ? 2 * Self.side + 4 : Self.side) + Self.gap, cellHeight = Self.side + Self.labelHeight + Self.gap
        columns = withOriginals ? 8 : 16
        let rows = max(1, (entries.count + columns - 1) / columns)
        var c = Canvas(width: columns * cellWidth + Self.gap, height: rows * cellHeight + Self.gap)
        if entries.isEmpty { c.text("no errors", x: Self.gap, y: Self.gap, .ink) }
        for (k, e) in entries.enumerated() {
            var x = Self.gap + (k % columns) * cellWidth
            let y = Self.gap + (k / columns) * cellHeight
            if let original = e.original {
                c.gray(original, width: Self.side, height: Self.side, x: x, y: y)
                x += Self.side + 4
            }
            c.gray(e.seen, width: 28, height: 28, x: x, y: y, scale: 2)
            let x0 = Self.gap + (k % columns) * cellWidth
            c.text("\(e.truth)>", x: x0, y: y + Self.side + 3, .ink)
            c.text("\(e.predicted)", x: x0 + Canvas.textWidth("\(e.truth)> "), y: y + Self.side + 3, Color(200, 30, 30))
            let share = TrainingHistory.decimal(e.probability * 100, 0) + "%"
            c.text(share, x: x0 + (withOriginals ? 2 * Self.side + 4 : Self.side) - Canvas.textWidth(share), y: y + Self.side + 3, .muted)
        }
        canvas = c
    }

    /// `image` (grey, one byte a pixel) scaled to fit `side` x `side` by area averaging,
    /// centred on white: a picture of any size as a cell's thumbnail.
    public static func thumbnail(_ image: GrayImage, side: Int = side) -> [UInt8] {
        let scale = Double(max(image.width, image.height)) / Double(side)
        let w = max(1, min(side, Int((Double(image.width) / scale).rounded()))), h = max(1, min(side, Int((Double(image.height) / scale).rounded())))
        var out = [UInt8](repeating: 255, count: side * side)
        let ox = (side - w) / 2, oy = (side - h) / 2
        for ty in 0..<h {
            let sy0 = ty * image.height / h, sy1 = max(sy0 + 1, (ty + 1) * image.height / h)
            for tx in 0..<w {
                let sx0 = tx * image.width / w, sx1 = max(sx0 + 1, (tx + 1) * image.width / w)
                var sum = 0
                for sy in sy0..<sy1 { for sx in sx0..<sx1 { sum += Int(image.pixels[sy * image.width + sx]) } }
                out[(oy + ty) * side + ox + tx] = UInt8(sum / ((sy1 - sy0) * (sx1 - sx0)))
            }
        }
        return out
    }
}
