import LeNetCore

/// The trained model the suites share (dispatch, classification, reading, PNGs,
/// quantization): trained once per test process, three epochs over MNIST's 60,000 training
/// digits with the library's defaults otherwise, pen digits and touching pairs among them
/// (the reader's costs expect a model unsure of an uncut pair). Two epochs read 96.8% of
/// the PNG suite's 600 pictures, three the 97% it asks for. Suites that test training
/// or checkpoints train their own, smaller ones.
enum Fixtures {
    static let trained: Model = {
        var o = TrainingOptions()
        o.epochs = 3
        // Not augmented: two augmented epochs converge less far than two plain ones. Pen
        // digits and touching pairs as the default has them: pairs alone, all written by
        // the stroke model, would teach that its hand is no digit.
        o.augment = false
        let t = try! Trainer(options: o, threads: 2)
        try! t.run(train: mnistTrain, test: nil) { _, _ in }
        return Model(parameters: t.parameters)
    }()
}
