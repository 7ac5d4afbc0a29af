import CIntKernels
import LeNetKernelAPI

/// Buffers for the int8 forward pass over up to `capacity` images. The convolutions run
/// one image at a time through small buffers that stay in L1; the dense layers take the
/// whole group.
final class IntegerWorkspace: PooledWorkspace, @unchecked Sendable {
    let capacity: Int
    let x: UnsafeMutablePointer<Float>  // capacity x 1024 normalised inputs
    let pairs: UnsafeMutablePointer<UInt32>  // 32 x 40
    let pooled1: UnsafeMutablePointer<Int32>  // 6 x 14 x 16
    let p1: UnsafeMutablePointer<UInt8>  // 14 x 14 x 6
    let rows2: UnsafeMutablePointer<UInt8>  // 100 x 152
    let sums2: UnsafeMutablePointer<Int32>  // 100 x 16
    let p2: UnsafeMutablePointer<UInt8>  // capacity x 400
    let sums: UnsafeMutablePointer<Int32>  // capacity x 128
    let h1, h2: UnsafeMutablePointer<UInt8>  // capacity x 120, capacity x 84
    private let storage: UnsafeMutableRawPointer

    init(capacity: Int) {
        self.capacity = capacity
        let sizes = [capacity * 1024 * 4, 32 * 40 * 4, 6 * 14 * 16 * 4, 196 * 6, 100 * 152, 100 * 16 * 4,
                     capacity * 400, capacity * 128 * 4, capacity * 120, capacity * 84]
        let rounded = sizes.map { ($0 + 63) / 64 * 64 }
        // Zeroed once: the padding of the pair rows and of conv2's rows is never written again.
        let base = UnsafeMutableRawPointer.allocate(byteCount: rounded.reduce(0, +), alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: rounded.reduce(0, +))
        storage = base
        var offset = 0
        func take<T>(_ i: Int, _: T.Type) -> UnsafeMutablePointer<T> {
            defer { offset += rounded[i] }
            return (base + offset).assumingMemoryBound(to: T.self)
        }
        x = take(0, Float.self); pairs = take(1, UInt32.self); pooled1 = take(2, Int32.self); p1 = take(3, UInt8.self)
        rows2 = take(4, UInt8.self); sums2 = take(5, Int32.self); p2 = take(6, UInt8.self); sums = take(7, Int32.self)
        h1 = take(8, UInt8.self); h2 = take(9, UInt8.self)
    }

    deinit { storage.deallocate() }

    static func make(capacity: Int) -> Self { Self(capacity: capacity) }
}

extension KernelLevel {
    /// The C kernels' code for this level.
    var integerCode: Int32 {
        switch name {
        case "avx512", IntegerKernels.avx512Pairs.name: return Int32(LENETQ_AVX512)
        case "avx2", IntegerKernels.avx2Pairs.name: return Int32(LENETQ_AVX2)
        case IntegerKernels.portable.name: return Int32(LENETQ_PORTABLE)
        default: return Int32(LENETQ_BASELINE)
        }
    }

    /// The instruction the int8 path multiplies with at this level, for reports.
    public var integerKernels: String {
        switch (name, usesQuads) {
        case ("avx512", true): return "vpdpbusd (AVX-512 VNNI)"
        case ("avx2", true): return "vpdpbusd (AVX-VNNI)"
        case ("avx512", false), (IntegerKernels.avx512Pairs.name, _): return "vpmaddwd (AVX-512BW)"
        case ("avx2", false), (IntegerKernels.avx2Pairs.name, _): return "vpmaddwd (AVX2)"
        case (IntegerKernels.portable.name, _): return "plain C"
        default:
            #if arch(x86_64)
            return "pmaddwd (SSE2)"
            #else
            return "plain C"
            #endif
        }
    }

    /// Whether the int8 path runs the quad kernels (vpdpbusd): at the AVX-512 level on CPUs
    /// with AVX-512 VNNI, at the AVX2 level on CPUs with AVX-VNNI.
    public var usesQuads: Bool {
        switch name {
        case "avx512": return IntegerKernels.hasVNNI512
        case "avx2": return IntegerKernels.hasAVXVNNI
        default: return false
        }
    }
}

/// The C multiply-accumulate loops at a given level (see lenet_int_kernels.h).
public enum IntegerKernels {
    public static let hasVNNI512 = lenetq_has_vnni(Int32(LENETQ_AVX512)) != 0
    public static let hasAVXVNNI = lenetq_has_vnni(Int32(LENETQ_AVX2)) != 0

    /// The plain-C loops other architectures run, reachable on x86-64 for the tests.
    public static let portable = KernelLevel(name: "portable-c", kernels: KernelLevel.generic.kernels)
    /// The AVX2 and AVX-512 levels with the pair kernels even where VNNI exists, for the tests.
    public static let avx2Pairs = pairs(of: "avx2"), avx512Pairs = pairs(of: "avx512")

    private static func pairs(of name: String) -> KernelLevel {
        KernelLevel(name: name + "-pairs", kernels: (KernelLevel.available.first { $0.name == name } ?? .generic).kernels)
    }

    /// Every int8 code path this machine can run: the kernel levels (with quads where the CPU
    /// has VNNI), the same levels with pairs, and the plain-C loops.
    public static var levels: [KernelLevel] {
        KernelLevel.available + KernelLevel.available.filter(\.usesQuads).map { pairs(of: $0.name) } + [portable]
    }

    public static func conv1Pool(
        level: KernelLevel, _ input: UnsafePointer<UInt32>, _ weights: UnsafePointer<UInt32>, _ out: UnsafeMutablePointer<Int32>
    ) {
        if level.usesQuads {
            lenetq_conv1_pool_quads(level.integerCode, input, weights, out)
        } else {
            lenetq_conv1_pool(level.integerCode, input, weights, out)
        }
    }

    /// The quad kernel at `level`: vpdpbusd where the level uses quads, plain C otherwise.
    public static func conv1PoolQuads(
        level: KernelLevel, _ input: UnsafePointer<UInt32>, _ weights: UnsafePointer<UInt32>, _ out: UnsafeMutablePointer<Int32>
    ) {
        lenetq_conv1_pool_quads(level.integerCode, input, weights, out)
    }

    public static func gemm(
        level: KernelLevel, _ a: UnsafePointer<UInt8>, lda: Int, _ b: UnsafePointer<Int16>, _ c: UnsafeMutablePointer<Int32>,
        ldc: Int, m: Int, blocks: Int, kpairs: Int
    ) {
        lenetq_gemm(level.integerCode, a, lda, b, c, ldc, m, blocks, kpairs)
    }

    /// vpdpbusd where the level uses quads, plain C otherwise.
    public static func gemmQuads(
        level: KernelLevel, _ a: UnsafePointer<UInt8>, lda: Int, _ b: UnsafePointer<Int8>, _ c: UnsafeMutablePointer<Int32>,
        ldc: Int, m: Int, blocks: Int, kquads: Int
    ) {
        lenetq_gemm_quads(level.integerCode, a, lda, b, c, ldc, m, blocks, kquads)
    }
}

extension IntegerNetwork {
    /// Logits (count x 10) for the first `count` inputs of `ws.x`.
    func forward(count: Int, _ ws: IntegerWorkspace, level: KernelLevel, logits out: UnsafeMutablePointer<Float>) {
        precondition(count <= ws.capacity)
        let K = level.kernels, quads = level.usesQuads
        for i in 0..<count {
            if quads {
                K.quantizeInputQuads(ws.x + i * 1024, inverseScale: inverseInputScale, zeroPoint: inputZeroPoint, ws.pairs)
            } else {
                K.quantizeInputPairs(ws.x + i * 1024, inverseScale: inverseInputScale, zeroPoint: inputZeroPoint, ws.pairs)
            }
            IntegerKernels.conv1Pool(level: level, ws.pairs, quads ? conv1Quads : conv1, ws.pooled1)
            K.requantizeConv1(ws.pooled1, requantization[0], ws.p1)
            K.im2rowConv2(ws.p1, ws.rows2)
            gemm(level, ws.rows2, lda: 152, rows: 100, inputs: 150, layer: 0, ws.sums2)
            K.poolRequantizeConv2(ws.sums2, requantization[1], ws.p2 + i * 400)
        }
        let d = Self.dense
        gemm(level, ws.p2, lda: 400, rows: count, inputs: d[0].inputs, layer: 1, ws.sums)
        K.requantizeDense(rows: count, columns: d[0].outputs, ws.sums, ldSums: 128, requantization[2], ws.h1)
        gemm(level, ws.h1, lda: 120, rows: count, inputs: d[1].inputs, layer: 2, ws.sums)
        K.requantizeDense(rows: count, columns: d[1].outputs, ws.sums, ldSums: 96, requantization[3], ws.h2)
        gemm(level, ws.h2, lda: 84, rows: count, inputs: d[2].inputs, layer: 3, ws.sums)
        for i in 0..<count {
            for o in 0..<10 { out[i * 10 + o] = Float(ws.sums[i * 16 + o] &+ fc3Bias[o]) * logitScales[o] }
        }
    }

    /// The GEMM of conv2 (layer 0) or fc1...fc3 (1...3), sums 16 x blocks wide.
    @inline(__always)
    private func gemm(
        _ level: KernelLevel, _ a: UnsafePointer<UInt8>, lda: Int, rows: Int, inputs: Int, layer: Int, _ c: UnsafeMutablePointer<Int32>
    ) {
        let blocks = layer == 0 ? 1 : Self.dense[layer - 1].blocks
        if level.usesQuads {
            let b = layer == 0 ? conv2Quads : layer == 1 ? fc1Quads : layer == 2 ? fc2Quads : fc3Quads
            lenetq_gemm_quads(level.integerCode, a, lda, b, c, 16 * blocks, rows, blocks, (inputs + 3) / 4)
        } else {
            let b = layer == 0 ? conv2 : layer == 1 ? fc1 : layer == 2 ? fc2 : fc3
            lenetq_gemm(level.integerCode, a, lda, b, c, 16 * blocks, rows, blocks, inputs / 2)
        }
    }

    /// Logits (count x 10) into `out` for `count` images, `fill(i, x)` writing image i's
    /// normalised 1x32x32 input: split across `threads` workers like the float path, each
    /// image's result independent of the split.
    public func logits(
        count: Int, threads: Int, level: KernelLevel = .active, into out: UnsafeMutablePointer<Float>,
        fill: (Int, UnsafeMutablePointer<Float>) -> Void
    ) {
        LeNet5.inGroups(count: count, threads: threads, integerWorkspaces) { ws, range in
            for j in 0..<range.count { fill(range.lowerBound + j, ws.x + j * 1024) }
            forward(count: range.count, ws, level: level, logits: out + range.lowerBound * 10)
        }
    }
}
