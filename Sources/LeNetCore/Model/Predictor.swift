/// A model ready to run: a float model's weights packed for the GEMM, or an int8 model's
/// integer network. The one entry point the CLI and the C ABI predict through, whatever
/// the model's dtype.
public final class Predictor: @unchecked Sendable {
    public let model: Model
    private enum Network {
        case float(PackedWeights)
        case int8(IntegerNetwork)
    }
    private let network: Network

    /// Refuses a model that could answer NaN, infinity or one class for every picture
    /// (Model.checkAnswers), however it was made.
    public init(_ model: Model) throws {
        if !model.answersChecked { try model.checkAnswers() }
        self.model = model
        network = try model.quantized.map { .int8(try IntegerNetwork($0)) } ?? .float(PackedWeights(model.parameters))
    }

    /// A float model's parameters (what the trainer holds), which cannot fail.
    package init(parameters: [Float], normalization: Normalization = .mnist) {
        model = Model(parameters: parameters, normalization: normalization)
        network = .float(PackedWeights(parameters))
    }

    /// Logits (count x 10) into `out`, `fill(i, x)` writing image i's normalised 1x32x32
    /// input; see LeNet5.logits.
    package func logits(
        count: Int, threads: Int, into out: UnsafeMutablePointer<Float>, fill: (Int, UnsafeMutablePointer<Float>) -> Void
    ) {
        switch network {
        case .float(let w): LeNet5.logits(w, count: count, threads: threads, into: out, fill: fill)
        case .int8(let n): n.logits(count: count, threads: threads, into: out, fill: fill)
        }
    }

    /// Logits (count x 10) into `out` for `count` normalised 1x32x32 inputs (finite: the
    /// caller checks), which a float model reads in place.
    package func logits(inputs: UnsafePointer<Float>, count: Int, threads: Int, into out: UnsafeMutablePointer<Float>) {
        switch network {
        case .float(let w): LeNet5.logits(w, inputs: inputs, count: count, threads: threads, into: out)
        case .int8(let n):
            n.logits(count: count, threads: threads, into: out) { i, x in x.update(from: inputs + i * LeNet5.inputSize, count: LeNet5.inputSize) }
        }
    }

    /// Logits (count x 10) into `out` for `count` 28x28 u8 digits, normalised as the model says.
    package func logits(digits: UnsafePointer<UInt8>, count: Int, threads: Int, into out: UnsafeMutablePointer<Float>) {
        let norm = model.normalization
        if case .int8(let n) = network { return n.logits(digits: digits, count: count, threads: threads, normalization: norm, into: out) }
        logits(count: count, threads: threads, into: out) { i, x in norm.input(from: digits + i * DigitSet.pixels, into: x) }
    }

    /// Logits (count x 10) for `count` 28x28 u8 digits.
    public func logits(digits: UnsafeBufferPointer<UInt8>, threads: Int = Threads.defaultCount) -> [Float] {
        let count = digits.count / DigitSet.pixels
        var out = [Float](repeating: 0, count: count * LeNet5.classes)
        guard count > 0 else { return out }
        out.withUnsafeMutableBufferPointer { o in
            logits(digits: digits.baseAddress!, count: count, threads: threads, into: o.baseAddress!)
        }
        return out
    }

    /// Predicted labels for a digit set.
    public func predictions(_ data: DigitSet, threads: Int = Threads.defaultCount) -> [UInt8] {
        let z = data.images.withUnsafeBufferPointer { logits(digits: $0, threads: threads) }
        return z.withUnsafeBufferPointer { zp in
            (0..<data.count).map { UInt8(LeNet5.argmax(zp.baseAddress! + $0 * LeNet5.classes, LeNet5.classes)) }
        }
    }
}
