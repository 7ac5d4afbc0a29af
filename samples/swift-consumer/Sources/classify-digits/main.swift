// Train a small model, save and reload it, quantize it, and classify PNGs and MNIST's test
// digits with both: the whole public surface a Swift user needs.
//
//     classify-digits DATA_DIR OUT_DIR [PNG...]
import LeNetCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: classify-digits DATA_DIR OUT_DIR [PNG...]")
    exit(2)
}
let dataDirectory = arguments[1], outDirectory = arguments[2]

do {
    let train = try DigitSet.mnist(directory: dataDirectory, split: .train).prefix(6_000)
    let test = try DigitSet.mnist(directory: dataDirectory, split: .test).prefix(2_000)

    var options = TrainingOptions()
    options.epochs = 1
    let trainer = try Trainer(options: options)
    var trained: Model?
    try trainer.run(train: train, test: test) { report, model in
        print("epoch \(report.epoch): test accuracy \(report.testAccuracy ?? 0)")
        trained = model
    }
    guard let trained else { fatalError("training produced no model") }

    let path = outDirectory + "/swift-consumer.lenet"
    try trained.save(path)
    let model = try Model.load(path)
    let int8 = try model.quantized(calibration: train.prefix(500))
    for (name, m) in [("f32", model), ("int8", int8)] {
        let predictor = try Predictor(m)
        let answers = predictor.classify(digits: test.images)
        let correct = zip(answers, test.labels).filter { $0.label == Int($1) }.count
        print("\(name): \(correct) of \(test.count) test digits correct")
        // One thread, median of 5: how this build's kernels compare (portable vs per-CPU).
        var rates: [Double] = []
        for _ in 0..<5 {
            var start = timespec(), end = timespec()
            clock_gettime(CLOCK_MONOTONIC, &start)
            _ = predictor.classify(digits: test.images, threads: 1)
            clock_gettime(CLOCK_MONOTONIC, &end)
            rates.append(Double(test.count) / (Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) * 1e-9))
        }
        print("\(name): \(Int(rates.sorted()[2])) digits/s on one thread")
        for png in arguments.dropFirst(3) {
            let answer = try predictor.classify(pngFile: png)
            print("\(name): \(png) is a \(answer.label) (p = \(answer.probabilities[answer.label]))")
        }
    }
    print("lenet \(lenetVersionString), kernels \(KernelLevel.active.name)")
} catch {
    print("classify-digits: \(error)")
    exit(1)
}
