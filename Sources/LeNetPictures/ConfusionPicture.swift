import LeNetCore

/// The confusion matrix as a heat map with its counts: rows the true digit, columns the
/// prediction, and each row's accuracy at its end. The diagonal is shaded blue by the
/// share of its row; mistakes orange by their count against the largest mistake, so a
/// handful of confusions stands out beside thousands of correct answers.
public struct ConfusionPicture: Sendable {
    public static let cell = 46, left = 96, top = 96
    public let canvas: Canvas

    public init(_ matrix: ConfusionMatrix, title: String = "") {
        let n = LeNet5.classes, cell = Self.cell
        var c = Canvas(width: Self.left + (n + 1) * cell + 40, height: Self.top + n * cell + 56)
        if !title.isEmpty { c.text(title, x: (c.width - Canvas.textWidth(title, scale: 2)) / 2, y: 12, .ink, scale: 2) }
        let heading = "predicted"
        c.text(heading, x: Self.left + (n * cell - Canvas.textWidth(heading, scale: 2)) / 2, y: Self.top - 50, .ink, scale: 2)
        c.text("true", x: Self.left - 70, y: Self.top + (n * cell + Canvas.textWidth("true", scale: 2)) / 2, .ink, scale: 2, vertical: true)
        let largestMistake = matrix.counts.enumerated().flatMap { t, row in row.enumerated().filter { $0.offset != t }.map(\.element) }.max() ?? 0
        let recall = matrix.perClassAccuracy
        for t in 0..<n {
            let rowTotal = matrix.counts[t].reduce(0, +)
            for p in 0..<n {
                let count = matrix.counts[t][p]
                let fill: Color
                if t == p {
                    fill = Color.white.mixed(with: .blue, rowTotal == 0 ? 0 : Double(count) / Double(rowTotal))
                } else {
                    fill = Color.white.mixed(with: .orange, largestMistake == 0 ? 0 : Double(count) / Double(largestMistake))
                }
                let (x, y) = Self.cellOrigin(truth: t, predicted: p)
                c.fill(x: x, y: y, width: cell - 1, height: cell - 1, fill)
                let label = "\(count)", textColor: Color = count == 0 ? .grid : (fill.luma < 140 ? .white : .ink)
                c.text(label, x: x + (cell - 1 - Canvas.textWidth(label)) / 2, y: y + (cell - 1 - Canvas.textHeight()) / 2, textColor)
            }
            let digit = "\(t)"
            c.text(digit, x: Self.left - 12 - Canvas.textWidth(digit, scale: 2), y: Self.top + t * cell + (cell - 14) / 2, .ink, scale: 2)
            c.text(digit, x: Self.left + t * cell + (cell - Canvas.textWidth(digit, scale: 2)) / 2, y: Self.top - 24, .ink, scale: 2)
            let share = rowTotal == 0 ? "-" : TrainingHistory.decimal(recall[t] * 100, 1) + "%"
            c.text(share, x: Self.left + n * cell + 8, y: Self.top + t * cell + (cell - Canvas.textHeight()) / 2, .muted)
        }
        let summary = "\(matrix.correct) of \(matrix.total) correct (" + TrainingHistory.decimal(matrix.accuracy * 100, 2) + "%)"
        c.text(summary, x: Self.left, y: Self.top + n * cell + 20, .ink, scale: 2)
        canvas = c
    }

    /// Top-left pixel of a cell.
    public static func cellOrigin(truth: Int, predicted: Int) -> (Int, Int) { (left + predicted * cell, top + truth * cell) }
}
