/// The quantize service: an int8 model from a float one (`lenet quantize`, lenet_quantize).
extension Model {
    /// The int8 version of a float model (QuantizedLeNet(quantizing:calibration:)), with its
    /// descriptive metadata carried over except the float model's accuracies, plus how
    /// many images calibrated it.
    public func quantized(calibration digits: UnsafeBufferPointer<UInt8>, weightBits: Int = 7) throws -> Model {
        guard !isInt8 else { throw LeNetError.invalidArgument("the model is already int8") }
        let q = try QuantizedLeNet(quantizing: parameters, normalization: normalization, calibration: digits, weightBits: weightBits)
        var model = Model(quantized: q, normalization: normalization,
                          info: info.filter { !$0.key.hasPrefix("accuracy.") }
                              + [("quantization.calibration_images", "\(digits.count / DigitSet.pixels)")])
        try model.markAnswersChecked()
        return model
    }

    /// The int8 version calibrated on a set's digits (its labels are not used).
    public func quantized(calibration set: DigitSet, weightBits: Int = 7) throws -> Model {
        try set.images.withUnsafeBufferPointer { try quantized(calibration: $0, weightBits: weightBits) }
    }

    /// The int8 loops that run this model here, for reports (nil for a float model).
    public var integerLoops: String? { quantized.map { "\(KernelLevel.active.integer(sevenBitWeights: $0.weightBits == 7))" } }
}
