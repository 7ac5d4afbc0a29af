import LeNetKernelAPI

/// An int8 model laid out for the integer kernels, built once per loaded model:
/// conv1's weights as tap pairs, the other layers' as 16-column blocks of pairs
/// (CIntKernels' `lenetq_gemm` B operand), in the order the activations arrive (HWC
/// after conv1, so conv2's k and fc1's inputs are ordered (y, x, channel)), and each layer's
/// requantization constants padded to whole vectors.
public final class IntegerNetwork: @unchecked Sendable {
    public let model: QuantizedLeNet
    let inverseInputScale: Float
    let inputZeroPoint: Int32
    let conv1: UnsafeMutablePointer<UInt32>  // [6][5][3] pairs
    let conv2, fc1, fc2, fc3: UnsafeMutablePointer<Int16>
    let requantization: [Requantization]  // conv1, conv2, fc1, fc2
    let fc3Bias: UnsafeMutablePointer<Int32>
    let logitScales: UnsafeMutablePointer<Float>
    private let allocations: [UnsafeMutableRawPointer]

    /// Dense layers as the GEMM sees them: k pairs and 16-column blocks.
    static let dense: [(inputs: Int, outputs: Int, blocks: Int)] = [(400, 120, 8), (120, 84, 6), (84, 10, 1)]

    public init(_ q: QuantizedLeNet) throws {
        try q.validate()
        model = q
        inverseInputScale = 1 / q.inputScale
        inputZeroPoint = q.inputZeroPoint
        var owned: [UnsafeMutableRawPointer] = []
        func allocate<T>(_ n: Int, _: T.Type) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<T>.stride, alignment: 64)
            p.initializeMemory(as: UInt8.self, repeating: 0, count: n * MemoryLayout<T>.stride)
            owned.append(p)
            return p.assumingMemoryBound(to: T.self)
        }

        conv1 = allocate(90, UInt32.self)
        let w1 = q.layers[0].weights
        for c in 0..<6 {
            for ky in 0..<5 {
                for j in 0..<3 {
                    let lo = Int16(w1[c * 25 + ky * 5 + 2 * j]), hi = 2 * j + 1 < 5 ? Int16(w1[c * 25 + ky * 5 + 2 * j + 1]) : 0
                    conv1[(c * 5 + ky) * 3 + j] = UInt32(UInt16(bitPattern: lo)) | UInt32(UInt16(bitPattern: hi)) << 16
                }
            }
        }

        // B operand: block q, pair p, column j, half t holds W(output 16 q + j, input 2 p + t).
        func pack(blocks: Int, inputs: Int, outputs: Int, _ weight: (Int, Int) -> Int8) -> UnsafeMutablePointer<Int16> {
            let kp = inputs / 2, b = allocate(blocks * kp * 32, Int16.self)
            for o in 0..<outputs {
                for k in 0..<inputs { b[((o / 16) * kp + k / 2) * 32 + (o % 16) * 2 + k % 2] = Int16(weight(o, k)) }
            }
            return b
        }
        let w2 = q.layers[1].weights
        // conv2's k = (ky * 5 + kx) * 6 + channel; PyTorch's is (channel * 5 + ky) * 5 + kx.
        conv2 = pack(blocks: 1, inputs: 150, outputs: 16) { o, k in w2[o * 150 + (k % 6) * 25 + k / 6] }
        // fc1's input i = (y * 5 + x) * 16 + channel; PyTorch flattens (channel, y, x).
        fc1 = pack(blocks: 8, inputs: 400, outputs: 120) { o, i in q.layers[2].weights[o * 400 + (i % 16) * 25 + i / 16] }
        fc2 = pack(blocks: 6, inputs: 120, outputs: 84) { o, i in q.layers[3].weights[o * 120 + i] }
        fc3 = pack(blocks: 1, inputs: 84, outputs: 10) { o, i in q.layers[4].weights[o * 84 + i] }

        var tables: [Requantization] = []
        for i in 0..<4 {
            let multipliers = try q.multipliers(ofLayer: i), n = (multipliers.count + 15) / 16 * 16
            let bias = allocate(n, Int32.self), m = allocate(n, Int32.self), s = allocate(n, Int32.self)
            for o in 0..<n {
                // Padding channels get a harmless multiplier; their outputs are never read.
                m[o] = o < multipliers.count ? multipliers[o].multiplier : 1 << 30
                s[o] = o < multipliers.count ? multipliers[o].shift : 0
                bias[o] = o < multipliers.count ? q.layers[i].bias[o] : 0
            }
            tables.append(Requantization(bias: bias, multiplier: m, shift: s))
        }
        requantization = tables
        fc3Bias = allocate(16, Int32.self)
        logitScales = allocate(16, Float.self)
        for (o, s) in q.logitScales.enumerated() {
            fc3Bias[o] = q.layers[4].bias[o]
            logitScales[o] = s
        }
        allocations = owned
    }

    deinit { for p in allocations { p.deallocate() } }
}
