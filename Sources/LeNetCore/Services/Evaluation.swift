/// How a model's answers fall against the truth: counts[true digit][predicted digit]. The
/// one place accuracy is counted, for `lenet eval`, training's test accuracy and the C API.
public struct ConfusionMatrix: Sendable, Equatable {
    public private(set) var counts: [[Int]]

    public init() { counts = Array(repeating: Array(repeating: 0, count: LeNet5.classes), count: LeNet5.classes) }

    /// Counts each pair; labels outside 0...9 are a caller's bug (the data sets hold digits).
    public init<T: Sequence, P: Sequence>(truth: T, predicted: P) where T.Element: BinaryInteger, P.Element: BinaryInteger {
        self.init()
        for (t, p) in zip(truth, predicted) { counts[Int(t)][Int(p)] += 1 }
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { (0..<LeNet5.classes).reduce(0) { $0 + counts[$1][$1] } }
    /// 0 for an empty matrix.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    /// The share of each true digit read correctly (its recall); 0 for a digit absent.
    public var perClassAccuracy: [Double] {
        counts.enumerated().map { c, row in
            let n = row.reduce(0, +)
            return n == 0 ? 0 : Double(row[c]) / Double(n)
        }
    }
}

extension Predictor {
    /// How the model reads a labelled set: the evaluate service of `lenet eval`,
    /// `lenet quantize`, training's test accuracy and lenet_model_evaluate.
    public func evaluate(_ set: DigitSet, threads: Int = Threads.defaultCount) -> ConfusionMatrix {
        ConfusionMatrix(truth: set.labels, predicted: predictions(set, threads: threads))
    }
}
