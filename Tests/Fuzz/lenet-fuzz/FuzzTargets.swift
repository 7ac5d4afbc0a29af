// libFuzzer targets, one per kind of untrusted input. One binary holds them all; the
// environment variable LENET_FUZZ_TARGET picks one (`make fuzz TARGET=...` sets it, and
// `make test-fuzz-replay` runs every corpus file through every target). Built with
// `swift build --sanitize=fuzzer --sanitize=address` (Makefile: fuzz-build), so the whole
// engine is instrumented for coverage and checked by AddressSanitizer.
import LeNetCore

#if canImport(Glibc)
import Glibc
#endif

/// What each target does with the bytes. Errors are the expected outcome for most inputs:
/// a finding is a crash, a sanitizer report, a leak, a timeout or a blow-up in memory.
let targets: [String: @Sendable ([UInt8]) -> Void] = [
    // Content-sniffed model bytes: .lenet, .pth or .safetensors, as lenet_model_load reads them.
    "model": { bytes in
        if let m = try? Model.load(bytes: bytes, limits: fuzzLimits) { _ = try? Predictor(m).classify(digits: probe) }
    },
    // The .lenet container. The CRC is recomputed first, or almost every mutation would stop
    // at the checksum and the parser behind it would never be reached.
    "lenet": { bytes in
        var b = bytes
        if b.count >= 52 {
            let crc = b.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(b.count - 4)])) }
            withUnsafeBytes(of: crc.littleEndian) { b.replaceSubrange((b.count - 4)..., with: $0) }
        }
        if let f = try? CheckpointFile(decoding: b), let m = try? Model(checkpoint: f) {
            _ = try? m.encoded(as: .lenet)
            _ = try? m.history()
            _ = try? Predictor(m).classify(digits: probe)
        }
    },
    // A PyTorch zip with its pickle, and the pickle alone (most mutations of a zip break a CRC).
    "pth": { bytes in _ = try? PyTorchCheckpoint.stateDict(bytes, limits: fuzzLimits) },
    "pickle": { bytes in _ = try? PyTorchCheckpoint.stateDict(PyTorchWriter.zip([("archive/data.pkl", bytes)]), limits: fuzzLimits) },
    "safetensors": { bytes in _ = try? Safetensors.read(bytes, limits: fuzzLimits) },
    // A PNG through libpng and the MNIST preprocessing, at limits that fit the fuzzer's RSS cap.
    // Also cut into the digits of a number, and laid out as a page of numbers each cut from
    // its own crop, as `lenet read` does (without the model: every part of a crop is taken
    // for one the model doubts, so every part's cuts are made).
    "png": { bytes in
        let limits = ImageLimits(maxWidth: 4096, maxHeight: 4096, maxPixels: 4 << 20)
        _ = try? DigitImage.fromPNG(bytes, limits: limits)
        // A number's cuts: upright, along the hand's own slant, and along a strong one.
        if let image = try? PNGCodec.decodeGray(bytes, limits: limits), let found = try? NumberSegmentation.ink(image) {
            for slant in Set([0, found.slant, 0.8]) { _ = try? NumberSegmentation.lattice(found, slant: slant) }
            for number in found.layout.numbers.prefix(8) {
                let alone = found.number(number)
                _ = try? NumberSegmentation.lattice(alone, slant: alone.slant, unsure: { $0.map { _ in true } })
            }
        }
    },
    // The training history a checkpoint's metadata carries (CSV text, read by inspect and plot).
    "history": { bytes in _ = try? TrainingHistory(decoding: String(decoding: bytes, as: UTF8.self)) },
    "values": valuesTarget,
    "plot": plotTarget,
    "idx": { bytes in _ = try? IDXArray(parsing: bytes, limit: 64 << 20) },
    // Raw pixels as lenet_image_to_digit takes them: a 7-byte header (format; width, height
    // and stride as little-endian 16-bit numbers), then the buffer, copied to its own
    // allocation so that AddressSanitizer sees any read past its end.
    "pixels": { bytes in
        guard bytes.count >= 7 else { return }
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        let format = PixelFormat.allCases[Int(bytes[0]) % PixelFormat.allCases.count]
        let pixels = Array(bytes[7...])
        _ = pixels.withUnsafeBytes {
            try? DigitImage.fromPixels($0, width: u16(1), height: u16(3), stride: u16(5), format: format)
        }
    },
]

/// Small enough that a file which would make the loader take more is a finding under
/// libFuzzer's -rss_limit_mb=256.
let fuzzLimits = LoadLimits(maxBytes: 16 << 20)
let probe = [UInt8](repeating: 128, count: 784)

nonisolated(unsafe) var selected: (@Sendable ([UInt8]) -> Void)?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    let name = getenv("LENET_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = targets[name] else {
        print("set LENET_FUZZ_TARGET to one of: \(targets.keys.sorted().joined(separator: ", "))")
        exit(2)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    selected?(bytes)
    return 0
}
