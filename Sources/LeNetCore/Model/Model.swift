/// A LeNet-5 model as stored in a `.lenet` file: float parameters, the input normalisation,
/// descriptive metadata, and, for a training checkpoint, what resuming needs. An int8 model
/// (`quantized` set) keeps its integers there and, in `parameters`, the floats they stand for.
public struct Model: Equatable, Sendable {
    public static let architecture = "lenet5-relu-maxpool"

    public private(set) var parameters: [Float]
    public private(set) var normalization: Normalization
    /// Free-form descriptive entries (accuracies, training options), in file order.
    public var info: [(key: String, value: String)]
    public private(set) var training: TrainingState?
    package private(set) var quantized: QuantizedLeNet?
    /// Set once `checkAnswers` has passed for these numbers (which nothing outside the
    /// initialisers changes), so a loaded model is not checked again by its Predictor.
    package internal(set) var answersChecked = false

    public init(parameters: [Float], normalization: Normalization = .mnist, info: [(key: String, value: String)] = [],
                training: TrainingState? = nil) {
        self.parameters = parameters
        self.normalization = normalization
        self.info = info
        self.training = training
    }

    /// An int8 model.
    package init(quantized q: QuantizedLeNet, normalization: Normalization, info: [(key: String, value: String)] = []) {
        self.init(parameters: q.dequantizedParameters, normalization: normalization, info: info)
        quantized = q
    }

    public var isInt8: Bool { quantized != nil }

    /// An int8 model's weight width (7 or 8), nil for a float model.
    public var weightBits: Int? { quantized?.weightBits }

    /// The same model without its training state: what inference needs, and what a
    /// converted file keeps.
    public func withoutTrainingState() -> Model {
        var m = self
        m.training = nil
        return m
    }

    public static func == (a: Model, b: Model) -> Bool {
        a.parameters == b.parameters && a.normalization == b.normalization && a.training == b.training
            && a.quantized == b.quantized && a.info.elementsEqual(b.info, by: { $0 == $1 })
    }
}
