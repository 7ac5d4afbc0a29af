import LeNetKernelAPI

/// An int8 model laid out for the integer kernels, built once per loaded model: the
/// weights twice, as int16 pairs (`lenetq_gemm`, every x86-64) and as int8 quads
/// (`lenetq_gemm_quads`, VNNI), conv1's by taps, the other layers' as 16-column
/// blocks in the order the activations arrive (HWC after conv1, so conv2's k and fc1's
/// inputs are ordered (y, x, channel)); and each layer's requantization constants padded
/// to whole vectors.
package final class IntegerNetwork: @unchecked Sendable {
    package let model: QuantizedLeNet
    let inverseInputScale: Float
    let inputZeroPoint: Int32
    let conv1: UnsafeMutablePointer<UInt32>  // [6][5][3] pairs
    let conv2, fc1, fc2, fc3: UnsafeMutablePointer<Int16>
    let conv1Quads: UnsafeMutablePointer<UInt32>  // [6][5][2] quads
    let conv2Quads, fc1Quads, fc2Quads, fc3Quads: UnsafeMutablePointer<Int8>
    let requantization: [Requantization]  // conv1, conv2, fc1, fc2
    let fc3Bias: UnsafeMutablePointer<Int32>
    let logitScales: UnsafeMutablePointer<Float>
    private let allocations: [UnsafeMutableRawPointer]

    /// Dense layers as the GEMM sees them: k pairs and 16-column blocks.
    static let dense: [(inputs: Int, outputs: Int, blocks: Int)] = [(400, 120, 8), (120, 84, 6), (84, 10, 1)]

    package init(_ q: QuantizedLeNet) throws {
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

        conv1Quads = allocate(60, UInt32.self)
        for c in 0..<6 {
            for ky in 0..<5 {
                for j in 0..<2 {
                    var quad: UInt32 = 0
                    for t in 0..<4 where 4 * j + t < 5 {
                        quad |= UInt32(UInt8(bitPattern: w1[c * 25 + ky * 5 + 4 * j + t])) << (8 * t)
                    }
                    conv1Quads[(c * 5 + ky) * 2 + j] = quad
                }
            }
        }

        // B operands: block q, group p of `width` inputs (2 or 4), column j, element t holds
        // W(output 16 q + j, input width * p + t); inputs past `inputs` are zero.
        func pack<T: FixedWidthInteger>(_: T.Type, width: Int, blocks: Int, inputs: Int, outputs: Int, _ weight: (Int, Int) -> Int8)
            -> UnsafeMutablePointer<T>
        {
            let groups = (inputs + width - 1) / width, b = allocate(blocks * groups * 16 * width, T.self)
            for o in 0..<outputs {
                for k in 0..<inputs {
                    b[(((o / 16) * groups + k / width) * 16 + o % 16) * width + k % width] = T(truncatingIfNeeded: weight(o, k))
                }
            }
            return b
        }
        let w2 = q.layers[1].weights
        // conv2's k = (ky * 5 + kx) * 6 + channel; PyTorch's is (channel * 5 + ky) * 5 + kx.
        let conv2Weight: (Int, Int) -> Int8 = { o, k in w2[o * 150 + (k % 6) * 25 + k / 6] }
        // fc1's input i = (y * 5 + x) * 16 + channel; PyTorch flattens (channel, y, x).
        let fc1Weight: (Int, Int) -> Int8 = { o, i in q.layers[2].weights[o * 400 + (i % 16) * 25 + i / 16] }
        let fc2Weight: (Int, Int) -> Int8 = { o, i in q.layers[3].weights[o * 120 + i] }
        let fc3Weight: (Int, Int) -> Int8 = { o, i in q.layers[4].weights[o * 84 + i] }
        conv2 = pack(Int16.self, width: 2, blocks: 1, inputs: 150, outputs: 16, conv2Weight)
        fc1 = pack(Int16.self, width: 2, blocks: 8, inputs: 400, outputs: 120, fc1Weight)
        fc2 = pack(Int16.self, width: 2, blocks: 6, inputs: 120, outputs: 84, fc2Weight)
        fc3 = pack(Int16.self, width: 2, blocks: 1, inputs: 84, outputs: 10, fc3Weight)
        conv2Quads = pack(Int8.self, width: 4, blocks: 1, inputs: 150, outputs: 16, conv2Weight)
        fc1Quads = pack(Int8.self, width: 4, blocks: 8, inputs: 400, outputs: 120, fc1Weight)
        fc2Quads = pack(Int8.self, width: 4, blocks: 6, inputs: 120, outputs: 84, fc2Weight)
        fc3Quads = pack(Int8.self, width: 4, blocks: 1, inputs: 84, outputs: 10, fc3Weight)

        var tables: [Requantization] = []
        for i in 0..<4 {
            let multipliers = try q.multipliers(ofLayer: i), n = (multipliers.count + 15) / 16 * 16
            let bias = allocate(n, Int32.self), m = allocate(n, Int32.self), s = allocate(n, Int32.self)
            for o in 0..<n {
                // Padding channels get a harmless multiplier; their outputs are never read.
                m[o] = o < multipliers.count ? multipliers[o].multiplier : 1 << 30
                s[o] = o < multipliers.count ? multipliers[o].shift : 0
                bias[o] = o < multipliers.count ? q.layers[i].bias[o] : 0
                if i == 0, o < 6 {
                    // conv1 multiplies the input codes q, not q - zero point: take
                    // zero point * (sum of the channel's weights) off its bias instead.
                    bias[o] -= q.inputZeroPoint * q.layers[0].weights[(o * 25)..<(o * 25 + 25)].reduce(0) { $0 + Int32($1) }
                }
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
