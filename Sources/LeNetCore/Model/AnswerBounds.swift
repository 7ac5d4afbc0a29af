import LeNetKernelAPI

/// "A model that loads always answers" (SECURITY.md): before a model is accepted, interval
/// bounds are carried through the network in double precision, from every input its
/// normalisation can produce (pixels 0...255, and the zero padding) to the logits. A model
/// is refused when some layer could leave float's range or an int32 accumulator's (it
/// would answer NaN or infinity for some picture), or when a whole layer is constant for
/// every input (it would give one answer whatever the picture). The bounds are per channel,
/// since every position of a channel sees the same input interval; each layer's cost is one
/// pass over its weights, about 60 k multiply-adds in all.
extension Model {
    /// The largest magnitude a float activation or logit may reach: half of float's range,
    /// so that rounding in any summation order, and the softmax's differences of logits,
    /// stay finite.
    package static let answerLimit = Double(Float.greatestFiniteMagnitude) / 2

    /// Throws `LeNetError.format`, naming the tensor and the bound, unless the network gives
    /// a finite answer that depends on the picture for every input in its domain.
    package func checkAnswers() throws {
        if let problem = normalization.problem { throw LeNetError.format(problem) }
        guard let q = quantized else { return try AnswerBounds.checkFloat(parameters, normalization) }
        // The floats an int8 model stands for are what `parameters` shows a caller.
        if let bad = parameters.firstIndex(where: { !$0.isFinite }) {
            let t = LeNet5.tensors.last { $0.offset <= bad }!
            throw LeNetError.format("int8 model: \(t.name) stands for a float beyond float's range (its scale is too large)")
        }
        try AnswerBounds.checkInteger(q, normalization)
    }

    /// checkAnswers, remembered: what the loaders call before they hand a model on.
    package mutating func markAnswersChecked() throws {
        try checkAnswers()
        answersChecked = true
    }
}

/// A closed interval of reals as its centre and radius: an affine map takes it to
/// centre b + sum w c, radius sum |w| r, exactly the interval of its outputs, without a
/// branch on each weight's sign.
struct Interval {
    var center: Double, radius: Double
    init(center: Double, radius: Double) { (self.center, self.radius) = (center, radius) }
    init(lo: Double, hi: Double) { self.init(center: (lo + hi) / 2, radius: (hi - lo) / 2) }
    var lo: Double { center - radius }
    var hi: Double { center + radius }
    var magnitude: Double { abs(center) + radius }
    var relu: Interval { Interval(lo: max(lo, 0), hi: max(hi, 0)) }
    var isPoint: Bool { radius == 0 }
}

enum AnswerBounds {
    /// For each layer: its name, fan-in, and how many of an output's inputs in a row come
    /// from one input channel (PyTorch's layouts: conv weights [out][in][5][5], fc1 reads
    /// pool2 flattened as channel, y, x): input k is of channel k / run.
    static let layers: [(name: String, fan: Int, run: Int)] = [
        ("conv1", 25, 25), ("conv2", 150, 25), ("fc1", 400, 25), ("fc2", 120, 1), ("fc3", 84, 1),
    ]

    /// The interval of every input value: the pixels 0...255 and the padding, as
    /// `Normalization.input` computes them in float.
    static func inputInterval(_ n: Normalization) -> Interval {
        let (scale, background) = n.coefficients
        let ends = [Double(background), Double(0 * scale + background), Double(255 * scale + background)]
        return Interval(lo: ends.min()!, hi: ends.max()!)
    }

    /// One output's interval and the bound on every partial sum of its products (in any
    /// order: the sum of magnitudes), for weights `weight(k)` over `inputs` and a bias.
    static func affine(_ layer: (name: String, fan: Int, run: Int), bias: Double, inputs: [Interval],
                       weight: (Int) -> Double) -> (Interval, magnitude: Double) {
        var center = bias, radius = 0.0, magnitude = abs(bias)
        for k in 0..<layer.fan {
            let w = weight(k), x = inputs[k / layer.run]
            center += w * x.center
            radius += abs(w) * x.radius
            magnitude += abs(w) * x.magnitude
        }
        return (Interval(center: center, radius: radius), magnitude)
    }

    static func checkFloat(_ p: [Float], _ n: Normalization) throws {
        var inputs = [inputInterval(n)]
        for (i, layer) in layers.enumerated() {
            let w = LeNet5.tensors[2 * i], b = LeNet5.tensors[2 * i + 1]
            var outputs = [Interval]()
            for o in 0..<w.shape[0] {
                let base = w.offset + o * layer.fan
                let (y, magnitude) = affine(layer, bias: Double(p[b.offset + o]), inputs: inputs) { Double(p[base + $0]) }
                guard magnitude <= Model.answerLimit else {
                    throw LeNetError.format("\(w.name): output \(o) can reach \(magnitude) for some picture, beyond float's range (\(Model.answerLimit)): the model would answer NaN or infinity")
                }
                outputs.append(i < 4 ? y.relu : y)
            }
            if i < 4 { try checkNotConstant(layer.name, outputs) }
            inputs = outputs
        }
    }

    /// An int8 model as IntegerNetwork runs it: input codes, int32 sums, requantized codes
    /// (clamped to 0...255, the ReLU), and fc3's sums times the logit scales in float.
    static func checkInteger(_ q: QuantizedLeNet, _ n: Normalization) throws {
        for s in [q.inputScale] + q.activationScales + q.layers.flatMap(\.weightScales) where !s.isNormal {
            throw LeNetError.format("int8 model: the scale \(s) is not a normal float (\(Float.leastNormalMagnitude)...\(Float.greatestFiniteMagnitude))")
        }
        let inverse = 1 / q.inputScale
        guard inverse.isFinite else { throw LeNetError.format("int8 model: the input scale \(q.inputScale) has no finite inverse") }
        let x = inputInterval(n)
        func code(_ v: Double) -> Double { Double(Requantization.inputCode(Float(v), inverseScale: inverse, zeroPoint: q.inputZeroPoint)) }
        var inputs = [Interval(lo: code(x.lo), hi: code(x.hi))]
        for (i, layer) in layers.enumerated() {
            let l = q.layers[i]
            let multipliers = i < 4 ? try q.multipliers(ofLayer: i).map(\.real) : []
            var outputs = [Interval]()
            for o in 0..<l.bias.count {
                let weights = l.weights[(o * layer.fan)..<((o + 1) * layer.fan)]
                var bias = Double(l.bias[o])
                // conv1 sums the codes themselves and takes zero point * sum of weights off its bias.
                if i == 0 { bias -= Double(q.inputZeroPoint) * Double(weights.reduce(0) { $0 + Int($1) }) }
                let first = weights.startIndex
                let (sum, magnitude) = affine(layer, bias: bias, inputs: inputs) { Double(weights[first + $0]) }
                guard magnitude <= Double(Int32.max) else {
                    throw LeNetError.format("int8 model: \(layer.name) channel \(o)'s int32 sum can reach \(magnitude), beyond ±2^31")
                }
                if i == 4 {
                    let logit = magnitude * Double(q.logitScales[o])
                    guard logit <= Model.answerLimit else {
                        throw LeNetError.format("int8 model: fc3 logit \(o) can reach \(logit) (weight scale \(l.weightScales[o])), beyond float's range: the model would answer NaN or infinity")
                    }
                    outputs.append(sum)
                } else {
                    let m = multipliers[o]
                    func requantized(_ v: Double) -> Double { min(max((v * m).rounded(), 0), 255) }
                    outputs.append(Interval(lo: requantized(sum.lo), hi: requantized(sum.hi)))
                }
            }
            if i < 4 { try checkNotConstant(layer.name, outputs) }
            inputs = outputs
        }
    }

    /// A layer every output of which is one value for every input makes the answer the same
    /// for every picture (every ReLU dead, every code saturated).
    static func checkNotConstant(_ name: String, _ outputs: [Interval]) throws {
        guard outputs.allSatisfy(\.isPoint) else { return }
        throw LeNetError.format("every output of \(name) is the same for every input (\(outputs.first.map { "\($0.lo)" } ?? "")): the model would give one answer whatever the picture")
    }
}
