// swift-tools-version:6.0
import PackageDescription
#if canImport(Glibc)
import Glibc
#endif

/// SwiftPM refuses unsafe flags (the per-CPU `-target-cpu`, `-Ounchecked`, `-O3`) in a
/// package that another package uses by version. Checked out as such a dependency (under
/// SwiftPM's `checkouts/`), or with LENET_PORTABLE_BUILD=1, this package builds without
/// them: the generic float kernels only (the int8 C kernels keep their per-CPU functions,
/// which need no flags). As the root package or a path dependency it builds every level.
let portable = Context.packageDirectory.contains("/checkouts/") || Context.environment["LENET_PORTABLE_BUILD"] == "1"

// Only the kernel builds drop Swift's overflow and precondition checks (`-Ounchecked`):
// their loops run over the network's own fixed sizes. Everything that reads a file, a
// buffer or an argument (LeNetCore, LeNetC) keeps every check, so a size from a hostile
// file that slips past a parser's own test traps instead of reading out of bounds.
let kernelSettings: [SwiftSetting] = portable ? [] : [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

/// The kernel builds: one source, Sources/LeNetKernels, compiled once per CPU level (each
/// target's folder holds symlinks to those files: `make kernel-links` keeps them
/// complete); LeNetCore picks a build by CPUID at start-up.
var kernelTargets: [Target] = [
    .target(name: "LeNetKernelsGeneric", dependencies: ["LeNetKernelAPI", "CVectorMath"], swiftSettings: kernelSettings),
]
#if arch(x86_64)
if !portable { kernelTargets += [
    .target(name: "LeNetKernelsAVX2", dependencies: ["LeNetKernelAPI", "CVectorMath"],
            swiftSettings: kernelSettings + [.unsafeFlags(["-target-cpu", "haswell", "-DLENET_FMA", "-DLENET_HALF_TILES"])]),
    .target(name: "LeNetKernelsAVX512", dependencies: ["LeNetKernelAPI", "CVectorMath"],
            swiftSettings: kernelSettings + [.unsafeFlags(["-target-cpu", "skylake-avx512", "-DLENET_FMA"])]),
] }
#endif

/// libFuzzer targets (Tests/Fuzz), declared only for the fuzzing build (LENET_FUZZ=1, set by
/// `make fuzz-build` with --sanitize=fuzzer): libFuzzer supplies their main function, so
/// an ordinary build could not link them.
let fuzzTargets: [Target] = Context.environment["LENET_FUZZ"] == "1"
    ? [.executableTarget(name: "lenet-fuzz", dependencies: ["LeNetCore", "LeNetPictures"], path: "Tests/Fuzz/lenet-fuzz")]
    : []

/// What liblenet.so's Swift and the lenet command are compiled without: the regex engine and
/// string processing (`_StringProcessing`, `_RegexParser`: 1.1 MB of either), which every
/// Swift file imports implicitly and which String methods such as `split(separator:)` with a
/// String or `contains(_:)` with a substring pull in.
let withoutStringProcessing: [SwiftSetting] = portable ? [] : [.unsafeFlags(["-Xfrontend", "-disable-implicit-string-processing-module-import"])]

/// How liblenet.so and the lenet command are linked: lld, folding functions whose code is
/// identical (`--icf=all`: 0.15 MB; nothing here compares function addresses), and, where
/// the build machine's glibc is 2.36 or newer, relative relocations packed (DT_RELR: 0.38 MB
/// of the library's 0.39 MB of relocations, almost all the Swift runtime's metadata). A
/// packed binary carries glibc's version lock (GLIBC_ABI_DT_RELR), so an older glibc refuses
/// to load it with a clear message instead of running it unrelocated. LENET_PACK_RELOCS=0
/// or 1 overrides the choice (0: a library that loads on glibc 2.35).
func glibcVersion() -> (Int, Int)? {
    #if canImport(Glibc)
    var text = [CChar](repeating: 0, count: 64)   // "glibc 2.36"
    guard confstr(Int32(_CS_GNU_LIBC_VERSION), &text, text.count) > 0 else { return nil }
    let name = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let parts = name.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
    return parts.count >= 2 ? (parts[0], parts[1]) : nil
    #else
    return nil
    #endif
}
let packRelocations = Context.environment["LENET_PACK_RELOCS"].map { $0 == "1" } ?? (glibcVersion().map { $0 >= (2, 36) } ?? false)
let smallLink = ["-use-ld=lld", "-Xlinker", "--icf=all"]
    + (packRelocations ? ["-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"] : [])

/// The SONAME's number: bumped only if the ABI ever breaks (it grows by adding functions).
let abiMajor = 0

let package = Package(
    name: "lenet",
    products: [
        .executable(name: "lenet", targets: ["lenet"]),
        .library(name: "LeNetCore", targets: ["LeNetCore"]),
        // liblenetc.so, installed as liblenet.so: the C ABI, with the Swift runtime linked in statically so a C program
        // on a machine without Swift can load it.
        .library(name: "lenetc", type: .dynamic, targets: ["LeNetC"]),
        .executable(name: "lenet-header", targets: ["lenet-header"]),
    ],
    targets: [
        // MARK: System libraries
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        // MARK: The engine and what it is built from (docs/architecture.md)
        .target(name: "LeNetKernelAPI"),
        .target(name: "CCPU"),
        .target(name: "CVectorMath"),
        .target(name: "CIntKernels", cSettings: portable ? [] : [.unsafeFlags(["-O3"], .when(configuration: .release))]),
        .target(
            name: "LeNetCore",
            dependencies: ["CZlib", "CPNG", "CCPU", "CVectorMath", "CIntKernels", "LeNetKernelAPI"] + kernelTargets.map { .target(name: $0.name) },
            swiftSettings: withoutStringProcessing),

        // MARK: What users link and run
        .target(name: "CLeNetTypes"),
        // The pictures the CLI draws (curves, confusion heat map, error grid): not part of
        // liblenet.so, which stays small.
        .target(name: "LeNetPictures", dependencies: ["LeNetCore"]),
        .target(
            name: "LeNetC",
            dependencies: ["LeNetCore", "CLeNetTypes"],
            exclude: ["exports.map"],
            swiftSettings: withoutStringProcessing,
            linkerSettings: [
                .unsafeFlags([
                    "-static-stdlib", "-no-toolchain-stdlib-rpath",
                ] + smallLink + [
                    "-Xlinker", "-soname", "-Xlinker", "liblenet.so.\(abiMajor)",
                    "-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/LeNetC/exports.map",
                ]),
            ]),
        .executableTarget(name: "lenet-header"),
        // The CLI links the Swift runtime statically, like the library, so the installed
        // `lenet` runs on machines without Swift. It uses neither Foundation nor
        // ArgumentParser (which imports FoundationEssentials): with them it weighed 60 MB.
        .executableTarget(
            name: "lenet",
            dependencies: ["LeNetCore", "LeNetPictures"],
            swiftSettings: withoutStringProcessing,
            linkerSettings: [
                .unsafeFlags(["-static-stdlib", "-no-toolchain-stdlib-rpath"] + smallLink, .when(platforms: [.linux])),
            ]),

        // MARK: Tests
        .target(name: "PNGTestWriter", path: "Tests/PNGTestWriter", linkerSettings: [.linkedLibrary("png16")]),
        .testTarget(name: "LeNetCoreTests", dependencies: ["LeNetCore", "LeNetPictures", "PNGTestWriter"]),
    ] + kernelTargets + fuzzTargets
)
