import LeNetCore
import Testing

/// Normalised float inputs read where they lie (the C API's predict_f32): the logits of
/// copying them into the workspaces first, for float and int8 models, across group and
/// thread splits; and the finiteness check that guards that path.
@Suite struct InputsInPlaceTests {
    @Test func inputsReadInPlaceGiveTheLogitsOfCopiedInputs() throws {
        var rng = Xoshiro256(seed: 51)
        for model in [Fixtures.trained, QuantizationTests.int8] {
            let predictor = try Predictor(model)
            for (count, threads) in [(1, 1), (33, 2), (70, 2), (5, 3)] {
                let x = randomFloats(count * LeNet5.inputSize, &rng, -0.5, 2.8)
                var copied = [Float](repeating: .nan, count: count * 10), inPlace = copied
                x.withUnsafeBufferPointer { xp in
                    predictor.logits(count: count, threads: threads, into: &copied) { i, dst in
                        dst.update(from: xp.baseAddress! + i * LeNet5.inputSize, count: LeNet5.inputSize)
                    }
                    predictor.logits(inputs: xp.baseAddress!, count: count, threads: threads, into: &inPlace)
                }
                #expect(inPlace.map(\.bitPattern) == copied.map(\.bitPattern), "\(count) images, \(threads) threads")
            }
        }
    }

    @Test func firstNonFiniteFindsEveryPositionAndKind() {
        var rng = Xoshiro256(seed: 52)
        let count = 1024 * 3 + 7  // a tail past the last 16-float block
        var x = randomFloats(count, &rng, -1e30, 1e30)
        x[5] = .greatestFiniteMagnitude
        x[6] = -0.0
        #expect(firstNonFinite(x, count: count) == nil)
        for position in [0, 15, 16, 1000, count - 8, count - 1] {
            for bad in [Float.nan, .infinity, -.infinity, .signalingNaN] {
                var y = x
                y[position] = bad
                if position + 20 < count { y[position + 20] = .nan }  // a later one is not the first
                #expect(firstNonFinite(y, count: count) == position, "\(bad) at \(position)")
            }
        }
        #expect(firstNonFinite(x, count: 0) == nil)
    }
}
