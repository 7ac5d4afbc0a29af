/// How a training run makes the data it trains on beyond the pictures it is given: the pen
/// digits and their print (PenDigits.trainingSet), the touching pairs and the digits cut out
/// of them (PenDigits.touchingPairs, cutPieces, which use the reader's own lattice) and the
/// augmentation (Augmentation). A checkpoint records the recipe its run used
/// (`training.recipe`); resuming it with another recipe would train the remaining epochs on
/// other data than the uninterrupted run, so Trainer(resuming:) refuses that instead of
/// silently continuing a different run.
public enum TrainingRecipe {
    /// Bump whenever any of the above makes other pictures for the same options and seed
    /// (TrainingRecipeTests holds a fingerprint of the current recipe's data).
    public static let current = 1

    /// Whether a run with these options makes data of its own (otherwise it trains on its
    /// pictures as they are, and any recipe resumes it exactly).
    static func makesData(_ options: TrainingOptions) -> Bool {
        options.augment || options.penShare > 0 || options.pairShare > 0
    }

    /// Why a run that recorded `recipe` (nil: written before checkpoints recorded one)
    /// cannot be resumed by this lenet, or nil when it can.
    static func resumeProblem(recipe: Int?, options: TrainingOptions) -> String? {
        guard recipe != current, makesData(options) else { return nil }
        let written = recipe.map { "by a lenet whose training data recipe is \($0)" } ?? "before lenet recorded its training data recipe"
        return "the checkpoint was written \(written); this lenet makes its pen digits, touching pairs and augmentation "
            + "with recipe \(current), so the remaining epochs would train on other pictures than the run began with. "
            + "Start a new run, or train on from its weights (lenet train --init FILE; lenet_train_params.init_model)"
    }
}
