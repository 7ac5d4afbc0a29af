/// How the learning rate moves over a run: constant, or cosine-annealed from the set rate
/// to zero over all the run's steps (`epochs` x batches per epoch), which lets the last
/// epochs settle into a minimum instead of hopping around it.
public enum LearningRateSchedule: String, Sendable, CaseIterable {
    case constant, cosine

    /// The rate for step `step` (0-based) of `total`.
    package func rate(_ base: Float, step: Int, total: Int) -> Float {
        switch self {
        case .constant: return base
        case .cosine:
            guard total > 0 else { return base }
            let t = Double(min(step, total)) / Double(total)
            return base * Float(0.5 * (1 + LibC.cos(Double.pi * t)))
        }
    }
}
