/// LeNet-5 in its modern form (ReLU + max-pool, 32x32 input; docs/architecture.md). Parameter names, order and
/// layouts are PyTorch's state_dict, so weights move between the two without transposes.
///
///     input   1x32x32
///     conv1   1->6   5x5, ReLU   -> 6x28x28,  maxpool 2x2 -> 6x14x14
///     conv2   6->16  5x5, ReLU   -> 16x10x10, maxpool 2x2 -> 16x5x5 (flattened C,H,W: 400)
///     fc1     400->120 ReLU,  fc2 120->84 ReLU,  fc3 84->10 logits
public enum LeNet5 {
    package static let inputSide = 32
    package static let inputSize = 1024
    package static let kernel = 5
    package static let conv1Channels = 6, conv1Side = 28, pool1Side = 14
    package static let conv2Channels = 16, conv2Side = 10, pool2Side = 5
    package static let flat = 400, hidden1 = 120, hidden2 = 84, classes = 10
    /// Floats per image of conv1's and conv2's outputs and of pool1's.
    package static let conv1Size = conv1Channels * conv1Side * conv1Side, pool1Size = conv1Channels * pool1Side * pool1Side
    package static let conv2Size = conv2Channels * conv2Side * conv2Side
    /// conv2 as a product: each of its output positions reads a patch of pool1 (6 x 5 x 5).
    package static let conv2Patch = conv1Channels * kernel * kernel, conv2Positions = conv2Side * conv2Side

    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        /// Element offset in the flat parameter vector.
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
        /// The layer's fan-in, which sets PyTorch's default initialisation bound.
        package let fanIn: Int
    }

    /// The ten parameter tensors in state_dict order.
    public static let tensors: [Tensor] = {
        let specs: [(String, [Int], Int)] = [
            ("conv1.weight", [6, 1, 5, 5], 25), ("conv1.bias", [6], 25),
            ("conv2.weight", [16, 6, 5, 5], 150), ("conv2.bias", [16], 150),
            ("fc1.weight", [120, 400], 400), ("fc1.bias", [120], 400),
            ("fc2.weight", [84, 120], 120), ("fc2.bias", [84], 120),
            ("fc3.weight", [10, 84], 84), ("fc3.bias", [10], 84),
        ]
        var offset = 0
        return specs.map { name, shape, fanIn in
            defer { offset += shape.reduce(1, *) }
            return Tensor(name: name, shape: shape, offset: offset, fanIn: fanIn)
        }
    }()

    public static let parameterCount = 61_706

    public static func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name } }

    // Offsets of each tensor in the flat vector, in the order of `tensors`.
    static let conv1W = tensors[0].offset, conv1B = tensors[1].offset
    static let conv2W = tensors[2].offset, conv2B = tensors[3].offset
    static let fc1W = tensors[4].offset, fc1B = tensors[5].offset
    static let fc2W = tensors[6].offset, fc2B = tensors[7].offset
    static let fc3W = tensors[8].offset, fc3B = tensors[9].offset

    /// PyTorch's default initialisation: kaiming-uniform with a = sqrt(5) for weights and
    /// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for biases, which is the same bound for both.
    package static func initialParameters(seed: UInt64) -> [Float] {
        var rng = Xoshiro256(seed: seed)
        var p = [Float](repeating: 0, count: parameterCount)
        for t in tensors {
            let bound = 1 / Float(t.fanIn).squareRoot()
            for i in t.offset..<(t.offset + t.count) { p[i] = rng.nextFloat(-bound, bound) }
        }
        return p
    }
}
