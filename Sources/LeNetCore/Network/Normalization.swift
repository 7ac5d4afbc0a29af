/// How 28x28 u8 digits become the network's 1x32x32 input: zero-pad by 2 pixels (the
/// background value), then (x/255 - mean) / std, MNIST's statistics by default.
public struct Normalization: Sendable, Equatable {
    public var mean: Float
    public var std: Float

    public static let mnist = Normalization(mean: 0.1307, std: 0.3081)

    public init(mean: Float, std: Float) {
        self.mean = mean
        self.std = std
    }

    /// Writes one 32x32 input from one 28x28 digit.
    package func input(from digit: UnsafePointer<UInt8>, into x: UnsafeMutablePointer<Float>) {
        let scale = 1 / (255 * std), background = -mean / std
        x.update(repeating: background, count: LeNet5.inputSize)
        for r in 0..<28 {
            let row = x + (r + 2) * 32 + 2, src = digit + r * 28
            for c in 0..<28 { row[c] = Float(src[c]) * scale + background }
        }
    }
}
