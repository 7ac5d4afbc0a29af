/// An int8 LeNet-5 (post-training static quantization), as a `.lenet` file stores it:
/// per layer, int8 weights in PyTorch's layout, one symmetric scale per output channel and
/// an int32 bias at the scale of its products; per activation tensor, a scale (and for the
/// input, a zero point). Activations after a ReLU are uint8 with zero point 0.
package struct QuantizedLeNet: Equatable, Sendable {
    package struct Layer: Equatable, Sendable {
        /// round(w / weightScales[o]) in -127...127, shape as the float tensor's.
        package var weights: [Int8]
        package var weightScales: [Float]
        /// round(b / (inputScale * weightScales[o])).
        package var bias: [Int32]
    }

    /// conv1, conv2, fc1, fc2, fc3.
    package var layers: [Layer]
    /// The normalised input x is stored as q = round(x / inputScale) + inputZeroPoint in 0...255.
    package var inputScale: Float
    package var inputZeroPoint: Int32
    /// The scales of conv1's, conv2's, fc1's and fc2's (ReLU) outputs.
    package var activationScales: [Float]

    package static let layerNames = ["conv1", "conv2", "fc1", "fc2", "fc3"]
    /// The float tensors (weight, bias) of each layer in `LeNet5.tensors`.
    static var floatTensors: [(weight: LeNet5.Tensor, bias: LeNet5.Tensor)] {
        (0..<5).map { (LeNet5.tensors[2 * $0], LeNet5.tensors[2 * $0 + 1]) }
    }

    /// The scale of layer i's input.
    package func inputScale(ofLayer i: Int) -> Float { i == 0 ? inputScale : activationScales[i - 1] }

    /// The float parameters these integers stand for (weights q * scale, biases likewise).
    package var dequantizedParameters: [Float] {
        var p = [Float](repeating: 0, count: LeNet5.parameterCount)
        for (i, (w, b)) in Self.floatTensors.enumerated() {
            let layer = layers[i], outputs = w.shape[0], fan = w.count / outputs, s = inputScale(ofLayer: i)
            for o in 0..<outputs {
                for k in 0..<fan { p[w.offset + o * fan + k] = Float(layer.weights[o * fan + k]) * layer.weightScales[o] }
                p[b.offset + o] = Float(layer.bias[o]) * s * layer.weightScales[o]
            }
        }
        return p
    }

    /// Requantization constants of layers 0..<4 (input scale * weight scale / output scale).
    func multipliers(ofLayer i: Int) throws -> [FixedPointMultiplier] {
        try layers[i].weightScales.enumerated().map { o, sw in
            let real = Double(inputScale(ofLayer: i)) * Double(sw) / Double(activationScales[i])
            guard let m = FixedPointMultiplier(real) else {
                throw LeNetError.format("\(Self.layerNames[i]) channel \(o): requantization scale \(real) is out of range")
            }
            return m
        }
    }

    /// fc3's sums to logits: logit[o] = Float(sum + bias[o]) * logitScales[o].
    var logitScales: [Float] { layers[4].weightScales.map { $0 * activationScales[3] } }

    /// Checks what arithmetic relies on: finite positive scales, weights in -127...127,
    /// biases small enough that a sum cannot overflow int32, representable multipliers.
    package func validate() throws {
        guard layers.count == 5, activationScales.count == 4 else { throw LeNetError.format("int8 model: wrong number of layers or scales") }
        for s in [inputScale] + activationScales where !(s.isFinite && s > 0) {
            throw LeNetError.format("int8 model: activation scale \(s) is not a positive number")
        }
        guard (0...255).contains(inputZeroPoint) else { throw LeNetError.format("int8 model: input zero point \(inputZeroPoint) is outside 0...255") }
        for (i, (w, _)) in Self.floatTensors.enumerated() {
            let l = layers[i], name = Self.layerNames[i]
            guard l.weights.count == w.count, l.weightScales.count == w.shape[0], l.bias.count == w.shape[0] else {
                throw LeNetError.format("int8 model: \(name) has the wrong number of weights, scales or biases")
            }
            guard l.weights.allSatisfy({ $0 != -128 }) else { throw LeNetError.format("int8 model: \(name) holds the weight -128 (symmetric weights are -127...127)") }
            guard l.weightScales.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw LeNetError.format("int8 model: \(name) has a weight scale that is not a positive number") }
            guard l.bias.allSatisfy({ abs(Int64($0)) <= Self.biasLimit }) else { throw LeNetError.format("int8 model: \(name) has a bias beyond ±2^30") }
            if i < 4 { _ = try multipliers(ofLayer: i) }
        }
        guard logitScales.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw LeNetError.format("int8 model: fc3's logit scale is not a positive number") }
    }

    static let biasLimit: Int64 = 1 << 30

    /// The largest weight of a 7-bit model (`lenet quantize`'s default since 0.5).
    package static let sevenBitLimit = 63
    package static let defaultWeightBits = 7

    /// 7 when every weight is in -63...63, else 8: what the arithmetic may rely on, found in
    /// the weights themselves (an 8-bit quantization puts ±127 in every channel).
    package var weightBits: Int {
        layers.allSatisfy { $0.weights.allSatisfy { abs(Int($0)) <= Self.sevenBitLimit } } ? 7 : 8
    }
}
