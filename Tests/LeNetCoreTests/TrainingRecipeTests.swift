import LeNetCore
import LeNetKernelAPI
import Testing

/// A checkpoint names the recipe its run made data with, and only that recipe resumes it
/// (TrainingRecipe): otherwise the rest of the run would train on other pictures.
@Suite struct TrainingRecipeTests {
    func state(_ bytes: [UInt8]) throws -> TrainingState {
        try #require(try Model.load(bytes: bytes).training)
    }

    /// CheckpointTests.trained makes data of its own (augmentation, pen digits, pairs).
    func withRecipe(_ value: String?) throws -> [UInt8] {
        var file = try CheckpointFile(decoding: CheckpointTests.bytes)
        file.metadata.removeAll { $0.key == "training.recipe" }
        if let value { file.metadata.append(("training.recipe", value)) }
        return try file.encoded()
    }

    @Test func aRunResumesOnlyWithTheRecipeItRecorded() throws {
        let saved = try state(CheckpointTests.bytes)
        #expect(saved.recipe == TrainingRecipe.current)
        #expect(try Trainer(resuming: saved, threads: 1).epoch == saved.epoch)

        for other in [nil, "\(TrainingRecipe.current + 1)"] {
            let old = try state(withRecipe(other))
            #expect(old.recipe == other.flatMap { Int($0) })
            let error = #expect(throws: LeNetError.self) { try Trainer(resuming: old, threads: 1) }
            #expect("\(error!)".contains("--init"))
            // Saved again, it still does not claim this lenet's recipe.
            let again = Model(parameters: old.parameters, training: old)
            #expect(try state(again.checkpoint.encoded()).recipe == old.recipe)
        }
    }

    @Test(arguments: ["0", "-1", "one", "1.5", "99999999999999999999"])
    func aRecipeThatIsNoneIsRefusedOnLoading(value: String) throws {
        #expect(throws: LeNetError.self) { try Model.load(bytes: withRecipe(value)) }
    }

    /// A run on its pictures alone (no augmentation, pen digits or pairs) trains on the same
    /// data under any recipe: a checkpoint from before recipes resumes it.
    @Test func aRunThatMakesNoDataResumesWithoutARecipe() throws {
        var o = TrainingOptions()
        o.epochs = 2
        o.augment = false
        o.penShare = 0
        o.pairShare = 0
        let trainer = try Trainer(options: o, threads: 1)
        try trainer.trainEpoch(mnistTrain.prefix(128))
        var file = try CheckpointFile(decoding: Model(parameters: trainer.parameters, training: trainer.state).checkpoint.encoded())
        file.metadata.removeAll { $0.key == "training.recipe" }
        let old = try state(file.encoded())
        #expect(old.recipe == nil)
        #expect(try Trainer(resuming: old, threads: 1).epoch == 1)
    }

    /// The data recipe 1 makes, fingerprinted: pen digits (hands and print), touching pairs,
    /// cut digits and augmentation. When this fails, the data changed: bump
    /// TrainingRecipe.current (old checkpoints then refuse to resume) and the fingerprint.
    @Test func theCurrentRecipeMakesTheDataItMadeWhenItWasNamed() throws {
        #expect(TrainingRecipe.current == 1)
        let seed = PenDigits.trainingSeed(1)
        let pens = try PenDigits.trainingSet(count: 24, seed: seed, threads: 2)
        let pairs = try PenDigits.touchingPairs(count: 6, seed: seed, threads: 2)
        let cut = try PenDigits.cutPieces(count: 6, seed: seed, threads: 2)
        var rng = Xoshiro256(seed: 7)
        var moved = [Float](repeating: 0, count: 32 * 32 * 10)
        for k in 0..<10 {
            let a = Augmentation.random(&rng, label: pens.labels[k])
            pens.images.withUnsafeBufferPointer { a.input(from: $0.baseAddress! + k * DigitSet.pixels, .mnist, into: &moved[k * 32 * 32]) }
        }
        let digest = [pens.images, pens.labels, pairs.images, cut.images, cut.labels].map { bytes in
            bytes.withUnsafeBytes { ContentDigest.hex([$0]) }
        } + [moved.withUnsafeBytes { ContentDigest.hex([$0]) }]
        #expect(digest == ["dd251184eae5097e", "cfd7e46034eea3ad", "3626ee5ba1f30587", "e8f9b29d7341d3d0", "699bc7c40b86e4f5", "fa7b99b69fc8e75d"])
    }
}
