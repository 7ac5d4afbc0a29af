import ArgumentParser
import Foundation
import LeNetCore

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a model on the MNIST test set: accuracy, per-class accuracy, confusion matrix.")

    @Argument(help: "The model (.lenet, float or int8; .pth; .safetensors).")
    var model: String
    @Option(help: "Directory with the MNIST files.")
    var data = "data/mnist"
    @Option(help: "Evaluate the first N test images only.")
    var limit: Int?
    @Option(help: "Worker threads (default: LENET_NUM_THREADS, else all cores).")
    var threads: Int?
    @Flag(help: "Print the results as JSON.")
    var json = false
    @Option(help: "Also write the logits (images x 10 little-endian float32) to this file.")
    var logits: String?
    @Option(help: "Write a PNG grid of the misclassified digits (up to 400), each labelled true>predicted.")
    var errors: String?

    func run() throws {
        let threadCount = try resolveThreads(threads)
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        let m = try Model.load(model)
        let predictor = try Predictor(m)
        let test = try DigitSet.mnist(directory: data, split: .test).prefix(limit)
        guard test.count > 0 else { throw ValidationError("the test set in \(data) holds no images: there is nothing to evaluate") }
        let start = monotonicSeconds()
        let z = test.images.withUnsafeBufferPointer { predictor.logits(digits: $0, threads: threadCount) }
        let seconds = monotonicSeconds() - start
        let predicted = (0..<test.count).map { i in z.withUnsafeBufferPointer { LeNet5.argmax($0.baseAddress! + i * 10, 10) } }
        if let logits {
            try FileIO.writeAtomically(logits, z.withUnsafeBytes { Array($0) })
        }
        if let errors {
            let wrong = (0..<test.count).filter { predicted[$0] != Int(test.labels[$0]) }.prefix(400)
            let grid = ErrorGrid.image(digits: wrong.map { Array(test.images[($0 * 784)..<(($0 + 1) * 784)]) },
                                       truth: wrong.map { Int(test.labels[$0]) }, predicted: wrong.map { predicted[$0] })
            try FileIO.writeAtomically(errors, PNGCodec.encodeGray(grid))
        }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        for (p, t) in zip(predicted, test.labels) { confusion[Int(t)][Int(p)] += 1 }
        let correct = (0..<10).reduce(0) { $0 + confusion[$1][$1] }
        let accuracy = Double(correct) / Double(test.count)
        let perClass = (0..<10).map { c -> Double in
            let n = confusion[c].reduce(0, +)
            return n == 0 ? 0 : Double(confusion[c][c]) / Double(n)
        }
        if json {
            let object: [String: Any] = [
                "model": model, "images": test.count, "correct": correct, "accuracy": accuracy,
                "per_class_accuracy": perClass, "confusion": confusion, "seconds": seconds,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print(String(format: "accuracy %.2f%% (%d/%d) in %.2fs, %.0f images/s", accuracy * 100, correct, test.count,
                     seconds, Double(test.count) / seconds))
        print("per class: " + perClass.enumerated().map { String(format: "%d %.2f%%", $0, $1 * 100) }.joined(separator: "  "))
        print("confusion (rows: true digit, columns: predicted)")
        print("     " + (0..<10).map { String(format: "%5d", $0) }.joined())
        for t in 0..<10 { print(String(format: "%5d", t) + confusion[t].map { String(format: "%5d", $0) }.joined()) }
    }
}
