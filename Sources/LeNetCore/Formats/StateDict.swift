/// A named float tensor as PyTorch's state_dict holds it (Model+StateDict.swift maps a
/// state_dict to and from a model).
public struct NamedTensor: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }
}
