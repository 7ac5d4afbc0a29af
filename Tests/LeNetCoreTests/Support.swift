import LeNetCore
#if canImport(Glibc)
import Glibc
#endif

/// The repository root, found from this file's path, so tests read the vendored MNIST.
let repositoryRoot: String = {
    var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/LeNetCoreTests/Support.swift
    return parts.joined(separator: "/")
}()

let mnistDirectory = repositoryRoot + "/data/mnist"

/// MNIST loads once per test process; each split is ~50 MB decompressed.
let mnistTrain: DigitSet = try! DigitSet.mnist(directory: mnistDirectory, split: .train)
let mnistTest: DigitSet = try! DigitSet.mnist(directory: mnistDirectory, split: .test)

func randomFloats(_ n: Int, _ rng: inout Xoshiro256, _ low: Float = -1, _ high: Float = 1) -> [Float] {
    (0..<n).map { _ in rng.nextFloat(low, high) }
}

/// Largest |a - b| relative to max(1, |b|).
func maxRelativeError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
}

/// A fresh path in $TMPDIR (else /tmp), as the machine running the tests provides it.
func temporaryPath(_ name: String) -> String {
    let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    return "\(directory)/lenet-tests-\(name)-\(UInt64.random(in: 0...UInt64.max))"
}
