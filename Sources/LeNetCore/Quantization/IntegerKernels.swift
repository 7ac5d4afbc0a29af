import CIntKernels

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
