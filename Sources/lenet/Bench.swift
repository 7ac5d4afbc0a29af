#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import LeNetCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure inference speed: batch-1 latency and images/s per batch size and thread count.",
        discussion: """
            Each measurement follows a warm-up and is the median of repeated timed runs within \
            --seconds. Inputs are MNIST test digits (from --data): by default normalised once \
            and passed as floats (as lenet_model_predict_f32 takes them); with --input u8 \
            passed as 28x28 bytes (as lenet_model_predict takes them), so each call also \
            normalises them.
            """)

    enum Input: String, ExpressibleByArgument, CaseIterable { case f32, u8 }

    @Argument(help: "The model (.lenet, .pth or .safetensors).")
    var model: String
    @Option(parsing: .upToNextOption, help: "Batch sizes.")
    var batch: [Int] = [1, 64, 1000]
    @Option(parsing: .upToNextOption, help: "Thread counts.")
    var threads: [Int] = [1, 2]
    @Option(help: "Time budget per measurement, in seconds.")
    var seconds = 1.0
    @Option(help: "Directory with the MNIST files (test images are the inputs).")
    var data = "data/mnist"
    @Option(help: "The input form: f32 (normalised floats) or u8 (28x28 digits).")
    var input = Input.f32
    @Flag(help: "Print the results as JSON.")
    var json = false
    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "Measure the picture path instead: these PNGs, decoded alone (libpng) and taken to a label, alternated in rounds (--seconds x 3 of them, at least 3), at each --threads.",
        valueName: "png"))
    var pictures: [String] = []
    @Flag(help: "With --pictures: the path is reading the number on each picture (lenet read) instead of one digit (lenet predict).")
    var read = false

    struct Result {
        var threads: Int
        var batch: Int
        var imagesPerSecond: Double
        var p50Microseconds: Double
        var p99Microseconds: Double
        var runs: Int

        var json: [String: Any] {
            ["threads": threads, "batch": batch, "images_per_second": imagesPerSecond, "p50_microseconds": p50Microseconds,
             "p99_microseconds": p99Microseconds, "runs": runs]
        }
    }

    func run() throws {
        guard batch.allSatisfy({ (1...100_000).contains($0) }) else { throw ValidationError("batch sizes must be 1 to 100000") }
        guard threads.allSatisfy({ (1...256).contains($0) }) else { throw ValidationError("thread counts must be 1 to 256") }
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
        let m = try Model.load(model)
        let predictor = try Predictor(m)
        if !pictures.isEmpty { return try runPictures(predictor) }
        let test = try DigitSet.mnist(directory: data, split: .test)
        let largest = batch.max() ?? 1
        // Inputs normalised once, so the loop times the network alone.
        var inputs = [Float](repeating: 0, count: largest * LeNet5.inputSize)
        test.images.withUnsafeBufferPointer { d in
            inputs.withUnsafeMutableBufferPointer { x in
                for i in 0..<largest {
                    m.normalization.input(from: d.baseAddress! + (i % test.count) * DigitSet.pixels, into: x.baseAddress! + i * LeNet5.inputSize)
                }
            }
        }
        let digits = (0..<largest).flatMap { i in test.images[((i % test.count) * DigitSet.pixels)..<((i % test.count + 1) * DigitSet.pixels)] }
        var logits = [Float](repeating: 0, count: largest * 10)
        var results = [Result]()
        let dtype = m.isInt8 ? "int8" : "f32"
        let kernels = Self.buildTarget + (m.integerLoops.map { "; int8 multiplies (\(m.weightBits ?? 8)-bit weights): \($0)" } ?? "")
        if !json { print("model: \(dtype), \(input.rawValue) inputs; CPU: \(Self.cpuFeatures()); kernels: \(kernels)") }
        for t in threads {
            for b in batch {
                let call = {
                    switch input {
                    case .f32:
                        inputs.withUnsafeBufferPointer { x in
                            predictor.logits(count: b, threads: t, into: &logits) { i, dst in
                                dst.update(from: x.baseAddress! + i * LeNet5.inputSize, count: LeNet5.inputSize)
                            }
                        }
                    case .u8:
                        digits.withUnsafeBufferPointer { d in predictor.logits(digits: d.baseAddress!, count: b, threads: t, into: &logits) }
                    }
                }
                let r = Self.measure(call, threads: t, batch: b, seconds: seconds)
                results.append(r)
                if !json {
                    print(String(format: "threads %d  batch %5d: %9.0f images/s   per call p50 %8.1f us  p99 %8.1f us  (%d runs)",
                                 t, b, r.imagesPerSecond, r.p50Microseconds, r.p99Microseconds, r.runs))
                }
            }
        }
        if json {
            print(JSONText.of(["model": model, "dtype": dtype, "input": input.rawValue, "cpu": Self.cpuFeatures(), "kernels": kernels,
                               "results": results.map(\.json)] as [String: Any]))
        }
    }

    /// Times `call` (one batch of `batch` images) after a warm-up: runs of calls long
    /// enough to time well (>= 2 ms), as many as `seconds` allows and at least 5; the rate
    /// is the median run's, the latencies are per call.
    static func measure(_ call: () -> Void, threads: Int, batch: Int, seconds: Double) -> Result {
        let warm = monotonicSeconds()
        while monotonicSeconds() - warm < min(0.2, seconds / 4) { call() }
        var perCall = [Double]()
        let end = monotonicSeconds() + seconds
        let callsPerRun = max(1, Int(0.002 / max(1e-7, time(call))))
        var runRates = [Double]()
        repeat {
            let start = monotonicSeconds()
            for _ in 0..<callsPerRun {
                let t0 = monotonicSeconds()
                call()
                perCall.append(monotonicSeconds() - t0)
            }
            runRates.append(Double(callsPerRun * batch) / (monotonicSeconds() - start))
        } while monotonicSeconds() < end || runRates.count < 5
        perCall.sort()
        runRates.sort()
        return Result(threads: threads, batch: batch, imagesPerSecond: runRates[runRates.count / 2],
                      p50Microseconds: perCall[perCall.count / 2] * 1e6, p99Microseconds: perCall[perCall.count * 99 / 100] * 1e6,
                      runs: runRates.count)
    }

    static func time(_ f: () -> Void) -> Double {
        let t0 = monotonicSeconds()
        f()
        return monotonicSeconds() - t0
    }

    /// The SIMD extensions /proc/cpuinfo reports that matter to the kernels.
    static func cpuFeatures() -> String {
        let fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "unknown" }
        defer { close(fd) }
        let info = String(decoding: FileIO.readStream(fd, limit: 16 << 20), as: UTF8.self)
        guard let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") || $0.hasPrefix("Features") })
        else { return "unknown" }
        let have = Set(flags.split(separator: " ").map(String.init))
        let wanted = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "asimd"]
        let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmedSpaces ?? ""
        return "\(model) [\(wanted.filter(have.contains).joined(separator: " "))]"
    }

    static var buildTarget: String {
        "\(KernelLevel.active.name) (available: \(KernelLevel.available.map(\.name).joined(separator: ", ")); LENET_CPU selects)"
    }
}
