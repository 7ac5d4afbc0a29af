/// The vectorized kernels, as one interface that each CPU level's build implements.
///
/// The kernel sources live in Sources/LeNetKernels and are compiled three times (the
/// folders LeNetKernelsGeneric, LeNetKernelsAVX2 and LeNetKernelsAVX512 hold symlinks to them): for the baseline target, for AVX2 + FMA
/// (`-target-cpu haswell`) and for AVX-512 (`-target-cpu skylake-avx512`). Each build's
/// `Kernels` conforms to this protocol; the engine picks one at start-up by CPUID (see
/// `KernelLevel` in LeNetCore) and calls through it. Every function has a scalar twin in
/// LeNetCore's `Reference`.
public protocol KernelProvider: SendableMetatype {
    /// C[m x n] (+)= packedA * packedB over k, panels as GEMMTile describes; `tile` is
    /// GEMMTile.rows * GEMMTile.columns floats of scratch for edge tiles.
    static func gemmPacked(
        m: Int, n: Int, k: Int, _ packedA: UnsafePointer<Float>, _ packedB: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, tile: UnsafeMutablePointer<Float>)

    /// c[0..<n] (+)= x[0..<k] * packedB, x one row read in place: `gemmPacked` for m = 1,
    /// same bits.
    static func gemvPacked(
        n: Int, k: Int, _ x: UnsafePointer<Float>, _ packedB: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        accumulate: Bool)

    /// op(A) into `gemmPacked`'s A strips (op(A) is m x k; stored k x m when `transposed`).
    static func packA(m: Int, k: Int, _ a: UnsafePointer<Float>, stride: Int, transposed: Bool, into dst: UnsafeMutablePointer<Float>)
    /// op(B) into `gemmPacked`'s B panels (op(B) is k x n; stored n x k when `transposed`).
    static func packB(n: Int, k: Int, _ b: UnsafePointer<Float>, stride: Int, transposed: Bool, into dst: UnsafeMutablePointer<Float>)

    static func conv1Forward(
        _ x: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>)
    static func conv1WeightGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>)
    /// conv2 on pool1's 6x14x14 planes without im2col: filters tap-major ([150][16]) ->
    /// raw sums position-major ([100][16]), each summed in `gemmPacked`'s order.
    static func conv2Direct(_ x: UnsafePointer<Float>, weights w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>)
    /// conv2's ReLU + 2x2 max-pool backward for one image, position-major ([100][16]) from
    /// `conv2Finish`'s activations and the planar pooled gradient; the bias gradient added
    /// to `bias` in `accumulateRowSums`' order.
    static func conv2PoolBackward(
        _ activations: UnsafePointer<Float>, gradient dp: UnsafePointer<Float>, _ da: UnsafeMutablePointer<Float>,
        bias: UnsafeMutablePointer<Float>)
    /// conv2's weight gradient for one image, added into `dw` laid out as stamps ([16][5][32])
    /// from pool1's map channel-last ([14][14][6], two readable floats after it) and the
    /// position-major output gradient: one scaled window added per nonzero gradient.
    static func conv2WeightGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>)
    /// conv2's input gradient for one image, channel-last ([14][14][6], overwritten; the two
    /// floats after it read and written back) from the position-major output gradient and the filters
    /// as stamps ([16][5][32]): one scaled filter added per nonzero gradient.
    static func conv2InputGradient(_ dy: UnsafePointer<Float>, stamps: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>)
    /// `conv2Direct`'s sums + bias, ReLU, 2x2 max-pool -> `pooled` [16][5][5]; the ReLU's
    /// output also into `activations` position-major ([100][16]) when given.
    static func conv2Finish(
        _ y: UnsafePointer<Float>, bias: UnsafePointer<Float>, pooled: UnsafeMutablePointer<Float>,
        activations: UnsafeMutablePointer<Float>?)

    static func addRowBias(rows: Int, columns: Int, _ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool)
    static func addColumnBias(rows: Int, columns: Int, _ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool)
    static func reluBackward(_ count: Int, _ g: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>)
    static func add(_ count: Int, _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>)
    static func accumulateRowSums(rows: Int, columns: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>)
    static func accumulateColumnSums(rows: Int, columns: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>)

    /// The optimizers' element-wise updates (PyTorch's Adam and SGD with momentum): the
    /// parameters `old` updated into `p` (the same pointer, or one not overlapping it).
    static func adamUpdate(
        _ count: Int, params p: UnsafeMutablePointer<Float>, from old: UnsafePointer<Float>, grads g: UnsafePointer<Float>,
        first m: UnsafeMutablePointer<Float>, second v: UnsafeMutablePointer<Float>, _ s: AdamStep)
    static func sgdUpdate(
        _ count: Int, params p: UnsafeMutablePointer<Float>, from old: UnsafePointer<Float>, grads g: UnsafePointer<Float>,
        momentum m: UnsafeMutablePointer<Float>, mu: Float, learningRate lr: Float)

    static func im2col(channels: Int, height: Int, width: Int, kernel: Int, _ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>)

    static func maxPool2x2(planes: Int, height: Int, width: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>)
    static func maxPool2x2ReluBackward(
        planes: Int, height: Int, width: Int, input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
        gradient dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>)

    static func softmax(_ count: Int, _ z: UnsafePointer<Float>, _ p: UnsafeMutablePointer<Float>)
    static func softmaxCrossEntropy(
        rows: Int, classes: Int, _ z: UnsafePointer<Float>, labels: UnsafePointer<UInt8>, scale: Float,
        _ dz: UnsafeMutablePointer<Float>) -> Double

    // MARK: The int8 path (its multiply-accumulate loops are C: see CIntKernels)
    // Activations are uint8 codes; conv1's zero point is folded into its bias.

    /// A normalised 1x32x32 input as its uint8 codes (Requantization.inputCode): 32 rows of
    /// 36 bytes, the last 4 of each zero.
    static func inputCodes(_ x: UnsafePointer<Float>, inverseScale: Float, zeroPoint: Int32, _ codes: UnsafeMutablePointer<UInt8>)
    /// The same codes for a 28x28 u8 digit in the 32x32 input (a frame of pixel value 0),
    /// each pixel normalised as `pixel * scale + background` first: inputCodes of the
    /// normalised input, without writing it.
    static func digitCodes(
        _ digit: UnsafePointer<UInt8>, scale: Float, background: Float, inverseScale: Float, zeroPoint: Int32,
        _ codes: UnsafeMutablePointer<UInt8>
    )
    /// conv1's input for the pair kernels: 32 rows of 40 UInt32, pair (y, x) holding codes
    /// (y, x) and (y, x + 1) as 16-bit halves; 0 past x = 31.
    static func packPairs(_ codes: UnsafePointer<UInt8>, _ pairs: UnsafeMutablePointer<UInt32>)
    /// The same for the quad kernels: quad (y, x) holds codes (y, x ..< x + 4) in its bytes;
    /// then, from IntegerLayout.columnQuads, 32 rows of column quads, (y, x) holding codes
    /// (y ..< y + 4, x): `codes` holds IntegerLayout.codesRows rows, those past 31 zero.
    static func packQuads(_ codes: UnsafePointer<UInt8>, _ quads: UnsafeMutablePointer<UInt32>)
    /// Pooled conv1 sums [6][14][16] (lanes 14, 15 ignored) requantized into 14x14x6 (HWC).
    static func requantizeConv1(_ sums: UnsafePointer<Int32>, _ r: Requantization, _ y: UnsafeMutablePointer<UInt8>)
    /// conv2's 100 rows of 150 (ky, kx, channel) inputs, rows 152 bytes apart (the last
    /// two left alone), from a 14x14x6 (HWC) map.
    static func im2rowConv2(_ x: UnsafePointer<UInt8>, _ rows: UnsafeMutablePointer<UInt8>)
    /// conv2 sums [100 positions][16 channels] max-pooled 2x2 and requantized into 5x5x16 (HWC).
    static func poolRequantizeConv2(_ sums: UnsafePointer<Int32>, _ r: Requantization, _ y: UnsafeMutablePointer<UInt8>)
    /// Dense sums [rows][ldSums] requantized into y [rows][columns] (columns <= ldSums).
    static func requantizeDense(
        rows: Int, columns: Int, _ sums: UnsafePointer<Int32>, ldSums: Int, _ r: Requantization, _ y: UnsafeMutablePointer<UInt8>)
}

/// The register tile of the GEMM micro-kernel: packed A comes in strips of `rows` rows,
/// packed B in strips of `columns` columns.
public enum GEMMTile {
    public static let rows = 6
    public static let columns = 32
}
