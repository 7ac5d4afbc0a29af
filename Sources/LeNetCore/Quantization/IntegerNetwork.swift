import LeNetKernelAPI

/// An int8 model laid out for the integer kernels, built once per loaded model: the
/// weights twice, as int16 pairs (`lenetq_gemm`, every x86-64) and as int8 quads
/// (`lenetq_gemm_quads`, VNNI), conv1's by taps, the other layers' as 16-column
/// blocks in the order the activations arrive (HWC after conv1, so conv2's k and fc1's
/// inputs are ordered (y, x, channel)); and each layer's requantization constants padded
/// to whole vectors.
package final class IntegerNetwork: @unchecked Sendable {
    package let model: QuantizedLeNet
    /// Every weight in -63...63: the quad loops may pair products in 16 bits (vpmaddubsw) exactly.
    let sevenBitWeights: Bool
    let inverseInputScale: Float
    let inputZeroPoint: Int32
    let conv1: UnsafeMutablePointer<UInt32>  // [6][5][3] pairs
    let conv2, fc1, fc2, fc3: UnsafeMutablePointer<Int16>
    let conv1Quads: UnsafeMutablePointer<UInt32>  // [6][7] quads (IntegerLayout.conv1Quads)
    let conv2Quads, fc1Quads, fc2Quads, fc3Quads: UnsafeMutablePointer<Int8>
    let requantization: [Requantization]  // conv1, conv2, fc1, fc2
    let fc3Bias: UnsafeMutablePointer<Int32>
    let logitScales: UnsafeMutablePointer<Float>
    /// Owns every table above.
    private let arena: Arena

    /// Dense layers as the GEMM sees them: k pairs and 16-column blocks.
    static let dense: [(inputs: Int, outputs: Int, blocks: Int)] = [(400, 120, 8), (120, 84, 6), (84, 10, 1)]
    /// Room for a dense layer's sums: rows as wide as the widest layer's blocks.
    static let sumsWidth = dense[0].blocks * 16

    package init(_ q: QuantizedLeNet) throws {
        sevenBitWeights = q.weightBits == 7
        try q.validate()
        model = q
        inverseInputScale = 1 / q.inputScale
        inputZeroPoint = q.inputZeroPoint
        let arena = Arena()
        let w1 = q.layers[0].weights
        conv1 = Self.conv1PairTaps(w1, arena)
        conv1Quads = Self.conv1QuadTaps(w1, arena)
        let w2 = q.layers[1].weights, w3 = q.layers[2].weights, w4 = q.layers[3].weights, w5 = q.layers[4].weights
        // conv2's k = (ky * 5 + kx) * 6 + channel; PyTorch's is (channel * 5 + ky) * 5 + kx.
        let conv2Weight: (Int, Int) -> Int8 = { o, k in w2[o * 150 + (k % 6) * 25 + k / 6] }
        // fc1's input i = (y * 5 + x) * 16 + channel; PyTorch flattens (channel, y, x).
        let fc1Weight: (Int, Int) -> Int8 = { o, i in w3[o * 400 + (i % 16) * 25 + i / 16] }
        let fc2Weight: (Int, Int) -> Int8 = { o, i in w4[o * 120 + i] }
        let fc3Weight: (Int, Int) -> Int8 = { o, i in w5[o * 84 + i] }
        let conv2Shape = (inputs: LeNet5.conv2Patch, outputs: LeNet5.conv2Channels, blocks: 1)
        conv2 = Self.pack(Int16.self, width: 2, conv2Shape, conv2Weight, arena)
        fc1 = Self.pack(Int16.self, width: 2, Self.dense[0], fc1Weight, arena)
        fc2 = Self.pack(Int16.self, width: 2, Self.dense[1], fc2Weight, arena)
        fc3 = Self.pack(Int16.self, width: 2, Self.dense[2], fc3Weight, arena)
        conv2Quads = Self.pack(Int8.self, width: 4, conv2Shape, conv2Weight, arena)
        fc1Quads = Self.pack(Int8.self, width: 4, Self.dense[0], fc1Weight, arena)
        fc2Quads = Self.pack(Int8.self, width: 4, Self.dense[1], fc2Weight, arena)
        fc3Quads = Self.pack(Int8.self, width: 4, Self.dense[2], fc3Weight, arena)
        requantization = try (0..<4).map { try Self.requantization(q, layer: $0, arena) }
        fc3Bias = arena.zeroed(16, Int32.self)
        logitScales = arena.zeroed(16, Float.self)
        for (o, s) in q.logitScales.enumerated() {
            fc3Bias[o] = q.layers[4].bias[o]
            logitScales[o] = s
        }
        self.arena = arena
    }

    /// conv1's weights as quads of int8 (lenet_int_kernels.h): per channel, the five kernel
    /// rows' taps 0-3, then the column at kx = 4 (rows 0-3, then row 4 alone).
    private static func conv1QuadTaps(_ w1: [Int8], _ arena: Arena) -> UnsafeMutablePointer<UInt32> {
        let n = IntegerLayout.conv1Quads, k = LeNet5.kernel
        let taps = arena.zeroed(LeNet5.conv1Channels * n, UInt32.self)
        func quad(_ weights: [Int8]) -> UInt32 {
            weights.enumerated().reduce(0) { q, t in q | UInt32(UInt8(bitPattern: t.element)) << (8 * t.offset) }
        }
        for c in 0..<LeNet5.conv1Channels {
            let w = Array(w1[(c * 25)..<(c * 25 + 25)])
            for ky in 0..<k { taps[c * n + ky] = quad(Array(w[(ky * k)..<(ky * k + 4)])) }
            taps[c * n + 5] = quad((0..<4).map { w[$0 * k + 4] })
            taps[c * n + 6] = quad([w[4 * k + 4]])
        }
        return taps
    }

    /// conv1's weights for the pair loops: per channel and kernel row, the 5 taps as three
    /// pairs of int16, the last pair's second tap zero.
    private static func conv1PairTaps(_ w1: [Int8], _ arena: Arena) -> UnsafeMutablePointer<UInt32> {
        let taps = arena.zeroed(LeNet5.conv1Channels * LeNet5.kernel * 3, UInt32.self)
        for c in 0..<LeNet5.conv1Channels {
            for ky in 0..<LeNet5.kernel {
                for j in 0..<3 {
                    var pair: UInt32 = 0
                    for t in 0..<2 where 2 * j + t < LeNet5.kernel {
                        pair |= UInt32(UInt16(bitPattern: Int16(w1[c * 25 + ky * 5 + 2 * j + t]))) << (16 * t)
                    }
                    taps[(c * LeNet5.kernel + ky) * 3 + j] = pair
                }
            }
        }
        return taps
    }

    /// A B operand: block q, group p of `width` inputs (2 or 4), column j, element t holds
    /// W(output 16 q + j, input width * p + t); inputs past `inputs` are zero.
    private static func pack<T: FixedWidthInteger>(
        _: T.Type, width: Int, _ shape: (inputs: Int, outputs: Int, blocks: Int), _ weight: (Int, Int) -> Int8, _ arena: Arena
    ) -> UnsafeMutablePointer<T> {
        let groups = (shape.inputs + width - 1) / width, b = arena.zeroed(shape.blocks * groups * 16 * width, T.self)
        for o in 0..<shape.outputs {
            for k in 0..<shape.inputs {
                b[(((o / 16) * groups + k / width) * 16 + o % 16) * width + k % width] = T(truncatingIfNeeded: weight(o, k))
            }
        }
        return b
    }

    /// Layer `layer`'s requantization constants, padded to whole vectors of 16 channels.
    private static func requantization(_ q: QuantizedLeNet, layer i: Int, _ arena: Arena) throws -> Requantization {
        let multipliers = try q.multipliers(ofLayer: i), n = (multipliers.count + 15) / 16 * 16
        let bias = arena.zeroed(n, Int32.self), m = arena.zeroed(n, Int32.self), s = arena.zeroed(n, Int32.self)
        for o in 0..<n {
            // Padding channels get a harmless multiplier; their outputs are never read.
            m[o] = o < multipliers.count ? multipliers[o].multiplier : 1 << 30
            s[o] = o < multipliers.count ? multipliers[o].shift : 0
            bias[o] = o < multipliers.count ? q.layers[i].bias[o] : 0
            if i == 0, o < LeNet5.conv1Channels {
                // conv1 multiplies the input codes q, not q - zero point: take
                // zero point * (sum of the channel's weights) off its bias instead.
                bias[o] -= q.inputZeroPoint * q.layers[0].weights[(o * 25)..<(o * 25 + 25)].reduce(0) { $0 + Int32($1) }
            }
        }
        return Requantization(bias: bias, multiplier: m, shift: s)
    }

}

/// Zeroed, 64-byte aligned allocations that live as long as the arena: an integer
/// network's tables, freed together.
final class Arena: @unchecked Sendable {
    private var owned: [UnsafeMutableRawPointer] = []

    func zeroed<T>(_ n: Int, _: T.Type) -> UnsafeMutablePointer<T> {
        let bytes = n * MemoryLayout<T>.stride
        let p = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        owned.append(p)
        return p.assumingMemoryBound(to: T.self)
    }

    deinit { for p in owned { p.deallocate() } }
}
