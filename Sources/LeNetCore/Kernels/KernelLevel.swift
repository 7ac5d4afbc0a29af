import CCPU
import LeNetKernelAPI
import LeNetKernelsGeneric
#if canImport(LeNetKernelsAVX2)
import LeNetKernelsAVX2
#endif
#if canImport(LeNetKernelsAVX512)
import LeNetKernelsAVX512
#endif

/// Which build of the kernels runs: chosen once, at first use, as the best the CPU
/// supports, unless `LENET_CPU` asks for a level (a level the CPU lacks falls back to the
/// best it has, so forcing can never fault). Besides the float levels (generic, avx2,
/// avx512), `LENET_CPU` takes the int8 variants the tests use: `avx2-pairs` and
/// `avx512-pairs` (the float kernels of that level, int8 without VNNI, as on CPUs that lack
/// it) and `portable-c` (generic float, the plain-C int8 loops of other architectures).
public struct KernelLevel: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    package let kernels: any KernelProvider.Type

    public static func == (a: KernelLevel, b: KernelLevel) -> Bool { a.name == b.name }
    public var description: String { name }

    public static let generic = KernelLevel(name: "generic", kernels: LeNetKernelsGeneric.Kernels.self)

    /// The float kernel builds compiled into this library, whether or not this CPU runs them.
    public static let compiled: [String] = {
        var names = ["generic"]
        #if canImport(LeNetKernelsAVX2)
        names.append("avx2")
        #endif
        #if canImport(LeNetKernelsAVX512)
        names.append("avx512")
        #endif
        return names
    }()

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
    public static let active: KernelLevel = select(requested: LibC.environment("LENET_CPU"))

    /// The level for a `LENET_CPU` value: that level (or int8 variant) when this CPU runs
    /// it; a level the CPU lacks (or an unknown name) gives the fastest available.
    public static func select(requested: String?) -> KernelLevel {
        if let r = requested?.lowercased(), let level = IntegerKernels.levels.first(where: { $0.name == r }) { return level }
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
