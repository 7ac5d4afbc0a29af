import LeNetCore

/// The trained model the suites share (dispatch, classification, reading, PNGs,
/// quantization): trained once per test process, two epochs over MNIST's 60,000 training
/// digits with the library's defaults otherwise (one epoch reads 96% of the PNG suite's
/// 600 pictures, two the 97% it asks for). Suites that test training or checkpoints train
/// their own, smaller ones.
enum Fixtures {
    static let trained: Model = {
        var o = TrainingOptions()
        o.epochs = 2
        // MNIST alone, as the tests' thresholds were set for: two augmented epochs with pen
        // digits converge less far than two plain ones.
        o.augment = false
        o.penShare = 0
        let t = try! Trainer(options: o, threads: 2)
        try! t.run(train: mnistTrain, test: nil) { _, _ in }
        return Model(parameters: t.parameters)
    }()
}
