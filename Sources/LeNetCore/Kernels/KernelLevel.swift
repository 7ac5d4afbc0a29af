import LeNetKernelAPI
import LeNetKernelsGeneric
#if canImport(LeNetKernelsAVX2)
import LeNetKernelsAVX2
#endif
#if canImport(LeNetKernelsAVX512)
import LeNetKernelsAVX512
#endif

/// The instruction-set levels the float kernels are compiled for (Package.swift).
package enum ISALevel: String, Sendable, CaseIterable {
    case generic, avx2, avx512

    /// The build of the float kernels for this level, when compiled in.
    var kernels: (any KernelProvider.Type)? {
        switch self {
        case .generic: return LeNetKernelsGeneric.Kernels.self
        case .avx2:
            #if canImport(LeNetKernelsAVX2)
            return LeNetKernelsAVX2.Kernels.self
            #else
            return nil
            #endif
        case .avx512:
            #if canImport(LeNetKernelsAVX512)
            return LeNetKernelsAVX512.Kernels.self
            #else
            return nil
            #endif
        }
    }

    var onThisCPU: Bool {
        switch self {
        case .generic: return true
        case .avx2: return CPUFeatures.avx2
        case .avx512: return CPUFeatures.avx512
        }
    }

    /// The int8 pair loops of this level.
    var pairs: IntegerVariant {
        switch self {
        case .generic:
            #if arch(x86_64)
            return .sse2Pairs
            #else
            return .portable
            #endif
        case .avx2: return .avx2Pairs
        case .avx512: return .avx512Pairs
        }
    }

    /// The int8 loops this level runs on this CPU: quads where it has the level's VNNI.
    var bestInteger: IntegerVariant {
        switch self {
        case .avx2 where CPUFeatures.avxVNNI: return .avxVNNI
        case .avx512 where CPUFeatures.avx512VNNI: return .avx512VNNI
        default: return pairs
        }
    }

    /// For a model whose weights are all in -63...63 (7 bits): the VNNI quads where the CPU
    /// has them, else vpmaddubsw's where the level has AVX2 (twice the products of an
    /// instruction that vpmaddwd gives, exact for such weights), else the pairs.
    var bestSevenBit: IntegerVariant {
        if bestInteger.usesQuads { return bestInteger }
        return bytes ?? pairs
    }

    /// vpmaddubsw's loops (ymm), at the AVX2 level. An AVX-512 CPU without VNNI keeps its
    /// zmm pairs: as many products an instruction, and no machine here to measure which wins.
    var bytes: IntegerVariant? { self == .avx2 ? .avx2Bytes : nil }
}

/// What runs: a build of the float kernels (`kernels`, by instruction-set level) and the
/// int8 loops beside it (`integer`). Chosen once, at first use, as the best the CPU
/// supports, unless `LENET_CPU` names a level (one the CPU lacks falls back to the best it
/// has, so forcing can never fault). Besides the levels (generic, avx2, avx512), `LENET_CPU`
/// takes the int8 variants the tests use: `avx2-pairs` and `avx512-pairs` (that level with
/// the pair loops only), `avx2-bytes` (the AVX2 level as a CPU without VNNI runs it:
/// pairs, and vpmaddubsw for 7-bit weights; a name of its own only where the CPU has
/// AVX-VNNI) and `portable-c` (generic float, plain-C int8).
public struct KernelLevel: Sendable, Equatable, CustomStringConvertible {
    package let isa: ISALevel
    /// The int8 loops for a model with 8-bit weights, and for one with 7-bit weights.
    package let integer: IntegerVariant
    package let sevenBit: IntegerVariant
    package let kernels: any KernelProvider.Type

    init(_ isa: ISALevel, integer: IntegerVariant, sevenBit: IntegerVariant? = nil) {
        self.isa = isa
        self.integer = integer
        self.sevenBit = sevenBit ?? integer
        kernels = isa.kernels!
    }

    public static func == (a: KernelLevel, b: KernelLevel) -> Bool { a.isa == b.isa && a.integer == b.integer && a.sevenBit == b.sevenBit }

    /// The int8 loops for a model: 7-bit ones where its weights allow.
    package func integer(sevenBitWeights: Bool) -> IntegerVariant { sevenBitWeights ? sevenBit : integer }

    /// The `LENET_CPU` name: the level's, or an int8 variant's.
    public var name: String {
        if integer == isa.bestInteger && sevenBit == isa.bestSevenBit { return isa.rawValue }
        if integer == .portable { return "portable-c" }
        if sevenBit == .avx2Bytes { return isa.rawValue + "-bytes" }
        return isa.rawValue + "-pairs"
    }

    public var description: String { name }

    package static let generic = KernelLevel(.generic, integer: ISALevel.generic.bestInteger, sevenBit: ISALevel.generic.bestSevenBit)

    /// The float kernel builds compiled into this library, whether or not this CPU runs them.
    package static let compiled: [String] = ISALevel.allCases.filter { $0.kernels != nil }.map(\.rawValue)

    /// Every level this CPU can run, from the most portable to the fastest.
    package static let available: [KernelLevel] = ISALevel.allCases.filter { $0.kernels != nil && $0.onThisCPU }
        .map { KernelLevel($0, integer: $0.bestInteger, sevenBit: $0.bestSevenBit) }

    /// Every int8 code path this machine can run: the levels (with quads where the CPU has
    /// a VNNI or, for 7-bit weights, AVX2), the same levels with pairs only, the AVX2 level
    /// with vpmaddubsw for 7-bit weights where it would use AVX-VNNI, and the plain-C loops.
    package static let integerPaths: [KernelLevel] = {
        var paths = available
        for level in available + available.map(\.withPairs) + available.compactMap(\.withBytes) + [portableC]
        where !paths.contains(where: { $0.name == level.name }) { paths.append(level) }
        return paths
    }()

    /// The plain-C int8 loops other architectures run, reachable on x86-64 for the tests.
    package static let portableC = KernelLevel(.generic, integer: .portable)

    /// This level with the pair loops where it would use quads.
    package var withPairs: KernelLevel { KernelLevel(isa, integer: isa.pairs) }

    /// This level as a CPU without a VNNI runs it: pairs for 8-bit weights, vpmaddubsw for
    /// 7-bit ones (nil but at the AVX2 level).
    package var withBytes: KernelLevel? { isa.bytes.map { KernelLevel(isa, integer: isa.pairs, sevenBit: $0) } }

    /// The level in use: `LENET_CPU` if set and available, else the fastest available.
    public static let active: KernelLevel = select(requested: LibC.environment("LENET_CPU"))

    /// The level for a `LENET_CPU` value: that level (or int8 variant) when this CPU runs
    /// it; a level the CPU lacks (or an unknown name) gives the fastest available.
    package static func select(requested: String?) -> KernelLevel {
        if let r = requested?.lowercased(), let level = integerPaths.first(where: { $0.name == r }) { return level }
        return available[available.count - 1]
    }

    /// One line for test logs and `lenet --version`: the levels this CPU runs and the
    /// compiled ones it cannot, e.g. "generic avx2 (avx512: not on this CPU)".
    public static var report: String {
        let missing = compiled.filter { name in !available.contains { $0.name == name } }
        let names = available.map(\.name).joined(separator: " ")
        return missing.isEmpty ? names : names + " (" + missing.map { "\($0): not on this CPU" }.joined(separator: ", ") + ")"
    }
}
