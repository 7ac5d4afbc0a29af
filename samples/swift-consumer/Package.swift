// swift-tools-version:6.0
// A Swift package that uses lenet's Swift library, as a user's package would. `make test`
// builds it against this checkout by path. From another machine, depend on a tagged
// release by version instead:
//
//     .package(url: "https://example.org/lenet.git", from: "0.6.0")
//
// (SwiftPM refuses the per-CPU compiler flags in a versioned dependency; the package then
// builds its portable configuration, see the README's "From Swift".)
import PackageDescription

let package = Package(
    name: "swift-consumer",
    dependencies: [
        .package(name: "lenet", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "classify-digits",
            dependencies: [.product(name: "LeNetCore", package: "lenet")]),
    ]
)
