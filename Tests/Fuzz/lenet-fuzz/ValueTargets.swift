// The two targets that mutate numbers rather than bytes: `values` changes the values of a
// valid model (floats, scales, biases, zero points, metadata numbers) and asserts that the
// loader refuses it or that it answers finitely; `plot` draws training curves from
// arbitrary doubles. Byte mutations rarely reach either: a flipped byte of a model file
// breaks its checksum, and a history is text.
import LeNetCore
import LeNetPictures

#if canImport(Glibc)
import Glibc
#endif

/// The valid models every `values` input starts from: PyTorch's initialisation (a float
/// model that answers) and its int8 version, calibrated on random digits.
let baseModels: [CheckpointFile] = {
    let float = Model(parameters: LeNet5.initialParameters(seed: 3))
    var rng = Xoshiro256(seed: 4)
    let digits = (0..<(16 * 784)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let int8 = try! digits.withUnsafeBufferPointer { try float.quantized(calibration: $0) }
    return [float.checkpoint, int8.checkpoint]
}()

/// The fixed digits every accepted model must answer finitely: blank, full, a stripe pattern, noise.
let valueProbe: [UInt8] = {
    var rng = Xoshiro256(seed: 9)
    return [UInt8](repeating: 0, count: 784) + [UInt8](repeating: 255, count: 784)
        + (0..<784).map { $0 % 28 < 14 ? 0 : 255 } + (0..<784).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
}()

/// Applies 9-byte records (kind, a 32-bit index, a 32-bit value) to one of the base models,
/// the first byte choosing which.
func valuesTarget(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    var f = baseModels[Int(first) % baseModels.count]
    var i = 1
    // A few dozen changes reach every case; a corpus file of another target replayed here
    // would otherwise be thousands.
    while i + 9 <= bytes.count, i < 1 + 9 * 64 {
        let kind = Int(bytes[i]), index = Int(word(bytes, i + 1)), bits = word(bytes, i + 5)
        mutate(&f, kind: kind, index: index, bits: bits, text: Array(bytes[(i + 5)..<(i + 9)]))
        i += 9
    }
    guard let model = try? Model(checkpoint: f), let predictor = try? Predictor(model) else { return }
    for c in predictor.classify(digits: valueProbe, threads: 1) {
        if !(c.probabilities + [Float(c.label)]).allSatisfy(\.isFinite) {
            print("an accepted model answered \(c.probabilities)")
            abort()
        }
    }
}

func word(_ b: [UInt8], _ at: Int) -> UInt32 {
    UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
}

/// One change: a tensor element (as a float, or as the tensor's own 8- or 32-bit integer),
/// a whole tensor multiplied, or a metadata number rewritten (its shortest text, or the
/// four bytes themselves as text, so spellings such as `inf` or `0x1p-9` can appear).
func mutate(_ f: inout CheckpointFile, kind: Int, index: Int, bits: UInt32, text: [UInt8]) {
    let numbers = f.metadata.indices.filter { k in
        let key = f.metadata[k].key
        return key.hasPrefix("normalization.") || key.hasPrefix("quantization.")
    }
    switch kind % 4 {
    case 0, 1:
        let t = index % f.tensors.count
        let width = f.tensors[t].dtype == .i8 ? 1 : 4, count = f.tensors[t].data.count
        guard count >= width else { return }
        if kind % 4 == 0 {
            let at = (index / f.tensors.count) % (count / width) * width
            for b in 0..<width { f.tensors[t].data[at + b] = UInt8(truncatingIfNeeded: bits >> (8 * b)) }
        } else if f.tensors[t].dtype == .f32 {
            let factor = Float(bitPattern: bits)
            f.tensors[t].data.withUnsafeMutableBytes { raw in
                for at in stride(from: 0, to: count, by: 4) {
                    let v = Float(bitPattern: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)) * factor
                    raw.storeBytes(of: v.bitPattern, toByteOffset: at, as: UInt32.self)
                }
            }
        }
    case 2:
        guard !numbers.isEmpty else { return }
        f.metadata[numbers[index % numbers.count]].value = "\(Float(bitPattern: bits))"
    default:
        guard !numbers.isEmpty else { return }
        f.metadata[numbers[index % numbers.count]].value = String(decoding: text, as: UTF8.self)
    }
}

/// A history text as `lenet inspect` and `lenet plot` read it, then the same drawing from
/// raw doubles (8 bytes each: epochs of five numbers, then batch points of two), which
/// reach the extremes (±1e308, denormals, NaN) that the plot must draw, clamp or refuse. A
/// half-size canvas: the arithmetic is the same, a quarter of the pixels to fill.
func plotTarget(_ bytes: [UInt8]) {
    let size = (width: CurvePlot.width / 2, height: CurvePlot.height / 2 + 30)
    if let h = try? TrainingHistory(decoding: String(decoding: bytes, as: UTF8.self)) { _ = CurvePlot(history: h, size: size) }
    var doubles: [Double] = []
    var i = 0
    while i + 8 <= bytes.count, doubles.count < 64 {
        doubles.append(Double(bitPattern: UInt64(word(bytes, i)) | UInt64(word(bytes, i + 4)) << 32))
        i += 8
    }
    let split = min(doubles.count / 5, Int(bytes.last ?? 0) % 8) * 5
    let epochs = stride(from: 0, to: split, by: 5).map { k in
        TrainingHistory.Epoch(epoch: k / 5 + 1, loss: doubles[k], trainAccuracy: doubles[k + 1],
                              testAccuracy: doubles[k + 2].sign == .minus ? nil : doubles[k + 2], learningRate: doubles[k + 3])
    }
    let points = stride(from: split, to: doubles.count - 1, by: 2).map { (x: doubles[$0], y: doubles[$0 + 1]) }
    _ = CurvePlot(history: TrainingHistory(epochs), batchLoss: points, size: size)
}
