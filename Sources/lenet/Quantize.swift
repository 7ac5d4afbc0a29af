import LeNetCore

struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make an int8 model from a float one (post-training static quantization).",
        discussion: """
            Runs the float model on --calibration-images training images to find each \
            activation's range, then stores weights as int8 with one scale per output channel \
            (symmetric) and activations as uint8 with one scale per tensor. The int8 model is a \
            .lenet file that eval, predict, bench, the C library and the Python package load \
            like any other; it runs on integer kernels (int32 sums, fixed-point \
            requantization). Prints float and int8 test accuracy and both file sizes.
            """)

    @Argument(help: "The float model (.lenet, .pth or .safetensors).")
    var model: String
    @Option(name: .shortAndLong, help: "Where to write the int8 model (.lenet).")
    var output: String
    @Option(help: "How many training images calibrate the activation ranges (the first N).")
    var calibrationImages = 1000
    @Option(help: "Directory with the MNIST files.")
    var data = "data/mnist"
    @Option(help: "Worker threads for the accuracy check (default: LENET_NUM_THREADS, else all cores).")
    var threads: Int?
    @Option(help: "Weight width: 7 (-63...63: the fast vpmaddubsw loops on AVX2 CPUs without VNNI, the same answers on every CPU) or 8 (-127...127). (default: 7)")
    var weightBits = 7
    @Flag(help: "Print the results as JSON.")
    var json = false

    func run() throws {
        let threadCount = try resolveThreads(threads)
        guard (1...60_000).contains(calibrationImages) else { throw ValidationError("--calibration-images must be 1 to 60000") }
        guard weightBits == 7 || weightBits == 8 else { throw ValidationError("--weight-bits must be 7 or 8") }
        guard Model.FileFormat.forPath(output) == .lenet else { throw ValidationError("the output must be a .lenet file: '\(output)'") }
        let float = try Model.load(model)
        guard !float.isInt8 else { throw ValidationError("\(model) is already an int8 model") }
        let train = try DigitSet.mnist(directory: data, split: .train).prefix(calibrationImages)
        let test = try DigitSet.mnist(directory: data, split: .test)

        let start = monotonicSeconds()
        var int8 = try train.images.withUnsafeBufferPointer { try float.quantized(calibration: $0, weightBits: weightBits) }
        let seconds = monotonicSeconds() - start
        let floatAccuracy = try accuracy(float, test, threadCount)
        let int8Accuracy = try accuracy(int8, test, threadCount)
        int8.info += [("accuracy.test", "\(int8Accuracy)"), ("quantization.float_accuracy.test", "\(floatAccuracy)")]
        let inference = float.withoutTrainingState()  // compare like with like: no optimizer state
        let floatBytes = try inference.encoded(as: .lenet).count, int8Bytes = try int8.encoded(as: .lenet).count
        try int8.save(output, format: .lenet)

        if json {
            let object: [String: Any] = [
                "model": model, "output": output, "calibration_images": train.count, "test_images": test.count,
                "float_accuracy": floatAccuracy, "int8_accuracy": int8Accuracy, "float_bytes": floatBytes, "int8_bytes": int8Bytes,
                "seconds": seconds,
            ]
            print(JSONText.of(object))
            return
        }
        print(String(format: "calibrated on %d training images in %.2fs", train.count, seconds))
        print(String(format: "test accuracy: float %.2f%%, int8 %.2f%% (%+.2f pp) on %d images", floatAccuracy * 100, int8Accuracy * 100,
                     (int8Accuracy - floatAccuracy) * 100, test.count))
        print(String(format: "size: float %d bytes (.lenet, without training state), int8 %d bytes (%.1f%%)", floatBytes, int8Bytes,
                     Double(int8Bytes) / Double(floatBytes) * 100))
        print("wrote \(output)")
    }

    private func accuracy(_ m: Model, _ test: DigitSet, _ threads: Int) throws -> Double {
        try Predictor(m).evaluate(test, threads: threads).accuracy
    }
}
