import LeNetCore

/// A picture of misclassified digits: each cell the 28x28 digit above a strip saying
/// "true>predicted" in a 3x5 pixel font, white on black like MNIST.
enum ErrorGrid {
    static let columns = 20, cellWidth = 32, cellHeight = 38

    static func image(digits: [[UInt8]], truth: [Int], predicted: [Int]) -> GrayImage {
        let rows = max(1, (digits.count + columns - 1) / columns)
        let width = columns * cellWidth, height = rows * cellHeight
        var pixels = [UInt8](repeating: 0, count: width * height)
        for (k, digit) in digits.enumerated() {
            let ox = (k % columns) * cellWidth + 2, oy = (k / columns) * cellHeight + 1
            for y in 0..<28 { for x in 0..<28 { pixels[(oy + y) * width + ox + x] = digit[y * 28 + x] } }
            var tx = ox + 8
            for ch in "\(truth[k])>\(predicted[k])" {
                for (r, bits) in (font[ch] ?? []).enumerated() {
                    for c in 0..<3 where bits & (4 >> c) != 0 { pixels[(oy + 30 + r) * width + tx + c] = 200 }
                }
                tx += 4
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Rows of three bits, top to bottom.
    static let font: [Character: [UInt8]] = [
        "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 7, 1, 7], "4": [5, 5, 7, 1, 1],
        "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 2, 2, 2], "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7],
        ">": [4, 2, 1, 2, 4],
    ]
}
