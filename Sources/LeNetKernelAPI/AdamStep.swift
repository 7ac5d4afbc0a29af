/// The per-step constants of Adam's update, worked out once a step by the caller: the
/// bias corrections depend on the step number, not on the parameter.
public struct AdamStep: Sendable {
    public let beta1: Float, beta2: Float, epsilon: Float
    /// learning rate / (1 - beta1^step)
    public let stepSize: Float
    /// sqrt(1 - beta2^step)
    public let rootC2: Float

    public init(beta1: Float, beta2: Float, epsilon: Float, stepSize: Float, rootC2: Float) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.stepSize = stepSize
        self.rootC2 = rootC2
    }
}
