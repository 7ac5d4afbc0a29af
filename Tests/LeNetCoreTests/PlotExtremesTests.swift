import LeNetCore
import LeNetPictures
import Testing

/// The picture code is total on every Double: a history or log holding values near ±1e308
/// (where a tick rounded up to infinity and trapped, or a tick loop never ended) is drawn
/// clamped, and a history with numbers no run produces is refused when it is read.
@Suite struct PlotExtremesTests {
    static let extremes: [Double] = [
        0, -0.0, 1, -1, 0.5, 100, 1e-300, -1e-300, 5e-324, 1e12, -1e12, 1e15, 9.2e18, -9.3e18, 1e300, -1.8e306,
        1e308, -1e308, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity, .nan,
    ]

    /// Every pair of extremes as a range, and random bit patterns: the axes are finite and
    /// ordered, their ticks finite and few, and every data point maps to a finite pixel.
    @Test func axesAreTotal() {
        var rng = Xoshiro256(seed: 11)
        let random = (0..<300).map { _ in Double(bitPattern: rng.next()) }
        // A ClosedRange cannot hold NaN: the ranges take the rest, the points all of them.
        let values = (Self.extremes + random).filter { !$0.isNaN }
        for (i, a) in values.enumerated() {
            let b = values[(i * 7 + 3) % values.count], c = values[(i * 13 + 5) % values.count]
            for integerX in [false, true] {
                let axes = Axes(left: 10, top: 10, width: 200, height: 100, x: min(a, b)...max(a, b, min(a, b)),
                                y: min(c, a)...max(c, a, min(c, a)), integerX: integerX)
                #expect(axes.xRange.lowerBound.isFinite && axes.xRange.upperBound > axes.xRange.lowerBound, "\(a) \(b)")
                #expect(axes.yRange.lowerBound.isFinite && axes.yRange.upperBound > axes.yRange.lowerBound, "\(c) \(a)")
                #expect(axes.xTicks.count <= 50 && axes.yTicks.count <= 50 && (axes.xTicks + axes.yTicks).allSatisfy(\.isFinite))
                for v in [a, b, c, .nan] {
                    let p = axes.point(v, v)
                    #expect(p.0.isFinite && p.1.isFinite, "\(v)")
                }
                var canvas = Canvas(width: 240, height: 140)
                axes.draw(on: &canvas, xTitle: "x", yTitle: "y")
            }
        }
    }

    @Test func curvesOfExtremeValuesAreDrawnClamped() {
        var rng = Xoshiro256(seed: 12)
        for round in 0..<40 {
            let pick = { (k: Int) -> Double in
                round < 20 ? Self.extremes[(round * 5 + k * 3) % Self.extremes.count] : Double(bitPattern: rng.next())
            }
            let epochs = (0..<3).map { k in
                TrainingHistory.Epoch(epoch: k + 1, loss: pick(k), trainAccuracy: pick(k + 1), testAccuracy: pick(k + 2), learningRate: pick(k + 3))
            }
            let batches = (0..<6).map { k in (x: pick(k + 4), y: pick(k + 5)) }
            let plot = CurvePlot(history: TrainingHistory(epochs), batchLoss: batches, title: "extremes")
            #expect(plot.panels.allSatisfy { $0.yRange.upperBound.isFinite && $0.yRange.lowerBound >= -Axes.limit })
        }
    }

    @Test func historiesWithNumbersNoRunProducesAreRefused() {
        let header = "epoch,loss,train_accuracy,test_accuracy,learning_rate\n"
        #expect(throws: Never.self) { try TrainingHistory(decoding: header + "1,0.2,0.9,0.95,0.001") }
        for line in ["1,-1.8e306,0.9,0.95,0.001", "1,0.2,1e308,0.95,0.001", "1,0.2,0.9,-0.5,0.001", "1,0.2,0.9,,-1",
                     "1,1e309,0.9,,0.001", "2000000,0.2,0.9,,0.001", "0,0.2,0.9,,0.001"] {
            #expect(throws: LeNetError.self, "\(line)") { try TrainingHistory(decoding: header + line) }
        }
    }
}
