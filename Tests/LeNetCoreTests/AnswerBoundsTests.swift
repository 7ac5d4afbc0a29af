import LeNetCore
import Testing

/// "A model that loads always answers" (SECURITY.md): models whose every number is finite
/// and whose checksum holds, but which would answer NaN, infinity or one class for every
/// picture, are refused on every way in; the models lenet and PyTorch make are not.
@Suite struct AnswerBoundsTests {
    static let float = Fixtures.trained
    static let int8 = try! Fixtures.trained.quantized(calibration: mnistTrain.prefix(500))

    /// The model's file with `change` applied to its container, loaded: the refusal's text, or nil.
    func refusal(of model: Model = float, _ change: (inout CheckpointFile) -> Void) throws -> String? {
        var f = model.checkpoint
        change(&f)
        do {
            _ = try Model.load(bytes: try f.encoded())
            return nil
        } catch let e as LeNetError {
            guard case .format = e else { return "wrong kind: \(e)" }
            return e.description
        }
    }

    func setFloats(_ f: inout CheckpointFile, _ name: String, _ value: (Float) -> Float) {
        let i = f.tensors.firstIndex { $0.name == name }!
        let t = f.tensors[i]
        f.tensors[i] = .init(name: name, shape: t.shape, floats: try! t.floats().map(value))
    }

    func setMetadata(_ f: inout CheckpointFile, _ key: String, _ value: String) {
        f.metadata[f.metadata.firstIndex { $0.key == key }!].value = value
    }

    @Test func theModelsLenetAndPyTorchMakeAreAccepted() throws {
        try Self.float.checkAnswers()
        try Self.int8.checkAnswers()
        #expect(try refusal { _ in } == nil)
        #expect(try refusal(of: Self.int8) { _ in } == nil)
        for name in ["lenet_seed.pth", "lenet_seed_deflated.pth", "lenet_seed_module_f64.pth", "lenet_seed.safetensors"] {
            _ = try Model.load(InteropTests.dir + name)
        }
        // PyTorch's initialisation, and a model trained with augmentation.
        try Model(parameters: LeNet5.initialParameters(seed: 7)).checkAnswers()
        var o = TrainingOptions()
        o.epochs = 1
        o.augment = true
        let t = try Trainer(options: o, threads: 2)
        try t.run(train: mnistTrain.prefix(3_000), test: nil) { _, model in try Model.load(bytes: model.encoded(as: .lenet)).checkAnswers() }
    }

    @Test(arguments: [("conv1.weight", Float(1e38)), ("fc1.weight", 3e38), ("fc3.bias", 3e38), ("conv2.weight", 1e36)])
    func floatWeightsThatOverflowAreRefusedNamingTheTensor(name: String, value: Float) throws {
        let why = try #require(try refusal { setFloats(&$0, name, { _ in value }) })
        #expect(why.contains("beyond float's range"), "\(why)")
        #expect(why.contains(name.hasSuffix("bias") ? String(name.dropLast(4)) : name), "\(why)")
    }

    @Test func aLayerThatIsDeadForEveryInputIsRefused() throws {
        // Every fc2 output is negative whatever its inputs: after the ReLU, one answer for every picture.
        let why = try #require(try refusal {
            setFloats(&$0, "fc2.weight", { _ in 0 })
            setFloats(&$0, "fc2.bias", { _ in -1 })
        })
        #expect(why.contains("every output of fc2 is the same"), "\(why)")
    }

    @Test(arguments: [
        ("normalization.std", "1e-40"), ("normalization.std", "0x1p-140"), ("normalization.std", "3e38"),
        ("normalization.mean", "1e38"), ("normalization.std", "inf"), ("normalization.mean", "nan"), ("normalization.std", "+0.3"),
        ("normalization.std", " 0.3"), ("normalization.std", "0"), ("normalization.std", "-0.3"),
    ])
    func normalisationsOutsideTheirRangeOrSpellingAreRefused(key: String, value: String) throws {
        #expect(try refusal { setMetadata(&$0, key, value) } != nil)
    }

    @Test func normalisationsInsideTheRangeAreAccepted() throws {
        for (mean, std) in [("0.5", "0.5"), ("0", "1"), ("-2.5E+2", "1e-3"), (".25", "1000")] {
            #expect(try refusal {
                setMetadata(&$0, "normalization.mean", mean)
                setMetadata(&$0, "normalization.std", std)
            } == nil, "\(mean) \(std)")
        }
    }

    @Test func int8ScalesAndBiasesThatBreakTheArithmeticAreRefused() throws {
        let fc3 = try #require(try refusal(of: Self.int8) { setFloats(&$0, "fc3.weight_scale", { _ in 1e38 }) })
        #expect(fc3.contains("fc3"), "\(fc3)")
        let logits = try #require(try refusal(of: Self.int8) { setFloats(&$0, "fc3.weight_scale", { _ in 1e36 }) })
        #expect(logits.contains("fc3"), "\(logits)")
        // A denormal input scale, whether spelled in the metadata or reached as a weight scale.
        let denormal = try #require(try refusal(of: Self.int8) { setMetadata(&$0, "quantization.input.scale", "1e-40") })
        #expect(denormal.contains("quantization.input.scale"), "\(denormal)")
        let weightScale = try #require(try refusal(of: Self.int8) { setFloats(&$0, "fc3.weight_scale", { _ in 1e-40 }) })
        #expect(weightScale.contains("not a normal float"), "\(weightScale)")
        // Biases at the limit saturate every conv1 code: one answer whatever the picture.
        let biased = try #require(try refusal(of: Self.int8) { f in
            let i = f.tensors.firstIndex { $0.name == "conv1.bias" }!
            var w = [UInt8]()
            for _ in 0..<6 { w += [0, 0, 0, 0x40] }  // 2^30, little-endian
            f.tensors[i].data = w
        })
        #expect(biased.contains("every output of conv1 is the same"), "\(biased)")
    }

    @Test func everyWayInChecks() throws {
        var huge = Self.float.parameters
        for i in 0..<25 { huge[i] = 1e38 }
        // The Swift API's own models, state_dicts and safetensors, and the quantize service.
        #expect(throws: LeNetError.self) { try Predictor(Model(parameters: huge)) }
        let dict = Dictionary(uniqueKeysWithValues: Model(parameters: huge).stateDict.map { ($0.name, $0.tensor) })
        #expect(throws: LeNetError.self) { try Model(stateDict: dict) }
        #expect(throws: LeNetError.self) { try Model.load(bytes: Model(parameters: huge).encoded(as: .safetensors)) }
        #expect(throws: LeNetError.self) { try Model.load(bytes: Model(parameters: huge).encoded(as: .pytorch)) }
        // A safetensors file whose normalisation is there but invalid is refused, not given MNIST's.
        let file = Safetensors.write(Self.float.stateDict, metadata: [("normalization.mean", "0.1"), ("normalization.std", "1e-40")])
        #expect(throws: LeNetError.self) { try Model.load(bytes: file) }
        #expect(throws: LeNetError.self) { try Normalization(mean: 0, std: 1e-40).problem.map { throw LeNetError.invalidArgument($0) } }
        var options = TrainingOptions()
        options.normalization = Normalization(mean: 0, std: 3e38)
        #expect(throws: LeNetError.self) { try options.validate() }
    }

    @Test func metadataNumbersHaveOneSpelling() {
        for good in ["0", "-2", "0.1307", "1e-05", "3.5E+20", ".5", "-0.0"] { #expect(MetadataNumber.float(good) != nil, "\(good)") }
        for bad in ["", "-", ".", "e5", "0x1p-3", "inf", "-inf", "nan", "+1", " 1", "1 ", "1e", "1e+", "1_0", "1e-40", "1e39", "١"] {
            #expect(MetadataNumber.float(bad) == nil, "\(bad)")
        }
        #expect(MetadataNumber.integer("-12", as: Int32.self) == -12)
        for bad in ["+1", "1.0", "1e2", "0x10", " 3", "99999999999"] { #expect(MetadataNumber.integer(bad, as: Int32.self) == nil, "\(bad)") }
    }
}
