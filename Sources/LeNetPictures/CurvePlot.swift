import LeNetCore

/// Training curves: loss on the left, accuracy on the right, against the epoch.
public struct CurvePlot: Sendable {
    /// A line to draw: data points in order, and how to show it.
    public struct Series: Sendable {
        public var name: String, color: Color, thickness: Double, markers: Bool
        public var points: [(x: Double, y: Double)]

        public init(name: String, color: Color, thickness: Double = 2, markers: Bool = true, points: [(x: Double, y: Double)]) {
            self.name = name
            self.color = color
            self.thickness = thickness
            self.markers = markers
            self.points = points
        }
    }

    public static let width = 1000, height = 420
    public static let batchColor = Color.blue.mixed(with: .white, 0.65)
    public let canvas: Canvas
    /// The loss panel, then the accuracy panel.
    public let panels: [Axes]

    /// The curves of `history`; `batchLoss` (x: epoch as a fraction, e.g. 2.5 halfway
    /// through the third... epoch 3) adds the finer loss a `--log-every` log records.
    public init(history: TrainingHistory, batchLoss: [(x: Double, y: Double)] = [], title: String = "",
                size: (width: Int, height: Int) = (CurvePlot.width, CurvePlot.height)) {
        let e = history.epochs
        var loss = [Series(name: "train loss", color: .blue, points: e.map { (Double($0.epoch), $0.loss) })]
        if !batchLoss.isEmpty {
            loss.insert(Series(name: "batches", color: Self.batchColor, thickness: 2, markers: false,
                               points: batchLoss), at: 0)
        }
        var accuracy = [Series(name: "train", color: .blue, points: e.map { (Double($0.epoch), $0.trainAccuracy * 100) })]
        let tested = e.compactMap { r in r.testAccuracy.map { (Double(r.epoch), $0 * 100) } }
        if !tested.isEmpty { accuracy.append(Series(name: "test", color: .orange, points: tested)) }
        // A run on your own pictures: the ones held back, beside MNIST's test set.
        let held = e.compactMap { r in r.validationAccuracy.map { (Double(r.epoch), $0 * 100) } }
        if !held.isEmpty { accuracy.append(Series(name: "yours (held back)", color: .green, points: held)) }
        self.init(left: loss, right: accuracy, title: title, size: size)
    }

    init(left: [Series], right: [Series], title: String, size: (width: Int, height: Int)) {
        // Points a run cannot produce (NaN, ±1e308: from a hostile log, or a caller's
        // batchLoss) are dropped or clamped to what the axes draw, before any range is made.
        let drawable = { (s: [Series]) in
            s.map { series in
                var s = series
                s.points = series.points.filter { !$0.x.isNaN && !$0.y.isNaN }.map { (Axes.clamp($0.x), Axes.clamp($0.y)) }
                return s
            }
        }
        let left = drawable(left), right = drawable(right)
        var c = Canvas(width: size.width, height: size.height)
        let allX = (left + right).flatMap { $0.points.map(\.x) }
        // A margin keeps the first and last points off the frame.
        let xMin = allX.min() ?? 1, xMax = max(allX.max() ?? 1, xMin + 1), margin = (xMax - xMin) * 0.04
        let lossValues = left.flatMap { $0.points.map(\.y) }
        let lossTop = max(lossValues.max() ?? 1, 1e-3)
        let accValues = right.flatMap { $0.points.map(\.y) }
        let accBottom = min(accValues.min() ?? 90, 99)
        let panelWidth = size.width / 2, top = title.isEmpty ? 44 : 64
        // Loss falls and accuracy rises: each legend goes in the corner its curves leave empty.
        let panelSpecs: [(series: [Series], y: ClosedRange<Double>, title: String, legendAtTop: Bool)] = [
            (left, 0...lossTop, "loss", true), (right, accBottom...100, "accuracy (%)", false),
        ]
        var axesMade: [Axes] = []
        if !title.isEmpty { c.text(title, x: (size.width - Canvas.textWidth(title, scale: 2)) / 2, y: 16, .ink, scale: 2) }
        for (k, spec) in panelSpecs.enumerated() {
            let axes = Axes(left: k * panelWidth + 90, top: top, width: panelWidth - 120, height: size.height - top - 70,
                            x: (xMin - margin)...(xMax + margin), y: spec.y, integerX: true)
            axes.draw(on: &c, xTitle: "epoch", yTitle: spec.title)
            for s in spec.series {
                c.polyline(s.points.map { axes.point($0.x, $0.y) }, s.color, thickness: s.thickness)
                if s.markers { for p in s.points { let (px, py) = axes.point(p.x, p.y); c.line(px, py, px, py, s.color, thickness: 6) } }
            }
            Self.legend(spec.series, axes: axes, atTop: spec.legendAtTop, on: &c)
            axesMade.append(axes)
        }
        canvas = c
        panels = axesMade
    }

    /// Names in the panel's right corner, each after a short stroke of its colour.
    static func legend(_ series: [Series], axes: Axes, atTop: Bool, on c: inout Canvas) {
        let textWidth = series.map { Canvas.textWidth($0.name) }.max() ?? 0
        let boxWidth = textWidth + 40, boxHeight = series.count * 14 + 8
        let x = axes.left + axes.width - boxWidth - 8, y = atTop ? axes.top + 8 : axes.top + axes.height - boxHeight - 10
        c.fill(x: x, y: y, width: boxWidth, height: boxHeight, .white)
        for (i, s) in series.enumerated() {
            let ly = y + 8 + i * 14
            c.line(Double(x + 8), Double(ly) + 3.5, Double(x + 28), Double(ly) + 3.5, s.color, thickness: max(2, s.thickness))
            c.text(s.name, x: x + 34, y: ly, .ink)
        }
    }
}
