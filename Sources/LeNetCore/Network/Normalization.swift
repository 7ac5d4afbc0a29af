/// How 28x28 u8 digits become the network's 1x32x32 input: zero-pad by 2 pixels (the
/// background value), then (x/255 - mean) / std, MNIST's statistics by default.
public struct Normalization: Sendable, Equatable {
    public var mean: Float
    public var std: Float

    public static let mnist = Normalization(mean: 0.1307, std: 0.3081)

    /// The normalisations a model may carry (docs/checkpoint-format.md). Outside them the
    /// 256 pixel values no longer map to distinct, finite inputs: a std of 3e38 collapses
    /// every picture to one input, a denormal std overflows 1/std, a mean of 1e38 swallows
    /// the pixel. Every normalisation in use (MNIST's, 0.5/0.5, 0/1, ImageNet's) is far inside.
    public static let meanLimit: Float = 1000
    public static let stdRange: ClosedRange<Float> = 0.001...1000

    public init(mean: Float, std: Float) {
        self.mean = mean
        self.std = std
    }

    /// Why this normalisation is outside the ranges above, or nil when it is inside.
    public var problem: String? {
        guard mean.isFinite, abs(mean) <= Self.meanLimit else {
            return "normalisation mean \(mean) is outside -\(Self.meanLimit)...\(Self.meanLimit)"
        }
        guard Self.stdRange.contains(std) else {
            return "normalisation std \(std) is outside \(Self.stdRange.lowerBound)...\(Self.stdRange.upperBound)"
        }
        return nil
    }

    /// The two coefficients `input` applies: x = pixel * scale + background.
    package var coefficients: (scale: Float, background: Float) { (1 / (255 * std), -mean / std) }

    /// Writes one 32x32 input from one 28x28 digit.
    package func input(from digit: UnsafePointer<UInt8>, into x: UnsafeMutablePointer<Float>) {
        let (scale, background) = coefficients
        x.update(repeating: background, count: LeNet5.inputSize)
        for r in 0..<28 {
            let row = x + (r + 2) * 32 + 2, src = digit + r * 28
            for c in 0..<28 { row[c] = Float(src[c]) * scale + background }
        }
    }
}
