extension Model {
    /// The ContentDigest of the model's float parameters (their bytes), as `lenet train
    /// --init` records the model it started from.
    public var parameterDigest: String { parameters.withUnsafeBytes { ContentDigest.hex([$0]) } }
}
