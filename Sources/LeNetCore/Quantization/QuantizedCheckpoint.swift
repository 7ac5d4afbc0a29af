// How an int8 model lives in a `.lenet` file (docs/checkpoint-format.md, "int8 models"):
// `lenet.dtype` = int8; per layer L, tensors L.weight (i8, the float tensor's shape),
// L.weight_scale (f32 [outputs]) and L.bias (i32 [outputs]); the activation scales and the
// input zero point as metadata.

extension CheckpointFile.Tensor {
    init(name: String, shape: [Int], int8 values: [Int8]) {
        self.init(name: name, dtype: .i8, shape: shape, data: values.map { UInt8(bitPattern: $0) })
    }

    init(name: String, int32 values: [Int32]) {
        var w = ByteWriter()
        for v in values { w.u32(UInt32(bitPattern: v)) }
        self.init(name: name, dtype: .i32, shape: [values.count], data: w.bytes)
    }

    func int8s() throws -> [Int8] {
        guard dtype == .i8 else { throw LeNetError.format("tensor '\(name)' is \(dtype.name), expected i8") }
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int8.self)) }
    }

    func int32s() throws -> [Int32] {
        guard dtype == .i32 else { throw LeNetError.format("tensor '\(name)' is \(dtype.name), expected i32") }
        var r = ByteReader(data)
        return try (0..<elementCount).map { _ in Int32(bitPattern: try r.u32("element of '\(name)'")) }
    }
}

extension QuantizedLeNet {
    enum Key {
        static let inputScale = "quantization.input.scale", inputZeroPoint = "quantization.input.zero_point"
        static let activationScales = ["conv1", "conv2", "fc1", "fc2"].map { "quantization.\($0).output_scale" }
        /// Since 0.5: 7 or 8; files without it are 8-bit models.
        static let weightBits = "quantization.weight_bits"
        static let interpreted: Set<String> = Set([inputScale, inputZeroPoint, weightBits] + activationScales)
    }

    var metadata: [(key: String, value: String)] {
        [(Key.inputScale, "\(inputScale)"), (Key.inputZeroPoint, "\(inputZeroPoint)")]
            + zip(Key.activationScales, activationScales).map { ($0, "\($1)") } + [(Key.weightBits, "\(weightBits)")]
    }

    var tensors: [CheckpointFile.Tensor] {
        zip(Self.layerNames, zip(layers, Self.floatTensors)).flatMap { name, pair -> [CheckpointFile.Tensor] in
            let (layer, t) = pair
            return [
                .init(name: "\(name).weight", shape: t.weight.shape, int8: layer.weights),
                .init(name: "\(name).weight_scale", shape: t.bias.shape, floats: layer.weightScales),
                .init(name: "\(name).bias", int32: layer.bias),
            ]
        }
    }

    init(checkpoint f: CheckpointFile) throws {
        func scale(_ key: String) throws -> Float {
            guard let s = f.value(key) else { throw LeNetError.format("metadata '\(key)' is missing") }
            guard let v = MetadataNumber.float(s) else { throw LeNetError.format("metadata '\(key)' = '\(s)' is not a decimal number") }
            return v
        }
        func tensor(_ name: String, _ shape: [Int]) throws -> CheckpointFile.Tensor {
            guard let t = f.tensor(name) else { throw LeNetError.format("tensor '\(name)' is missing") }
            guard t.shape == shape else { throw LeNetError.format("tensor '\(name)' has shape \(t.shape), expected \(shape)") }
            return t
        }
        guard let zp = f.value(Key.inputZeroPoint).flatMap({ MetadataNumber.integer($0, as: Int32.self) }) else {
            throw LeNetError.format("metadata '\(Key.inputZeroPoint)' is missing or not an integer")
        }
        layers = try zip(Self.layerNames, Self.floatTensors).map { name, t in
            Layer(weights: try tensor("\(name).weight", t.weight.shape).int8s(),
                  weightScales: try tensor("\(name).weight_scale", t.bias.shape).floats(),
                  bias: try tensor("\(name).bias", t.bias.shape).int32s())
        }
        inputScale = try scale(Key.inputScale)
        inputZeroPoint = zp
        activationScales = try Key.activationScales.map(scale)
        try validate()
        // A file that says 7 bits must hold them: the vpmaddubsw loops rely on it.
        if let stated = f.value(Key.weightBits) {
            guard stated == "7" || stated == "8" else { throw LeNetError.format("metadata '\(Key.weightBits)' = '\(stated)' is not 7 or 8") }
            if stated == "7", weightBits != 7 { throw LeNetError.format("metadata '\(Key.weightBits)' says 7, but a weight lies outside -63...63") }
        }
    }
}
