import LeNetCore
import LeNetPictures
import Testing

/// The pictures are checked pixel by pixel where their geometry says something must be:
/// axes, data points, lines between them, cells of the heat map, digits of the error grid.
@Suite struct PictureTests {
    static let history = TrainingHistory([
        .init(epoch: 1, loss: 2.0, trainAccuracy: 0.62, testAccuracy: 0.71, learningRate: 1e-3),
        .init(epoch: 2, loss: 1.1, trainAccuracy: 0.80, testAccuracy: 0.86, learningRate: 9e-4),
        .init(epoch: 3, loss: 0.6, trainAccuracy: 0.90, testAccuracy: 0.93, learningRate: 6e-4),
        .init(epoch: 4, loss: 0.35, trainAccuracy: 0.95, testAccuracy: 0.955, learningRate: 3e-4),
        .init(epoch: 5, loss: 0.2, trainAccuracy: 0.99, testAccuracy: 0.97, learningRate: 1e-4),
    ])

    func pixel(_ c: Canvas, _ p: (Double, Double)) -> Color { c.pixel(Int(p.0), Int(p.1)) }

    /// Whether `colour` is in the 3x3 pixels around `p`: a line's anti-aliased edge may pass
    /// a pixel's centre by up to half a pixel, but its core covers one of these fully.
    static func near(_ c: Canvas, _ p: (Double, Double), _ colour: Color) -> Bool {
        (-1...1).contains { dy in (-1...1).contains { dx in c.pixel(Int(p.0) + dx, Int(p.1) + dy) == colour } }
    }

    @Test func curvesPutEveryEpochWhereTheAxesSay() throws {
        let plot = CurvePlot(history: Self.history, title: "run")
        let c = plot.canvas
        #expect(plot.panels.count == 2)
        let series: [[(Double, Double, Color)]] = [
            Self.history.epochs.map { (Double($0.epoch), $0.loss, Color.blue) },
            Self.history.epochs.flatMap { [(Double($0.epoch), $0.trainAccuracy * 100, Color.blue),
                                           (Double($0.epoch), $0.testAccuracy! * 100, Color.orange)] },
        ]
        for (axes, points) in zip(plot.panels, series) {
            // The frame: left and bottom edges in ink, the whole length.
            for y in stride(from: axes.top, to: axes.top + axes.height, by: 7) { #expect(c.pixel(axes.left, y) == .ink) }
            for x in stride(from: axes.left, to: axes.left + axes.width, by: 7) { #expect(c.pixel(x, axes.top + axes.height - 1) == .ink) }
            // The data fit inside the axes' ranges, and every point is drawn where it maps.
            for (x, y, colour) in points {
                #expect(axes.xRange.contains(x) && axes.yRange.contains(y))
                #expect(pixel(c, axes.point(x, y)) == colour)
            }
            // A line joins consecutive points: their midpoint carries the colour.
            for colour in [Color.blue, .orange] {
                let mine = points.filter { $0.2 == colour }
                for (a, b) in zip(mine, mine.dropFirst()) {
                    #expect(Self.near(c, axes.point((a.0 + b.0) / 2, (a.1 + b.1) / 2), colour))
                }
            }
            // Each y tick has a label: ink to the left of the axis on its row.
            for t in axes.yTicks {
                let y = Int(axes.point(axes.xRange.lowerBound, t).1)
                let inked = (axes.left - 60..<axes.left - 4).contains { x in (y - 3...y + 3).contains { c.pixel(x, $0) == .ink } }
                #expect(inked, "tick \(t) has no label")
            }
        }
        // Round ticks: loss from 0 to 2 in halves, accuracy in steps of 10 up to 100.
        #expect(plot.panels[0].yTicks == [0, 0.5, 1, 1.5, 2])
        #expect(plot.panels[1].yTicks == [60, 70, 80, 90, 100])
        #expect(plot.panels[0].xTicks == [1, 2, 3, 4, 5])
        // Away from the curves the panel is paper or grid, never a curve's colour.
        let empty = plot.panels[0].point(4.5, 1.9)
        #expect([Color.white, .grid].contains(pixel(c, empty)))
        // Written as an RGB PNG of the same size.
        let decoded = try PNGCodec.decodePixels(c.png())
        #expect(decoded.width == CurvePlot.width && decoded.height == CurvePlot.height && decoded.format == .rgb8)
        #expect(decoded.bytes == c.pixels)
    }

    @Test func batchLinesAddAFinerLossCurve() {
        let batches = (1...20).map { (x: Double($0) / 4, y: 2.2 - Double($0) * 0.1) }
        let plot = CurvePlot(history: Self.history, batchLoss: batches)
        let axes = plot.panels[0]
        #expect(axes.xRange.lowerBound < batches[0].x)  // batches of the first epoch start before epoch 1
        let onBatchLine = batches.filter { Self.near(plot.canvas, axes.point($0.x, $0.y), CurvePlot.batchColor) }
        #expect(onBatchLine.count >= 15, "most batch points away from the epoch curve show the batch line's colour")
    }

    @Test func ticksAreRoundNumbers() {
        #expect(Axes(left: 0, top: 0, width: 100, height: 100, x: 0...1, y: 0.013...0.087).yTicks.count <= 7)
        let a = Axes(left: 0, top: 0, width: 100, height: 100, x: 1...30, y: 91.3...100, integerX: true)
        #expect(a.xTicks.allSatisfy { $0 == $0.rounded() })
        #expect(a.yTicks.first! <= 91.3 && a.yTicks.last! >= 100)
        #expect(zip(a.yTicks, a.yTicks.dropFirst()).allSatisfy { [1.0, 2, 5].contains(($1 - $0).rounded()) })
    }

    @Test func confusionCellsShadeByShareAndMistakes() throws {
        var truth: [Int] = [], predicted: [Int] = []
        for d in 0..<10 {
            truth += Array(repeating: d, count: 100)
            // twenty 3s read as 5
            predicted += d == 3 ? Array(repeating: 3, count: 80) + Array(repeating: 5, count: 20) : Array(repeating: d, count: 100)
        }
        let matrix = ConfusionMatrix(truth: truth, predicted: predicted)
        #expect(matrix.counts[3][5] == 20 && matrix.correct == 980 && matrix.total == 1000)
        let c = ConfusionPicture(matrix).canvas
        func corner(_ t: Int, _ p: Int) -> Color { let (x, y) = ConfusionPicture.cellOrigin(truth: t, predicted: p); return c.pixel(x + 1, y + 1) }
        #expect(corner(0, 0) == .blue)                       // 100% of the row
        #expect(corner(3, 3) == Color.white.mixed(with: .blue, 0.8))
        #expect(corner(3, 5) == .orange)                     // the largest mistake
        #expect(corner(5, 3) == .white)                      // no mistake
        // Counts are written in the cells: the 3-5 cell holds dark text on its orange.
        let (x, y) = ConfusionPicture.cellOrigin(truth: 3, predicted: 5)
        let inside = (y..<(y + ConfusionPicture.cell - 1)).flatMap { yy in (x..<(x + ConfusionPicture.cell - 1)).map { c.pixel($0, yy) } }
        #expect(inside.contains(.ink))
    }

    @Test func errorGridShowsWhatTheModelSaw() {
        let digits = (0..<3).map { k in (0..<784).map { UInt8(truncatingIfNeeded: $0 * (k + 3)) } }
        let grid = ErrorGrid(digits.enumerated().map { .init(seen: $1, truth: $0, predicted: 9 - $0, probability: 0.5) })
        for (k, digit) in digits.enumerated() {
            let ox = ErrorGrid.gap + k * (ErrorGrid.side + ErrorGrid.gap), oy = ErrorGrid.gap
            for (x, y) in [(0, 0), (13, 7), (27, 27), (5, 20)] {
                let v = digit[y * 28 + x]
                #expect(grid.canvas.pixel(ox + 2 * x + 1, oy + 2 * y + 1) == Color(v, v, v))
            }
        }
        // With the original picture, it comes first, as a thumbnail on white.
        let picture = GrayImage(width: 8, height: 4, pixels: (0..<32).map { UInt8($0 * 8) })
        let thumb = ErrorGrid.thumbnail(picture)
        #expect(thumb.count == ErrorGrid.side * ErrorGrid.side)
        #expect(thumb[0] == 255 && thumb[ErrorGrid.side * ErrorGrid.side / 2] != 255)
        let withOriginal = ErrorGrid([.init(seen: digits[0], truth: 1, predicted: 7, probability: 0.9, original: thumb)])
        #expect(withOriginal.canvas.pixel(ErrorGrid.gap + 20, ErrorGrid.gap + 28) == Color(thumb[28 * 56 + 20], thumb[28 * 56 + 20], thumb[28 * 56 + 20]))
    }
}
