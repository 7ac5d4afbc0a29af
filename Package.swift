// swift-tools-version:6.0
import PackageDescription

// Release builds of the engine are compiled without overflow and bounds checks in the
// kernels' unsafe-pointer loops anyway; `-Ounchecked` additionally drops the checks Swift
// keeps on integer arithmetic, which measurably slows the inner loops.
let engineSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
    name: "lenet",
    products: [
        .executable(name: "lenet", targets: ["lenet"]),
        .library(name: "LeNetCore", targets: ["LeNetCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // MARK: Implementation details
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: Public API
        .target(name: "LeNetCore", dependencies: ["CZlib"], swiftSettings: engineSettings),
        .executableTarget(
            name: "lenet",
            dependencies: [
                "LeNetCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: Tests
        .testTarget(name: "LeNetCoreTests", dependencies: ["LeNetCore"]),
    ]
)
