import LeNetCore
import Testing

/// The Swift user's entry points: answers that agree with the batch predictions, proper
/// probabilities, and PNGs read like their preprocessed digits.
@Suite struct ClassificationTests {
    @Test func classifyAgreesWithPredictionsAndGivesProbabilities() throws {
        let predictor = Predictor(parameters: Fixtures.trained.parameters)
        let digits = mnistTest.prefix(200)
        let answers = predictor.classify(digits: digits.images, threads: 2)
        #expect(answers.count == 200)
        #expect(answers.map { UInt8($0.label) } == predictor.predictions(digits, threads: 1))
        for a in answers {
            #expect(a.probabilities.count == 10)
            #expect(abs(a.probabilities.reduce(0, +) - 1) < 1e-5)
            #expect(a.probabilities.allSatisfy { $0 >= 0 })
            #expect(a.probabilities.indices.max { a.probabilities[$0] < a.probabilities[$1] } == a.label)
        }
        #expect(predictor.classify(digits: []).isEmpty)

        let png = repositoryRoot + "/samples/digit-7-mnist-gray8.png"
        let viaFile = try predictor.classify(pngFile: png)
        #expect(viaFile == predictor.classify(digits: try DigitImage.fromPNGFile(png))[0])
        #expect(viaFile.label == 7)
        #expect(throws: LeNetError.self) { try predictor.classify(png: [1, 2, 3]) }
    }
}
