extension Model {
    /// The training history the checkpoint carries; nil when it has none (a model from
    /// PyTorch, or trained before 0.4). Throws when the stored text is malformed.
    public func history() throws -> TrainingHistory? {
        guard let text = info.first(where: { $0.key == TrainingHistory.metadataKey })?.value else { return nil }
        return try TrainingHistory(decoding: text)
    }
}
