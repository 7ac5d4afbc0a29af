import CIntKernels

extension KernelLevel {
    /// The kernel build this level runs ("avx2" for "avx2-pairs").
    private var build: String { name.hasSuffix(IntegerKernels.pairsSuffix) ? String(name.dropLast(IntegerKernels.pairsSuffix.count)) : name }

    /// The C kernels' code for this level.
    var integerCode: Int32 {
        switch build {
        case "avx512": return Int32(LENETQ_AVX512)
        case "avx2": return Int32(LENETQ_AVX2)
        case IntegerKernels.portable.name: return Int32(LENETQ_PORTABLE)
        default: return Int32(LENETQ_BASELINE)
        }
    }

    /// The instruction the int8 path multiplies with at this level, for reports.
    public var integerKernels: String {
        switch (build, usesQuads) {
        case ("avx512", true): return "vpdpbusd (AVX-512 VNNI)"
        case ("avx2", true): return "vpdpbusd (AVX-VNNI)"
        case ("avx512", false): return "vpmaddwd (AVX-512BW)"
        case ("avx2", false): return "vpmaddwd (AVX2)"
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
    /// with AVX-512 VNNI, at the AVX2 level on CPUs with AVX-VNNI; never at a "-pairs" level.
    package var usesQuads: Bool {
        switch name {
        case "avx512": return IntegerKernels.hasVNNI512
        case "avx2": return IntegerKernels.hasAVXVNNI
        default: return false
        }
    }
}

/// The C multiply-accumulate loops at a given level (see lenet_int_kernels.h).
package enum IntegerKernels {
    package static let hasVNNI512 = lenetq_has_vnni(Int32(LENETQ_AVX512)) != 0
    package static let hasAVXVNNI = lenetq_has_vnni(Int32(LENETQ_AVX2)) != 0

    /// The plain-C loops other architectures run, reachable on x86-64 for the tests.
    package static let portable = KernelLevel(name: "portable-c", kernels: KernelLevel.generic.kernels)
    static let pairsSuffix = "-pairs"

    /// `level` with the pair kernels where it would use quads (for the tests), else itself.
    package static func pairs(_ level: KernelLevel) -> KernelLevel {
        level.usesQuads ? KernelLevel(name: level.name + pairsSuffix, kernels: level.kernels) : level
    }

    /// Every int8 code path this machine can run: the kernel levels (with quads where the CPU
    /// has VNNI), the same levels with pairs, and the plain-C loops.
    package static var levels: [KernelLevel] {
        KernelLevel.available + KernelLevel.available.filter(\.usesQuads).map(pairs) + [portable]
    }

    package static func conv1Pool(
        level: KernelLevel, _ input: UnsafePointer<UInt32>, _ weights: UnsafePointer<UInt32>, _ out: UnsafeMutablePointer<Int32>
    ) {
        if level.usesQuads {
            lenetq_conv1_pool_quads(level.integerCode, input, weights, out)
        } else {
            lenetq_conv1_pool(level.integerCode, input, weights, out)
        }
    }

    /// The quad kernel at `level`: vpdpbusd where the level uses quads, plain C otherwise.
    package static func conv1PoolQuads(
        level: KernelLevel, _ input: UnsafePointer<UInt32>, _ weights: UnsafePointer<UInt32>, _ out: UnsafeMutablePointer<Int32>
    ) {
        lenetq_conv1_pool_quads(level.integerCode, input, weights, out)
    }

    package static func gemm(
        level: KernelLevel, _ a: UnsafePointer<UInt8>, lda: Int, _ b: UnsafePointer<Int16>, _ c: UnsafeMutablePointer<Int32>,
        ldc: Int, m: Int, blocks: Int, kpairs: Int
    ) {
        lenetq_gemm(level.integerCode, a, lda, b, c, ldc, m, blocks, kpairs)
    }

    /// vpdpbusd where the level uses quads, plain C otherwise.
    package static func gemmQuads(
        level: KernelLevel, _ a: UnsafePointer<UInt8>, lda: Int, _ b: UnsafePointer<Int8>, _ c: UnsafeMutablePointer<Int32>,
        ldc: Int, m: Int, blocks: Int, kquads: Int
    ) {
        lenetq_gemm_quads(level.integerCode, a, lda, b, c, ldc, m, blocks, kquads)
    }
}
