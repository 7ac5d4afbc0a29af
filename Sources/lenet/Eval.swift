import LeNetCore
import LeNetPictures

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a model on MNIST's test set or on your own labelled pictures: accuracy, per-class accuracy, confusion matrix.",
        discussion: """
            --images DIR evaluates on pictures instead: DIR/labels.csv (lines file,label) or \
            subfolders 0 to 9 of PNGs. Each picture goes through the preprocessing `lenet \
            predict` uses; one that cannot be read (no ink, not a PNG) counts as wrong and is \
            listed. --confusion and --errors draw the results as PNGs.
            """)

    @Argument(help: "The model (.lenet, float or int8; .pth; .safetensors).")
    var model: String
    @Option(help: "Directory with the MNIST files.")
    var data = "data/mnist"
    @Option(help: ArgumentHelp("Evaluate on the labelled pictures in this folder instead of MNIST's test set.", valueName: "dir"))
    var images: String?
    @Option(help: "Evaluate the first N images only.")
    var limit: Int?
    @Option(help: "Worker threads (default: LENET_NUM_THREADS, else all cores).")
    var threads: Int?
    @Flag(help: "Print the results as JSON.")
    var json = false
    @Option(help: "Also write the logits (images x 10 little-endian float32) to this file.")
    var logits: String?
    @Option(help: ArgumentHelp("Write a PNG of the misread digits (up to 400): what the model saw, the picture it came from (with --images), true > guess and the guess's probability.", valueName: "png"))
    var errors: String?
    @Option(help: ArgumentHelp("Write the confusion matrix as a PNG heat map with counts.", valueName: "png"))
    var confusion: String?

    func run() throws {
        let threadCount = try resolveThreads(threads)
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        let predictor = try Predictor(Model.load(model))
        var set = try images.map { try Self.pictures($0, limit: limit, threads: threadCount) } ?? Self.mnist(data, limit: limit)
        guard set.count + set.unreadable.count > 0 else { throw ValidationError("the test set in \(data) holds no images: there is nothing to evaluate") }

        let start = monotonicSeconds()
        let z = set.digits.withUnsafeBufferPointer { predictor.logits(digits: $0, threads: threadCount) }
        let seconds = monotonicSeconds() - start
        let answers = predictor.classify(logits: z)
        if let logits { try FileIO.writeAtomically(logits, z.withUnsafeBytes { Array($0) }) }
        let matrix = ConfusionMatrix(truth: set.labels, predicted: answers.map(\.label))
        let images = matrix.total + set.unreadable.count
        let accuracy = Double(matrix.correct) / Double(images)
        let title = (self.images.map { Paths.lastComponent($0) + ", " } ?? "") + Paths.lastComponent(model)
        if let confusion {
            try FileIO.writeAtomically(confusion, ConfusionPicture(matrix, title: title).canvas.png())
        }
        if let errors {
            let wrong = (0..<set.count).filter { answers[$0].label != Int(set.labels[$0]) }.prefix(400)
            let entries = wrong.map { i in
                ErrorGrid.Entry(seen: Array(set.digits[(i * 784)..<((i + 1) * 784)]), truth: Int(set.labels[i]), predicted: answers[i].label,
                                probability: Double(answers[i].probabilities[answers[i].label]),
                                original: set.files.isEmpty ? nil : (try? PNGCodec.decodeGray(FileIO.read(set.files[i], limit: 256 << 20))).map { ErrorGrid.thumbnail($0) })
            }
            try FileIO.writeAtomically(errors, ErrorGrid(Array(entries)).canvas.png())
        }
        set.digits = []
        if json {
            var object: [String: Any] = [
                "model": model, "images": images, "correct": matrix.correct, "accuracy": accuracy,
                "per_class_accuracy": matrix.perClassAccuracy, "confusion": matrix.counts, "seconds": seconds,
            ]
            if let dir = self.images {
                object["pictures"] = dir
                object["unreadable"] = set.unreadable.map { ["file": $0.file, "error": $0.error] }
            }
            Terminal.printJSON(object)
            return
        }
        print(String(format: "accuracy %.2f%% (%d/%d) in %.2fs, %.0f images/s", accuracy * 100, matrix.correct, images,
                     seconds, Double(matrix.total) / seconds))
        if !set.unreadable.isEmpty {
            print("\(set.unreadable.count) picture(s) could not be read and count as wrong:")
            for u in set.unreadable.prefix(20) {
                // Errors from reading a file already start with its path.
                print("  " + Terminal.printable(u.error.hasPrefix(u.file) ? u.error : "\(u.file): \(u.error)"))
            }
            if set.unreadable.count > 20 { print("  ... and \(set.unreadable.count - 20) more (all in --json)") }
        }
        print("per class: " + matrix.perClassAccuracy.enumerated().map { d, share in
            matrix.counts[d].reduce(0, +) == 0 ? "\(d) -" : String(format: "%d %.2f%%", d, share * 100)
        }.joined(separator: "  "))
        print("confusion (rows: true digit, columns: predicted)")
        print("     " + (0..<10).map { String(format: "%5d", $0) }.joined())
        for t in 0..<10 { print(String(format: "%5d", t) + matrix.counts[t].map { String(format: "%5d", $0) }.joined()) }
    }

    /// What is evaluated: 28x28 digits and their labels; for pictures, the files they came
    /// from and the ones that could not be read.
    struct EvalSet {
        var digits: [UInt8] = [], labels: [UInt8] = [], files: [String] = []
        var unreadable: [(file: String, error: String)] = []
        var count: Int { labels.count }
    }

    static func mnist(_ data: String, limit: Int?) throws -> EvalSet {
        let test = try DigitSet.mnist(directory: data, split: .test).prefix(limit)
        return EvalSet(digits: test.images, labels: test.labels)
    }

    /// The labelled pictures of a folder, read on `threads` cores at once.
    static func pictures(_ folder: String, limit: Int?, threads: Int) throws -> EvalSet {
        let listed = try LabelledPictures.load(folder)
        let pairs = Array(zip(listed.files, listed.labels).prefix(limit ?? Int.max))
        var set = EvalSet()
        for start in stride(from: 0, to: pairs.count, by: Predict.chunk) {
            let chunk = pairs[start..<min(pairs.count, start + Predict.chunk)]
            for ((file, label), result) in zip(chunk, DigitBatch.fromPNGFiles(chunk.map(\.0), threads: threads)) {
                switch result {
                case .success(let digit):
                    set.digits += digit
                    set.labels.append(label)
                    set.files.append(file)
                case .failure(let error):
                    set.unreadable.append((file, "\(error)"))
                }
            }
        }
        return set
    }
}
