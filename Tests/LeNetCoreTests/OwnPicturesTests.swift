import LeNetCore
import Testing

/// A user's own pictures in training: held back by seed, mixed with MNIST at a share,
/// named by a digest, and a run that starts from a trained model's weights.
@Suite struct OwnPicturesTests {
    /// 30 digits whose pixels tell them apart (digit i holds the byte i + 1 throughout).
    static let pictures: DigitSet = try! DigitSet(images: (0..<30).flatMap { [UInt8](repeating: UInt8($0 + 1), count: 784) },
                                                  labels: (0..<30).map { UInt8($0 % 10) })

    func ids(_ s: DigitSet) -> [Int] { (0..<s.count).map { Int(s.images[$0 * 784]) - 1 } }

    @Test func aShareIsHeldBackTheSameWayForASeed() throws {
        let (train, held) = try Self.pictures.heldBack(0.2, seed: 5)
        #expect(held.count == 6 && train.count == 24)
        #expect(Set(ids(train) + ids(held)) == Set(0..<30), "every picture is on one side")
        #expect(ids(train) == ids(train).sorted() && ids(held) == ids(held).sorted(), "each side keeps the set's order")
        #expect(zip(ids(held), held.labels).allSatisfy { $0 % 10 == Int($1) }, "labels travel with their digits")
        #expect(try ids(Self.pictures.heldBack(0.2, seed: 5).validation) == ids(held))
        #expect(try ids(Self.pictures.heldBack(0.2, seed: 6).validation) != ids(held))
        #expect(try Self.pictures.heldBack(0, seed: 5).validation.count == 0)
        // At least one held back, at least one to train on.
        #expect(try Self.pictures.prefix(2).heldBack(0.01, seed: 1).validation.count == 1)
        #expect(try Self.pictures.prefix(2).heldBack(0.9, seed: 1).train.count == 1)
        #expect(throws: LeNetError.self) { try Self.pictures.heldBack(1, seed: 1) }
    }

    @Test func picturesAreMixedInAtTheirShare() throws {
        let base = try DigitSet(images: [UInt8](repeating: 200, count: 90 * 784), labels: [UInt8](repeating: 3, count: 90))
        let mixed = try base.mixing(Self.pictures, share: 0.5)
        #expect(mixed.count == 180)
        #expect(Array(mixed.images.prefix(90 * 784)) == base.images, "MNIST's digits first, unchanged")
        let added = ids(try DigitSet(images: Array(mixed.images[(90 * 784)...]), labels: Array(mixed.labels[90...])))
        #expect(added == (0..<90).map { $0 % 30 }, "the pictures in rounds")
        #expect(try base.mixing(Self.pictures, share: 0.25).count == 90 + 30, "each picture at least once")
        #expect(try base.mixing(Self.pictures, share: 0.8).count == 90 + 360)
        #expect(throws: LeNetError.self) { try base.mixing(Self.pictures, share: 1) }
        #expect(Self.pictures.repeated(to: 45).count == 45 && Self.pictures.repeated(to: 10).count == 30)
    }

    @Test func theDigestNamesTheDigitsAndLabels() throws {
        let d = Self.pictures.digest
        #expect(d.count == 16 && d.allSatisfy(\.isHexDigit))
        var relabelled = Self.pictures
        relabelled.labels[0] = 9
        var repainted = Self.pictures
        repainted.images[100] ^= 1
        #expect(Set([d, relabelled.digest, repainted.digest, Self.pictures.prefix(29).digest]).count == 4)
        #expect(try DigitSet(images: Self.pictures.images, labels: Self.pictures.labels).digest == d)
    }

    /// A run from a trained model's weights starts where that model is: its first epoch
    /// on a little data leaves it far more accurate than the same epoch from random weights.
    @Test func aRunStartsFromTheWeightsItIsGiven() throws {
        var options = TrainingOptions()
        options.epochs = 1
        options.augment = false
        options.penShare = 0
        let start = Fixtures.trained
        let tuned = try Trainer(options: options, initialParameters: start.parameters, threads: 2)
        #expect(tuned.parameters == start.parameters)
        let fresh = try Trainer(options: options, threads: 2)
        let few = mnistTrain.prefix(640), test = mnistTest.prefix(1000)
        var accuracies = [Double]()
        for t in [tuned, fresh] {
            try t.run(train: few, test: test) { report, _ in accuracies.append(report.testAccuracy ?? 0) }
        }
        #expect(accuracies[0] > 0.9 && accuracies[1] < 0.85, "\(accuracies)")
        #expect(throws: LeNetError.self) { try Trainer(options: options, initialParameters: [0, 1]) }
        var broken = start.parameters
        broken[7] = .nan
        #expect(throws: LeNetError.self) { try Trainer(options: options, initialParameters: broken) }
    }

    /// The held-back accuracy is reported every epoch and kept in the history, whose text
    /// reads back the same; a history without it keeps its five columns.
    @Test func theHeldBackAccuracyIsKept() throws {
        var options = TrainingOptions()
        options.epochs = 2
        options.augment = false
        options.penShare = 0
        let t = try Trainer(options: options, threads: 2)
        var reports = [EpochReport](), last: Model?
        try t.run(train: mnistTrain.prefix(3200), test: nil, validation: mnistTest.prefix(200)) { r, m in reports.append(r); last = m }
        #expect(reports.allSatisfy { ($0.validationAccuracy ?? -1) > 0.5 }, "\(reports.map(\.validationAccuracy))")
        let history = try #require(try last?.history())
        #expect(history.epochs.map(\.validationAccuracy) == reports.map(\.validationAccuracy).map { $0.map { ($0 * 1e6).rounded() / 1e6 } })
        let plain = TrainingHistory([.init(epoch: 1, loss: 0.5, trainAccuracy: 0.9, testAccuracy: nil, learningRate: 0.001)])
        #expect(!plain.encoded.contains("validation"))
    }
}
