import LeNetCore
import Testing

/// A page's strokes grouped into numbers, and the numbers in reading order.
@Suite struct PageLayoutTests {
    func part(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> Components.Part {
        Components.Part(area: (x1 - x0 + 1) * (y1 - y0 + 1) / 3, x0: x0, y0: y0, x1: x1, y1: y1)
    }

    /// Two rows of a form: digits of the number below sit in the columns of the one above
    /// (read as one row, the two interleaved), a field to the right of the top row is a
    /// number of its own, and the numbers come top row first, each row left to right.
    @Test func rowsAndFieldsAreNumbersInReadingOrder() {
        let top = (0..<4).map { part(20 + 40 * $0, 20, 50 + 40 * $0, 70) }
        let below = (0..<3).map { part(40 + 40 * $0, 110, 70 + 40 * $0, 160) }
        let right = (0..<2).map { part(400 + 40 * $0, 25, 430 + 40 * $0, 75) }
        // Listed out of order: the layout, not the parts' numbering, orders them.
        let parts = below + right + top
        let (numbers, marks) = PageLayout.numbers(parts)
        #expect(marks == 0)
        #expect(numbers.map(\.parts) == [[5, 6, 7, 8], [3, 4], [0, 1, 2]])
        #expect(numbers.first.map { ($0.x0, $0.y0, $0.x1, $0.y1) } ?? (0, 0, 0, 0) == (20, 20, 170, 70))
    }

    /// A 5's bar flown off above it and a 9 written high beside an 8 stay in their number;
    /// a dot and a dash far from any number are stray marks; dust is nothing.
    @Test func fragmentsJoinTheirNumberAndMarksAreLeftOut() {
        let five = part(20, 30, 50, 80), bar = part(30, 18, 60, 24)
        let eight = part(60, 30, 90, 80), highNine = part(100, 10, 125, 45)
        let dot = part(300, 200, 305, 205), dash = part(400, 40, 412, 42), dust = Components.Part(area: 1, x0: 200, y0: 50, x1: 200, y1: 50)
        let (numbers, marks) = PageLayout.numbers([five, bar, eight, highNine, dot, dash, dust])
        #expect(numbers.map(\.parts) == [[0, 1, 2, 3]])
        #expect(marks == 2)
    }

    /// Beside a large handwritten number, a small printed field is a number, not a mark.
    @Test func aSmallFieldBesideALargeOneIsANumber() {
        let large = (0..<3).map { part(20 + 70 * $0, 20, 80 + 70 * $0, 110) }
        let small = (0..<3).map { part(500 + 16 * $0, 60, 512 + 16 * $0, 84) }
        #expect(PageLayout.numbers(large + small).numbers.map(\.parts) == [[0, 1, 2], [3, 4, 5]])
    }

    @Test func noInkNoNumbers() {
        #expect(PageLayout.numbers([]).numbers.isEmpty)
        #expect(PageLayout.numbers([Components.Part()]).numbers.isEmpty)
    }
}
