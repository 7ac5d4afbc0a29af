import CCPU
import LeNetKernelAPI
import LeNetKernelsGeneric
#if canImport(LeNetKernelsAVX2)
import LeNetKernelsAVX2
#endif
#if canImport(LeNetKernelsAVX512)
import LeNetKernelsAVX512
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Which build of the kernels runs: chosen once, at first use, as the best the CPU
/// supports, unless `LENET_CPU=generic|avx2|avx512` asks for a level (a level the CPU lacks
/// falls back to the best it has, so forcing can never fault).
public struct KernelLevel: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let kernels: any KernelProvider.Type

    public static func == (a: KernelLevel, b: KernelLevel) -> Bool { a.name == b.name }
    public var description: String { name }

    public static let generic = KernelLevel(name: "generic", kernels: LeNetKernelsGeneric.Kernels.self)

    /// Every level this CPU can run, from the most portable to the fastest.
    public static let available: [KernelLevel] = {
        var levels = [generic]
        #if canImport(LeNetKernelsAVX2)
        if lenetcpu_has_avx2_fma() != 0 { levels.append(KernelLevel(name: "avx2", kernels: LeNetKernelsAVX2.Kernels.self)) }
        #endif
        #if canImport(LeNetKernelsAVX512)
        if lenetcpu_has_avx512() != 0 { levels.append(KernelLevel(name: "avx512", kernels: LeNetKernelsAVX512.Kernels.self)) }
        #endif
        return levels
    }()

    /// The level in use: `LENET_CPU` if set and available, else the fastest available.
    public static let active: KernelLevel = select(requested: getenv("LENET_CPU").map { String(cString: $0) })

    /// The level for a `LENET_CPU` value: that level when available; a level the CPU
    /// lacks (or an unknown name) gives the fastest available.
    public static func select(requested: String?) -> KernelLevel {
        if let r = requested?.lowercased(), let level = available.first(where: { $0.name == r }) { return level }
        return available[available.count - 1]
    }
}
