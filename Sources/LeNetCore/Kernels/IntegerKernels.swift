import CIntKernels

/// Which of the C int8 multiply-accumulate loops run (lenet_int_kernels.h): pairs of 16-bit
/// products (pmaddwd) at each instruction-set level, quads on vpdpbusd where the CPU has a
/// VNNI, quads on vpmaddubsw for 7-bit weights on AVX2 without it, or plain C. A
/// `KernelLevel` carries one for 8-bit weights and one for 7-bit, next to its float build.
package enum IntegerVariant: Sendable, CaseIterable, CustomStringConvertible {
    case portable, sse2Pairs, avx2Pairs, avx512Pairs, avxVNNI, avx512VNNI, avx2Bytes

    /// Whether the int8 network packs its activations in quads (vpdpbusd, vpmaddubsw) or pairs.
    package var usesQuads: Bool { self == .avxVNNI || self == .avx512VNNI || self == .avx2Bytes }

    /// The instruction that multiplies, for reports.
    package var description: String {
        switch self {
        case .portable: return "plain C"
        case .sse2Pairs: return "pmaddwd (SSE2)"
        case .avx2Pairs: return "vpmaddwd (AVX2)"
        case .avx512Pairs: return "vpmaddwd (AVX-512BW)"
        case .avxVNNI: return "vpdpbusd (AVX-VNNI)"
        case .avx512VNNI: return "vpdpbusd (AVX-512 VNNI)"
        case .avx2Bytes: return "vpmaddubsw (AVX2, 7-bit weights)"
        }
    }

    /// The C header's name for this variant.
    var code: Int32 {
        switch self {
        case .portable: return LENETQ_PORTABLE
        case .sse2Pairs: return LENETQ_SSE2_PAIRS
        case .avx2Pairs: return LENETQ_AVX2_PAIRS
        case .avx512Pairs: return LENETQ_AVX512_PAIRS
        case .avxVNNI: return LENETQ_AVX_VNNI
        case .avx512VNNI: return LENETQ_AVX512_VNNI
        case .avx2Bytes: return LENETQ_AVX2_BYTES
        }
    }

    /// conv1 + max-pool on pairs or quads, as this variant packs them.
    package func conv1Pool(_ input: UnsafePointer<UInt32>, _ weights: UnsafePointer<UInt32>, _ out: UnsafeMutablePointer<Int32>) {
        if usesQuads { conv1PoolQuads(input, weights, out) } else { lenetq_conv1_pool(code, input, weights, out) }
    }

    /// The quad conv1: vpdpbusd at a VNNI variant, vpmaddubsw at avx2Bytes (7-bit weights
    /// only), plain C at the others (for the tests).
    package func conv1PoolQuads(_ input: UnsafePointer<UInt32>, _ weights: UnsafePointer<UInt32>, _ out: UnsafeMutablePointer<Int32>) {
        lenetq_conv1_pool_quads(code, input, weights, out)
    }

    package func gemm(
        _ a: UnsafePointer<UInt8>, lda: Int, _ b: UnsafePointer<Int16>, _ c: UnsafeMutablePointer<Int32>,
        ldc: Int, m: Int, blocks: Int, kpairs: Int
    ) {
        lenetq_gemm(code, a, lda, b, c, ldc, m, blocks, kpairs)
    }

    /// conv2 on pool1's codes (channel-last) without an im2row matrix: `gemm`'s sums on
    /// `im2rowConv2`'s rows, with kpairs 75 and one block.
    package func conv2(_ codes: UnsafePointer<UInt8>, _ b: UnsafePointer<Int16>, _ c: UnsafeMutablePointer<Int32>) {
        lenetq_conv2(code, codes, b, c)
    }

    /// vpdpbusd at a VNNI variant, vpmaddubsw at avx2Bytes (7-bit weights only), plain C at the others.
    package func gemmQuads(
        _ a: UnsafePointer<UInt8>, lda: Int, _ b: UnsafePointer<Int8>, _ c: UnsafeMutablePointer<Int32>,
        ldc: Int, m: Int, blocks: Int, kquads: Int
    ) {
        lenetq_gemm_quads(code, a, lda, b, c, ldc, m, blocks, kquads)
    }
}
