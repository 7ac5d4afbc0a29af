extension QuantizedLeNet {
    /// Post-training static quantization of a float model's parameters: runs it on `calibration`
    /// (28x28 u8 digits, count x 784 bytes) to find each activation tensor's range, then
    /// quantizes weights per output channel (symmetric: 7 bits, -63...63, or 8, -127...127)
    /// and activations per tensor.
    package init(
        quantizing parameters: [Float], normalization: Normalization, calibration digits: UnsafeBufferPointer<UInt8>,
        weightBits: Int = QuantizedLeNet.defaultWeightBits
    ) throws {
        guard weightBits == 7 || weightBits == 8 else { throw LeNetError.invalidArgument("weights are 7 or 8 bits, not \(weightBits)") }
        let weightLimit = Float(weightBits == 7 ? Self.sevenBitLimit : 127)
        let count = digits.count / DigitSet.pixels
        guard count > 0 else { throw LeNetError.invalidArgument("calibration needs at least one image") }
        let r = Self.ranges(parameters, normalization, digits, count)

        // The input's range always holds 0 (a zero point must exist) and is never empty.
        let lo = min(r.inputMin, 0), hi = max(r.inputMax, 0, lo + 1e-6)
        inputScale = (hi - lo) / 255
        inputZeroPoint = Int32(max(0, min(255, (-lo / inputScale).rounded())))

        layers = []
        activationScales = []
        for (i, (w, b)) in Self.floatTensors.enumerated() {
            let outputs = w.shape[0], fan = w.count / outputs, sIn = i == 0 ? inputScale : activationScales[i - 1]
            let rows = (0..<outputs).map { o in parameters[(w.offset + o * fan)..<(w.offset + (o + 1) * fan)] }
            let scales: [Float] = rows.map { row in
                let maxAbs = row.reduce(0) { max($0, abs($1)) }
                return maxAbs > 0 ? maxAbs / weightLimit : 1
            }
            if i < 4 {
                // The output's scale from its range, but never so small that a requantization
                // multiplier (sIn * weight scale / output scale) reaches 1.
                let fromRange = r.maxima[i] > 0 ? r.maxima[i] / 255 : 1
                activationScales.append(max(fromRange, sIn * scales.max()! * (1 + 1e-6)))
            }
            var layer = Layer(weights: [], weightScales: scales, bias: [])
            for (o, row) in rows.enumerated() {
                let s = scales[o]
                layer.weights += row.map { Int8(max(-weightLimit, min(weightLimit, ($0 / s).rounded()))) }
                let limit = Double(Self.biasLimit)
                let q = (Double(parameters[b.offset + o]) / (Double(sIn) * Double(s))).rounded()
                layer.bias.append(Int32(max(-limit, min(limit, q))))
            }
            layers.append(layer)
        }
        try validate()
    }

    /// The ranges seen on the calibration images: the normalised input's, and the maxima of
    /// the four ReLU outputs (conv1, conv2, fc1, fc2), whose minima are 0.
    private static func ranges(_ parameters: [Float], _ normalization: Normalization, _ digits: UnsafeBufferPointer<UInt8>, _ count: Int)
        -> (inputMin: Float, inputMax: Float, maxima: [Float])
    {
        let weights = PackedWeights(parameters)
        let ws = Workspace(capacity: 32)
        var inputMin = Float.infinity, inputMax = -Float.infinity, maxima = [Float](repeating: 0, count: 4)
        func fold(_ p: UnsafePointer<Float>, _ n: Int, _ k: Int) {
            for j in 0..<n { maxima[k] = max(maxima[k], p[j]) }
        }
        var i = 0
        while i < count {
            let m = min(ws.capacity, count - i)
            for j in 0..<m { normalization.input(from: digits.baseAddress! + (i + j) * DigitSet.pixels, into: ws.x + j * LeNet5.inputSize) }
            LeNet5.forward(weights, count: m, ws)
            for j in 0..<(m * LeNet5.inputSize) {
                inputMin = min(inputMin, ws.x[j])
                inputMax = max(inputMax, ws.x[j])
            }
            fold(ws.a1, m * LeNet5.conv1Size, 0)
            fold(ws.a2, m * LeNet5.conv2Size, 1)
            fold(ws.h1, m * LeNet5.hidden1, 2)
            fold(ws.h2, m * LeNet5.hidden2, 3)
            i += m
        }
        return (inputMin, inputMax, maxima)
    }
}
