import LeNetCore
import LeNetKernelAPI
import Testing

/// The int8 path: each integer kernel against its scalar twin at every CPU level, the
/// requantization against real arithmetic, the whole network against a from-the-definition
/// reference, accuracy against the float model, and the int8 file format.
@Suite struct QuantizationTests {
    /// The shared trained float model and its int8 version (500 calibration images from
    /// elsewhere in the training set).
    static var float: Model { Fixtures.trained }
    static let int8: Model = quantize(weightBits: 7)
    /// The same with 8-bit weights (-127...127), as every int8 model before 0.5.
    static let int8EightBit: Model = quantize(weightBits: 8)

    static func quantize(weightBits: Int) -> Model {
        let calibration = mnistTrain.prefix(20_000).images.suffix(500 * 784)
        let q = try! Array(calibration).withUnsafeBufferPointer {
            try QuantizedLeNet(quantizing: float.parameters, normalization: float.normalization, calibration: $0, weightBits: weightBits)
        }
        return Model(quantized: q, normalization: .mnist)
    }

    /// Random multipliers, shifts and biases for `channels` (padded to 16).
    final class Table {
        var bias: [Int32], multiplier: [Int32], shift: [Int32]
        init(channels: Int, _ rng: inout Xoshiro256) {
            let n = (channels + 15) / 16 * 16
            let m = (0..<n).map { _ in FixedPointMultiplier(randomScale(&rng, exponents: -17...(-1)))! }
            bias = (0..<n).map { _ in Int32(rng.nextInt(below: 20_001)) - 10_000 }
            multiplier = m.map(\.multiplier)
            shift = m.map(\.shift)
        }
        func with<R>(_ body: (Requantization) -> R) -> R {
            bias.withUnsafeBufferPointer { b in
                multiplier.withUnsafeBufferPointer { m in
                    shift.withUnsafeBufferPointer { s in
                        body(Requantization(bias: b.baseAddress!, multiplier: m.baseAddress!, shift: s.baseAddress!))
                    }
                }
            }
        }
    }

    /// 8-bit codes as conv1 sees them (input minus zero point) or as activations are.
    static func codes(_ n: Int, _ rng: inout Xoshiro256, low: Int = -128, high: Int = 255) -> [Int16] {
        (0..<n).map { _ in Int16(low + rng.nextInt(below: high - low + 1)) }
    }

    static func pairs(_ values: [Int16]) -> [UInt32] {
        stride(from: 0, to: values.count, by: 2).map {
            UInt32(UInt16(bitPattern: values[$0])) | UInt32(UInt16(bitPattern: values[$0 + 1])) << 16
        }
    }

    /// The pair kernels at every kernel build and in plain C (the quad kernels have their
    /// own test).
    static let pairLevels = KernelLevel.available.map(\.withPairs) + [KernelLevel.portableC]
    /// The quad kernels on vpdpbusd wherever this CPU has it, and in plain C.
    static let quadLevels = KernelLevel.available.filter(\.integer.usesQuads) + [KernelLevel.portableC]

    /// Pooled conv1 sums [6][14][16]: lanes 14 and 15 of each row are unspecified.
    static func expectPooledRowsEqual(_ fast: [Int32], _ twin: [Int32], _ what: String) {
        for r in 0..<(6 * 14) { #expect(fast[(r * 16)..<(r * 16 + 14)] == twin[(r * 16)..<(r * 16 + 14)], "\(what) row \(r)") }
    }

    @Test(arguments: pairLevels)
    func pairKernelsEqualTwins(level: KernelLevel) {
        var rng = Xoshiro256(seed: 61)
        for _ in 0..<5 {
            let input = Self.pairs(Self.codes(32 * 40 * 2, &rng)), w = Self.pairs(Self.codes(180, &rng, low: -127, high: 127))
            var fast = [Int32](repeating: 0, count: 6 * 14 * 16), twin = fast
            level.integer.conv1Pool(input, w, &fast)
            IntegerReference.conv1Pool(input, w, &twin)
            Self.expectPooledRowsEqual(fast, twin, "\(level) conv1")
        }
        for _ in 0..<40 {
            let m = 1 + rng.nextInt(below: 13), blocks = 1 + rng.nextInt(below: 9), kp = 1 + rng.nextInt(below: 90)
            let lda = 2 * kp + rng.nextInt(below: 5), ldc = blocks * 16 + rng.nextInt(below: 3)
            let a = (0..<(m * lda)).map { _ in UInt8(rng.nextInt(below: 256)) }, b = Self.codes(blocks * kp * 32, &rng, low: -127, high: 127)
            var fast = [Int32](repeating: 7, count: m * ldc), twin = fast
            level.integer.gemm(a, lda: lda, b, &fast, ldc: ldc, m: m, blocks: blocks, kpairs: kp)
            IntegerReference.gemm(a, lda: lda, b, &twin, ldc: ldc, m: m, blocks: blocks, kpairs: kp)
            #expect(fast == twin, "\(level) gemm m \(m) blocks \(blocks) kpairs \(kp)")
        }
        // conv2 without im2row: the twins' im2row rows times the same weights, extreme codes included.
        for round in 0..<5 {
            let codes = (0..<1176).map { _ in UInt8(round == 0 ? 255 : rng.nextInt(below: 256)) }
            let b = Self.codes(75 * 32, &rng, low: -127, high: round == 0 ? -127 : 127)
            var rows = [UInt8](repeating: 0, count: 100 * IntegerLayout.conv2Row)
            IntegerReference.im2rowConv2(codes, &rows)
            var fast = [Int32](repeating: 7, count: 1600), twin = fast
            level.integer.conv2(codes, b, &fast)
            IntegerReference.gemm(rows, lda: IntegerLayout.conv2Row, b, &twin, ldc: 16, m: 100, blocks: 1, kpairs: 75)
            #expect(fast == twin, "\(level) conv2 round \(round)")
        }
    }

    /// vpdpbusd's kernels at each level whose CPU support exists (this machine has both
    /// AVX-512 VNNI and AVX-VNNI), and their plain-C fallback.
    @Test(arguments: quadLevels)
    func quadKernelsEqualTwins(level: KernelLevel) {
        var rng = Xoshiro256(seed: 65)
        func quads(_ n: Int, signed: Bool) -> [UInt32] {
            (0..<n).map { _ in
                (0..<4).reduce(UInt32(0)) { q, t in
                    let byte = signed ? UInt32(UInt8(bitPattern: Int8(rng.nextInt(below: 255) - 127))) : UInt32(rng.nextInt(below: 256))
                    return q | byte << (8 * t)
                }
            }
        }
        for _ in 0..<5 {
            let input = quads(2 * IntegerLayout.columnQuads, signed: false), w = quads(6 * IntegerLayout.conv1Quads, signed: true)
            var fast = [Int32](repeating: 0, count: 6 * 14 * 16), twin = fast
            level.integer.conv1PoolQuads(input, w, &fast)
            IntegerReference.conv1PoolQuads(input, w, &twin)
            Self.expectPooledRowsEqual(fast, twin, "\(level) quad conv1")
        }
        for _ in 0..<40 {
            let m = 1 + rng.nextInt(below: 20), blocks = 1 + rng.nextInt(below: 9), kq = 1 + rng.nextInt(below: 45)
            let lda = 4 * kq + rng.nextInt(below: 5), ldc = blocks * 16 + rng.nextInt(below: 3)
            let a = (0..<(m * lda)).map { _ in UInt8(rng.nextInt(below: 256)) }
            let b = (0..<(blocks * kq * 64)).map { _ in Int8(rng.nextInt(below: 255) - 127) }
            var fast = [Int32](repeating: 7, count: m * ldc), twin = fast
            level.integer.gemmQuads(a, lda: lda, b, &fast, ldc: ldc, m: m, blocks: blocks, kquads: kq)
            IntegerReference.gemmQuads(a, lda: lda, b, &twin, ldc: ldc, m: m, blocks: blocks, kquads: kq)
            #expect(fast == twin, "\(level) gemm quads m \(m) blocks \(blocks) kquads \(kq)")
        }
    }

    @Test(arguments: KernelLevel.available)
    func swiftLayersEqualTwins(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 62)
        for round in 0..<4 {
            var x = randomFloats(1024, &rng, -3, 4)
            if round == 0 { x[5] = .nan; x[6] = .infinity; x[7] = -1e30; x[8] = 1e30 }
            let inverse = rng.nextFloat(20, 100), zp = Int32(rng.nextInt(below: 256))
            var fastCodes = [UInt8](repeating: 9, count: 32 * 36), twinCodes = fastCodes
            K.inputCodes(x, inverseScale: inverse, zeroPoint: zp, &fastCodes)
            IntegerReference.inputCodes(x, inverseScale: inverse, zeroPoint: zp, &twinCodes)
            #expect(fastCodes == twinCodes, "\(level) input codes")
            #expect(Set(twinCodes).count > 50, "the codes must span much of the range")
            var fastPairs = [UInt32](repeating: 9, count: 2 * IntegerLayout.columnQuads), twinPairs = fastPairs
            K.packPairs(twinCodes, &fastPairs)
            IntegerReference.packPairs(twinCodes, &twinPairs)
            #expect(fastPairs == twinPairs, "\(level) input pairs")
            let padded = twinCodes + [UInt8](repeating: 0, count: (IntegerLayout.codesRows - 32) * IntegerLayout.codesRow)
            K.packQuads(padded, &fastPairs)
            IntegerReference.packQuads(padded, &twinPairs)
            #expect(fastPairs == twinPairs, "\(level) input quads")

            let table = Table(channels: 16, &rng)
            let sums1 = (0..<(6 * 14 * 16)).map { _ in Int32(rng.nextInt(below: 400_001)) - 200_000 }
            var fast = [UInt8](repeating: 0, count: 196 * 6), twin = fast
            table.with { r in
                K.requantizeConv1(sums1, r, &fast)
                IntegerReference.requantizeConv1(sums1, r, &twin)
            }
            #expect(fast == twin, "\(level) requantizeConv1")
            #expect(twin.contains { $0 > 0 && $0 < 255 }, "the test data must reach the unclamped range")

            var fastRows = [UInt8](repeating: 0, count: 100 * 152), twinRows = fastRows
            K.im2rowConv2(twin, &fastRows)
            IntegerReference.im2rowConv2(twin, &twinRows)
            #expect(fastRows == twinRows, "\(level) im2row")

            let sums2 = (0..<1600).map { _ in Int32(rng.nextInt(below: 400_001)) - 200_000 }
            var fastPool = [UInt8](repeating: 0, count: 400), twinPool = fastPool
            table.with { r in
                K.poolRequantizeConv2(sums2, r, &fastPool)
                IntegerReference.poolRequantizeConv2(sums2, r, &twinPool)
            }
            #expect(fastPool == twinPool, "\(level) pool + requantize")

            let rows = 1 + rng.nextInt(below: 9), columns = 1 + rng.nextInt(below: 120), ld = (columns + 15) / 16 * 16
            let dense = Table(channels: columns, &rng)
            let sums = (0..<(rows * ld)).map { _ in Int32(rng.nextInt(below: 400_001)) - 200_000 }
            var fastDense = [UInt8](repeating: 0, count: rows * columns), twinDense = fastDense
            dense.with { r in
                K.requantizeDense(rows: rows, columns: columns, sums, ldSums: ld, r, &fastDense)
                IntegerReference.requantizeDense(rows: rows, columns: columns, sums, ldSums: ld, r, &twinDense)
            }
            #expect(fastDense == twinDense, "\(level) requantizeDense \(rows)x\(columns)")
        }
    }

    /// The fixed-point multiply-and-shift against Double arithmetic: within 1 LSB always,
    /// equal in all but the few percent of cases where gemmlowp's two roundings (high
    /// multiply, then shift) land on the other side of a half.
    @Test func requantizationWithinOneLSBOfReal() {
        var rng = Xoshiro256(seed: 63)
        var exact = 0
        let trials = 200_000
        for _ in 0..<trials {
            let real = randomScale(&rng, exponents: -28...(-1))
            let m = FixedPointMultiplier(real)!
            #expect(abs(m.real / real - 1) < 1e-9)
            let sum = Int32(rng.nextInt(below: 2_000_001)) - 1_000_000, bias = Int32(rng.nextInt(below: 2001)) - 1000
            let fixed = Requantization.apply(sum, bias: bias, multiplier: m.multiplier, shift: m.shift)
            let reference = Int32(max(0, min(255, (Double(sum + bias) * real).rounded())))
            #expect(abs(fixed - reference) <= 1, "sum \(sum) bias \(bias) M \(real)")
            if fixed == reference { exact += 1 }
        }
        #expect(exact > trials * 95 / 100, "\(exact) of \(trials) exact")
        #expect(FixedPointMultiplier(0) == nil && FixedPointMultiplier(-1) == nil && FixedPointMultiplier(.nan) == nil)
        #expect(FixedPointMultiplier(1e-20) == nil && FixedPointMultiplier(1) == nil && FixedPointMultiplier(1e20) == nil)
        #expect(FixedPointMultiplier(0x1p-32) != nil && FixedPointMultiplier(1 - 0x1p-40)?.real ?? 0 < 1)
    }

    /// The fast int8 network equals the reference written from the definitions, bit for bit,
    /// on every code path: each kernel level (AVX-512 with VNNI quads where the CPU has them,
    /// vpmaddubsw for 7-bit weights at AVX2), the levels with pairs, plain C; for a model
    /// with 7-bit weights and one with 8-bit.
    @Test(arguments: KernelLevel.integerPaths, [7, 8])
    func networkEqualsReference(level: KernelLevel, bits: Int) throws {
        let q = try #require((bits == 7 ? Self.int8 : Self.int8EightBit).quantized), network = try IntegerNetwork(q), count = 40
        #expect(q.weightBits == bits)
        var x = [Float](repeating: 0, count: count * 1024)
        mnistTest.images.withUnsafeBufferPointer { d in
            x.withUnsafeMutableBufferPointer { xp in
                for i in 0..<count { Normalization.mnist.input(from: d.baseAddress! + i * 784, into: xp.baseAddress! + i * 1024) }
            }
        }
        var fast = [Float](repeating: 0, count: count * 10)
        network.logits(count: count, threads: 1, level: level, into: &fast) { i, dst in
            for j in 0..<1024 { dst[j] = x[i * 1024 + j] }
        }
        for i in 0..<count {
            let reference = try IntegerReference.logits(q, input: Array(x[(i * 1024)..<((i + 1) * 1024)]))
            #expect(Array(fast[(i * 10)..<(i * 10 + 10)]) == reference, "\(level) \(bits)-bit image \(i)")
        }
        // u8 digits take a table of codes instead of the floats: the same logits, with every
        // pixel value and another normalisation too.
        var digits = Array(mnistTest.images[0..<(count * 784)])
        for v in 0..<256 { digits[v * 3] = UInt8(v) }
        for norm in [Normalization.mnist, Normalization(mean: 0.5, std: 0.25)] {
            var viaFloats = [Float](repeating: 0, count: count * 10), viaTable = viaFloats
            digits.withUnsafeBufferPointer { d in
                network.logits(count: count, threads: 2, level: level, into: &viaFloats) { i, dst in norm.input(from: d.baseAddress! + i * 784, into: dst) }
                network.logits(digits: d.baseAddress!, count: count, threads: 2, normalization: norm, level: level, into: &viaTable)
            }
            #expect(viaTable == viaFloats, "\(level) \(bits)-bit digits, mean \(norm.mean)")
        }
    }

    /// vpmaddubsw's loops against the quad twins, with 7-bit weights at their extremes and
    /// activations at 255 (the largest 16-bit pair sums, 2 x 255 x 64). With an 8-bit
    /// weight the pair sum would pass 32767 and saturate: 7-bit models only come here.
    @Test(arguments: KernelLevel.integerPaths.filter { $0.sevenBit == .avx2Bytes })
    func bytesKernelsEqualTwinsForSevenBitWeights(level: KernelLevel) {
        var rng = Xoshiro256(seed: 66)
        let variant = level.sevenBit
        func weight() -> Int8 { Int8(rng.nextInt(below: 127) - 63) }
        for round in 0..<5 {
            let input = (0..<(2 * IntegerLayout.columnQuads)).map { _ in round == 0 ? UInt32.max : UInt32(truncatingIfNeeded: rng.next()) }
            let w = (0..<(6 * IntegerLayout.conv1Quads)).map { _ in (0..<4).reduce(UInt32(0)) { q, t in q | UInt32(UInt8(bitPattern: round == 0 ? -63 : weight())) << (8 * t) } }
            var fast = [Int32](repeating: 0, count: 6 * 14 * 16), twin = fast
            variant.conv1PoolQuads(input, w, &fast)
            IntegerReference.conv1PoolQuads(input, w, &twin)
            Self.expectPooledRowsEqual(fast, twin, "\(level) bytes conv1 round \(round)")
        }
        for round in 0..<40 {
            let m = 1 + rng.nextInt(below: 20), blocks = 1 + rng.nextInt(below: 9), kq = 1 + rng.nextInt(below: 45)
            let lda = 4 * kq + rng.nextInt(below: 5), ldc = blocks * 16 + rng.nextInt(below: 3)
            let a = (0..<(m * lda)).map { _ in round == 0 ? UInt8(255) : UInt8(rng.nextInt(below: 256)) }
            let b = (0..<(blocks * kq * 64)).map { _ in round == 0 ? Int8(63) : weight() }
            var fast = [Int32](repeating: 7, count: m * ldc), twin = fast
            variant.gemmQuads(a, lda: lda, b, &fast, ldc: ldc, m: m, blocks: blocks, kquads: kq)
            IntegerReference.gemmQuads(a, lda: lda, b, &twin, ldc: ldc, m: m, blocks: blocks, kquads: kq)
            #expect(fast == twin, "\(level) bytes gemm m \(m) blocks \(blocks) kquads \(kq)")
        }
    }

    /// 7-bit weights cost little: within a tenth of a point of the 8-bit model's accuracy.
    @Test func sevenBitWeightsKeepTheAccuracy() throws {
        let test = mnistTest.prefix(5_000)
        func accuracy(_ m: Model) throws -> Double { try Predictor(m).evaluate(test, threads: 2).accuracy }
        let seven = try accuracy(Self.int8), eight = try accuracy(Self.int8EightBit)
        #expect(abs(seven - eight) <= 0.001 + 1e-9, "7-bit \(seven), 8-bit \(eight)")
        #expect(Self.int8.quantized?.layers.allSatisfy { $0.weights.allSatisfy { abs(Int($0)) <= 63 } } == true)
        #expect(Self.int8EightBit.quantized?.layers.contains { $0.weights.contains { abs(Int($0)) > 63 } } == true)
    }

    @Test func int8AccuracyWithinHalfAPointOfFloat() throws {
        let test = mnistTest.prefix(2_000)
        func accuracy(_ m: Model) throws -> Double { try Predictor(m).evaluate(test, threads: 2).accuracy }
        let f = try accuracy(Self.float), q = try accuracy(Self.int8)
        #expect(f > 0.9)
        #expect(abs(f - q) <= 0.005, "float \(f), int8 \(q)")
        // And the integers are what they claim: the dequantized weights as a float model agree.
        let dequantized = try accuracy(Model(parameters: Self.int8.parameters))
        #expect(abs(dequantized - f) <= 0.005)
    }

    @Test func threadsDoNotChangeInt8Logits() throws {
        let p = try Predictor(Self.int8), digits = mnistTest.prefix(300).images
        let one = digits.withUnsafeBufferPointer { p.logits(digits: $0, threads: 1) }
        let three = digits.withUnsafeBufferPointer { p.logits(digits: $0, threads: 3) }
        #expect(one == three)
    }

    @Test func int8FileRoundTripsAndIsSmall() throws {
        let bytes = try Self.int8.encoded(as: .lenet)
        let back = try Model.load(bytes: bytes)
        #expect(back == Self.int8)
        #expect(back.isInt8)
        #expect(back.metadata.first { $0.key == "lenet.dtype" }?.value == "int8")
        #expect(try back.encoded(as: .lenet) == bytes)
        let floatBytes = try Self.float.encoded(as: .lenet).count
        #expect(bytes.count * 100 <= floatBytes * 30, "\(bytes.count) vs \(floatBytes)")
        #expect(throws: LeNetError.self) { try Self.int8.encoded(as: .pytorch) }
        #expect(throws: LeNetError.self) { try Self.int8.encoded(as: .safetensors) }

        for cut in stride(from: 0, to: bytes.count, by: 97) {
            #expect(throws: LeNetError.self) { try Model.load(bytes: Array(bytes[0..<cut])) }
        }
        var rng = Xoshiro256(seed: 64)
        for _ in 0..<300 {
            var b = bytes
            b[rng.nextInt(below: b.count)] ^= UInt8(1 + rng.nextInt(below: 255))
            #expect(throws: LeNetError.self) { try Model.load(bytes: b) }
        }
    }

    /// Files with a valid checksum but values the arithmetic cannot take are refused by name.
    @Test func implausibleInt8ValuesAreRefused() throws {
        let good = Self.int8.checkpoint
        func refused(_ change: (inout CheckpointFile) -> Void) -> Bool {
            var f = good
            change(&f)
            do {
                _ = try Model.load(bytes: try f.encoded())
                return false
            } catch { return true }
        }
        func setTensor(_ name: String, _ bytes: @escaping (inout [UInt8]) -> Void) -> (inout CheckpointFile) -> Void {
            { f in
                let i = f.tensors.firstIndex { $0.name == name }!
                bytes(&f.tensors[i].data)
            }
        }
        func setValue(_ key: String, _ value: String) -> (inout CheckpointFile) -> Void {
            { f in f.metadata[f.metadata.firstIndex { $0.key == key }!].value = value }
        }
        #expect(!refused { _ in })
        #expect(refused(setTensor("conv2.weight") { $0[3] = 0x80 }))  // -128
        #expect(refused(setTensor("fc1.weight_scale") { $0[0..<4] = [0, 0, 0x80, 0xBF] }))  // -1.0
        #expect(refused(setTensor("fc2.weight_scale") { $0[0..<4] = [0, 0, 0xC0, 0x7F] }))  // NaN
        #expect(refused(setTensor("fc3.bias") { $0[0..<4] = [0, 0, 0, 0x7F] }))  // 2^30 * 2 - ish
        #expect(refused(setValue("quantization.input.zero_point", "300")))
        // A 7-bit model is what it says: a weight past 63 would saturate vpmaddubsw's sums.
        #expect(good.value("quantization.weight_bits") == "7")
        #expect(refused(setTensor("fc1.weight") { $0[5] = 64 }))
        #expect(!refused { f in setTensor("fc1.weight") { $0[5] = 64 }(&f); setValue("quantization.weight_bits", "8")(&f) },
                "stated as 8 bits, the same weights are an 8-bit model")
        #expect(refused(setValue("quantization.weight_bits", "6")))
        #expect(!refused(setValue("quantization.weight_bits", "8")), "a narrower weight than stated is still exact")
        #expect(refused(setValue("quantization.fc1.output_scale", "0")))
        #expect(refused(setValue("quantization.conv1.output_scale", "1e-30")))
        #expect(refused { f in f.tensors.removeAll { $0.name == "conv1.bias" } })
        #expect(refused { f in f.tensors[f.tensors.firstIndex { $0.name == "fc1.weight" }!].dtype = .u8 })
    }
}

/// A real in [2^low, 2^(high + 1)), spread evenly over the exponents.
func randomScale(_ rng: inout Xoshiro256, exponents: ClosedRange<Int>) -> Double {
    let e = exponents.lowerBound + rng.nextInt(below: exponents.count)
    return Double(sign: .plus, exponent: e, significand: Double(rng.nextFloat(1, 2)))
}
