import Foundation
import LeNetCore
import Testing

/// Many pictures over the worker pool give what one at a time gives: the same bytes and the
/// same errors, in input order, whatever the thread count.
@Suite struct DigitBatchTests {
    static let files: [String] = {
        let suite = repositoryRoot + "/Tests/Fixtures/pngsuite/png"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: suite)) ?? []
        // The suite's good and broken files, the samples, a blank page, a text file and a missing one.
        return names.sorted().map { suite + "/" + $0 }
            + ["digit-7-mnist-gray8.png", "digit-2-paper-rgb8.png", "digit-4-page-palette4.png"].map { repositoryRoot + "/samples/" + $0 }
            + [repositoryRoot + "/Tests/Fixtures/blank-white.png", repositoryRoot + "/README.md", "/nonexistent.png"]
    }()

    func description(_ r: Result<[UInt8], any Error>) -> String {
        switch r {
        case .success(let digit): return "\(digit)"
        case .failure(let error): return "error: \(error)"
        }
    }

    @Test func aBatchEqualsOneAtATimeOnAnyThreadCount() throws {
        #expect(Self.files.count > 150)
        let alone = Self.files.map { f in description(Result { try DigitImage.fromPNGFile(f) }) }
        #expect(alone.contains { $0.hasPrefix("error") } && alone.contains { !$0.hasPrefix("error") })
        for threads in [1, 2, 4] {
            #expect(DigitBatch.fromPNGFiles(Self.files, threads: threads).map(description) == alone, "\(threads) threads")
        }
        let bytes = try Self.files.prefix(40).map { try FileIO.read($0) }
        let fromBytes = DigitBatch.fromPNGs(bytes, threads: 2).map(description)
        #expect(fromBytes == bytes.map { b in description(Result { try DigitImage.fromPNG(b) }) })
        #expect(DigitBatch.fromPNGFiles([], threads: 2).isEmpty)
    }

    /// Numbers read from files over the pool (`lenet read`, `lenet_model_read_png_files`)
    /// equal each file read alone, errors naming their file, on any thread count.
    @Test func numbersFromFilesEqualOneAtATimeOnAnyThreadCount() throws {
        let predictor = ReadingTests.predictor, easy = ReadingTests.easy
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lenet-numbers-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var files = [String]()
        for k in 0..<6 {
            let (picture, _) = ReadingTests().number(Array(easy[(3 * k)..<(3 * k + 3)]), gaps: [12 + k, 20 - k])
            files.append(dir + "/\(k).png")
            try FileIO.writeAtomically(files[k], PNGCodec.encodeGray(picture))
        }
        files += [repositoryRoot + "/samples/digit-7-mnist-gray8.png", repositoryRoot + "/README.md", "/nonexistent.png"]
        func description(_ r: Result<[ReadDigit], any Error>) -> String {
            switch r {
            case .success(let digits): return "\(digits)"
            case .failure(let error): return "error: \(error)"
            }
        }
        let alone = files.map { f in description(Result { try DigitImage.withFile(f) { try predictor.read(png: $0) } }) }
        #expect(alone.filter { $0.hasPrefix("error") }.count == 2 && alone[1].contains("label"))
        #expect(alone[7].contains("README.md"))
        for threads in [1, 2, 4] {
            #expect(predictor.read(pngFiles: files, threads: threads).map(description) == alone, "\(threads) threads")
        }
    }
}
