/// The mapping between a LeNet-5 `Model` and PyTorch's state_dict, with every shape checked.
extension Model {
    /// A model from a state_dict: the ten LeNet-5 tensors, optionally prefixed `module.`
    /// (as `nn.DataParallel` saves them). A missing, extra or misshapen tensor is an error
    /// that names it.
    public init(stateDict: [String: NamedTensor], normalization: Normalization = .mnist,
                info: [(key: String, value: String)] = []) throws {
        var tensors = [String: NamedTensor]()
        for (name, t) in stateDict {
            let key = name.hasPrefix("module.") ? String(name.dropFirst("module.".count)) : name
            guard LeNet5.tensor(named: key) != nil else {
                throw LeNetError.format("tensor '\(name)' is not part of LeNet-5 (expected \(LeNet5.tensors.map(\.name).joined(separator: ", ")))")
            }
            guard tensors.updateValue(t, forKey: key) == nil else { throw LeNetError.format("tensor '\(key)' appears twice") }
        }
        var params = [Float](repeating: 0, count: LeNet5.parameterCount)
        for t in LeNet5.tensors {
            guard let s = tensors[t.name] else { throw LeNetError.format("tensor '\(t.name)' is missing") }
            guard s.shape == t.shape, s.values.count == t.count else {
                throw LeNetError.format("tensor '\(t.name)' has shape \(s.shape), LeNet-5 needs \(t.shape)")
            }
            guard s.values.allSatisfy(\.isFinite) else { throw LeNetError.format("tensor '\(t.name)' holds a NaN or infinity") }
            params.replaceSubrange(t.offset..<(t.offset + t.count), with: s.values)
        }
        self.init(parameters: params, normalization: normalization, info: info)
        try markAnswersChecked()
    }

    /// The parameters as a state_dict, in PyTorch's order.
    public var stateDict: [(name: String, tensor: NamedTensor)] {
        LeNet5.tensors.map { t in (t.name, NamedTensor(shape: t.shape, values: Array(parameters[t.offset..<(t.offset + t.count)]))) }
    }
}
