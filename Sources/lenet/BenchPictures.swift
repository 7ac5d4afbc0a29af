import LeNetCore

/// `lenet bench --pictures FILE...`: the picture path against the decode it starts with.
/// The files are read into memory once; then, in rounds that alternate the two (A B A B),
/// libpng's decode alone (PNGCodec, no preprocessing) and the whole path (decode,
/// preprocessing, inference: DigitBatch and one classify call; with --read, reading the
/// number on each picture) run over every file, at each thread count. Reported: the median
/// round's files/s of each and their ratio.
extension Bench {
    struct PictureResult {
        var threads: Int
        var decodeFilesPerSecond: Double
        var pathFilesPerSecond: Double
        var ratio: Double

        var json: [String: Any] {
            ["threads": threads, "decode_files_per_second": decodeFilesPerSecond, "path_files_per_second": pathFilesPerSecond,
             "ratio": ratio]
        }
    }

    func runPictures(_ predictor: Predictor) throws {
        let pngs = try pictures.map { try FileIO.read($0, limit: DigitImage.maxFileSize) }
        let rounds = max(3, Int(seconds * 3))
        var results = [PictureResult]()
        if !json { print("\(pngs.count) pictures, \(pngs.reduce(0) { $0 + $1.count }) bytes; CPU: \(Self.cpuFeatures()); \(rounds) rounds") }
        for t in threads {
            var decode = [Double](), path = [Double]()
            for _ in 0..<rounds {
                decode.append(Double(pngs.count) / Self.time {
                    _ = DigitBatch.map(pngs.count, threads: t) { try PNGCodec.decodePixels(pngs[$0]) }
                })
                path.append(Double(pngs.count) / Self.time {
                    if read {
                        _ = DigitBatch.map(pngs.count, threads: t) { try predictor.read(png: pngs[$0]) }
                    } else {
                        let digits = DigitBatch.fromPNGs(pngs, threads: t).compactMap { try? $0.get() }
                        _ = predictor.classify(digits: digits.flatMap { $0 }, threads: t)
                    }
                })
            }
            decode.sort()
            path.sort()
            let r = PictureResult(threads: t, decodeFilesPerSecond: decode[rounds / 2], pathFilesPerSecond: path[rounds / 2],
                                  ratio: path[rounds / 2] / decode[rounds / 2])
            results.append(r)
            if !json {
                print(String(format: "threads %d: decode alone %9.0f files/s   picture to label %9.0f files/s   (%.3fx)",
                             t, r.decodeFilesPerSecond, r.pathFilesPerSecond, r.ratio))
            }
        }
        if json {
            print(JSONText.of(results.map(\.json)))
        }
    }
}
