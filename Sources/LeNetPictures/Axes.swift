import LeNetCore

/// A rectangle of a canvas that maps data coordinates to pixels, with ticks at round
/// numbers (1, 2 or 5 times a power of ten) and labelled axes. Total on every Double: ranges
/// and points are clamped to ±`limit` (NaN to 0) and a range is never narrower than its
/// magnitude can resolve, so no tick, span or pixel overflows, divides by zero or loops.
public struct Axes: Sendable {
    public let left: Int, top: Int, width: Int, height: Int
    public let xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
    public let xTicks: [Double], yTicks: [Double]

    public init(left: Int, top: Int, width: Int, height: Int, x: ClosedRange<Double>, y: ClosedRange<Double>, integerX: Bool = false) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        let x = Self.drawable(x), y = Self.drawable(y)
        let xs = Self.ticks(x, minimumStep: integerX ? 1 : 0), ys = Self.ticks(y)
        let xRange = x.lowerBound...max(x.upperBound, x.lowerBound + max(integerX ? 1 : 0, Self.minimumSpan(x)))
        self.xRange = xRange
        yRange = ys.range
        xTicks = xs.values.filter { xRange.contains($0) }
        yTicks = ys.values
    }

    /// The pixel (centre coordinates) where the data point (x, y) is drawn.
    public func point(_ x: Double, _ y: Double) -> (Double, Double) {
        let x = Self.clamp(x), y = Self.clamp(y)
        let u = (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
        let v = (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)
        return (Double(left) + u * Double(width - 1) + 0.5, Double(top) + (1 - v) * Double(height - 1) + 0.5)
    }

    /// Grid lines, the frame's left and bottom edges, tick labels and axis titles.
    public func draw(on c: inout Canvas, xTitle: String, yTitle: String) {
        for t in yTicks {
            let y = Int(point(xRange.lowerBound, t).1)
            c.fill(x: left, y: y, width: width, height: 1, .grid)
            let label = Self.label(t, step: Self.step(of: yTicks))
            c.text(label, x: left - 8 - Canvas.textWidth(label), y: y - 3, .ink)
        }
        for t in xTicks {
            let x = Int(point(t, yRange.lowerBound).0)
            c.fill(x: x, y: top, width: 1, height: height, .grid)
            c.fill(x: x, y: top + height, width: 1, height: 4, .ink)
            let label = Self.label(t, step: Self.step(of: xTicks))
            c.text(label, x: x - Canvas.textWidth(label) / 2, y: top + height + 8, .ink)
        }
        c.fill(x: left, y: top, width: 1, height: height, .ink)
        c.fill(x: left, y: top + height - 1, width: width, height: 1, .ink)
        c.text(xTitle, x: left + (width - Canvas.textWidth(xTitle, scale: 2)) / 2, y: top + height + 24, .ink, scale: 2)
        let widest = yTicks.map { Canvas.textWidth(Self.label($0, step: Self.step(of: yTicks))) }.max() ?? 0
        c.text(yTitle, x: left - 26 - widest, y: top + (height + Canvas.textWidth(yTitle, scale: 2)) / 2, .ink, scale: 2, vertical: true)
    }

    /// The largest magnitude drawn: a plotted value beyond it (a loss of 1e308 in a hostile
    /// log) is drawn at the edge.
    public static let limit = 1e12

    public static func clamp(_ v: Double) -> Double { v.isNaN ? 0 : min(max(v, -limit), limit) }

    static func drawable(_ r: ClosedRange<Double>) -> ClosedRange<Double> {
        let lo = clamp(r.lowerBound), hi = clamp(r.upperBound)
        return lo...max(lo, hi)
    }

    /// The narrowest span worth a tick step at this magnitude: near 1e12 a step of 1e-9
    /// would add nothing, and the range would have no width to divide by.
    static func minimumSpan(_ r: ClosedRange<Double>) -> Double {
        max(1e-9, max(abs(r.lowerBound), abs(r.upperBound)) * 1e-6)
    }

    /// Round tick values covering `range` (within ±limit), and the range widened to the outer ticks.
    static func ticks(_ range: ClosedRange<Double>, minimumStep: Double = 0) -> (values: [Double], range: ClosedRange<Double>) {
        let span = max(range.upperBound - range.lowerBound, minimumSpan(range))
        var step = 1.0
        while step > span / 4 { step /= 10 }
        while step * 10 <= span / 4 { step *= 10 }
        for factor in [1.0, 2, 5, 10] where step * factor * 6 >= span { step *= factor; break }
        step = max(step, minimumStep)
        let first = (range.lowerBound / step).rounded(.down) * step
        var values: [Double] = []
        repeat { values.append(first + Double(values.count) * step) } while values.last! < range.upperBound - step * 1e-9 && values.count < 50
        return (values, values.first!...max(values.last!, values.first! + step))
    }

    static func step(of ticks: [Double]) -> Double { ticks.count > 1 ? ticks[1] - ticks[0] : 1 }

    /// A tick value with as many decimals as its step needs.
    static func label(_ value: Double, step: Double) -> String {
        var places = 0, s = step
        while (s - s.rounded()).magnitude > 1e-6 * max(1, s) && places < 6 { s *= 10; places += 1 }
        return TrainingHistory.decimal(value, places)
    }
}
