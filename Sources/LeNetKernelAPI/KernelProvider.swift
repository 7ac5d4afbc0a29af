/// The vectorized kernels, as one interface that each CPU level's build implements.
///
/// The kernel sources live in Sources/LeNetKernelsGeneric and are compiled three times
/// (the other two folders hold symlinks): for the baseline target, for AVX2 + FMA
/// (`-target-cpu haswell`) and for AVX-512 (`-target-cpu skylake-avx512`). Each build's
/// `Kernels` conforms to this protocol; the engine picks one at start-up by CPUID (see
/// `KernelLevel` in LeNetCore) and calls through it. Every function has a scalar twin in
/// LeNetCore's `Reference`.
public protocol KernelProvider {
    /// C[m x n] (+)= packedA * packedB over k, panels as GEMMTile describes; `tile` is
    /// GEMMTile.rows * GEMMTile.columns floats of scratch for edge tiles.
    static func gemmPacked(
        m: Int, n: Int, k: Int, _ packedA: UnsafePointer<Float>, _ packedB: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, tile: UnsafeMutablePointer<Float>)

    static func conv1Forward(
        _ x: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>)
    static func conv1WeightGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>)

    static func addRowBias(rows: Int, columns: Int, _ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool)
    static func addColumnBias(rows: Int, columns: Int, _ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool)
    static func reluBackward(_ count: Int, _ g: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>)
    static func add(_ count: Int, _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>)
    static func accumulateRowSums(rows: Int, columns: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>)
    static func accumulateColumnSums(rows: Int, columns: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>)

    static func im2col(channels: Int, height: Int, width: Int, kernel: Int, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>)
    static func im2colTransposed(
        channels: Int, height: Int, width: Int, kernel: Int, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>)
    static func col2im(channels: Int, height: Int, width: Int, kernel: Int, _ col: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>)

    static func maxPool2x2(planes: Int, height: Int, width: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>)
    static func maxPool2x2ReluBackward(
        planes: Int, height: Int, width: Int, input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
        gradient dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>)

    static func softmax(_ count: Int, _ z: UnsafePointer<Float>, _ p: UnsafeMutablePointer<Float>)
    static func softmaxCrossEntropy(
        rows: Int, classes: Int, _ z: UnsafePointer<Float>, labels: UnsafePointer<UInt8>, scale: Float,
        _ dz: UnsafeMutablePointer<Float>) -> Double
}

/// The register tile of the GEMM micro-kernel: packed A comes in strips of `rows` rows,
/// packed B in strips of `columns` columns.
public enum GEMMTile {
    public static let rows = 6
    public static let columns = 32
}
