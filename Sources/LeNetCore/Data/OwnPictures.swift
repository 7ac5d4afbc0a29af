/// A user's own labelled pictures in training: held back in part to measure the model on
/// them, repeated so that a few hundred are not drowned by MNIST's 60,000, and named by
/// their content so that a checkpoint says which pictures it saw and a resumed run can
/// check it sees the same.
extension DigitSet {
    /// The digits split by a shuffle drawn from `seed`: the first round(`share` x count)
    /// held back (at least one when `share` > 0 and there are two digits or more), the rest
    /// to train on, each part in the set's order.
    public func heldBack(_ share: Double, seed: UInt64) throws -> (train: DigitSet, validation: DigitSet) {
        guard share >= 0, share < 1 else { throw LeNetError.invalidArgument("the share held back must be in [0, 1), got \(share)") }
        var rng = Xoshiro256(seed: seed ^ 0x6c65_6e65_7476_616c)  // "lenetval": apart from the run's own stream
        let order = rng.permutation(count)
        var n = Int((share * Double(count)).rounded())
        if share > 0, count >= 2 { n = min(max(n, 1), count - 1) }
        let held = Set(order.prefix(n))
        return (picking((0..<count).filter { !held.contains($0) }), picking((0..<count).filter { held.contains($0) }))
    }

    /// This set with `pictures` repeated so that they make `share` of the result (at least
    /// once each): pictures 0..<n, then again, as many whole and part rounds as it takes.
    public func mixing(_ pictures: DigitSet, share: Double) throws -> DigitSet {
        guard share > 0, share < 1 else { throw LeNetError.invalidArgument("the pictures' share must be in (0, 1), got \(share)") }
        guard pictures.count > 0 else { return self }
        let wanted = max(Double(pictures.count), (share / (1 - share) * Double(count)).rounded())
        guard wanted + Double(count) <= Double(Self.maxMixed) else {
            throw LeNetError.invalidArgument("a share of \(share) beside \(count) digits makes \(Int(min(wanted, 1e15))) pictures, more than the \(Self.maxMixed) digits a mix may hold")
        }
        return appending(pictures.repeated(to: Int(wanted)))
    }

    /// 784 bytes each: a mix holds at most 1.6 GB.
    public static let maxMixed = 2_000_000

    /// The digits repeated in order until there are `n` of them (`n` >= count).
    public func repeated(to n: Int) -> DigitSet {
        guard count > 0, n > count else { return self }
        return picking((0..<n).map { $0 % count })
    }

    /// The digits at `indices`, in their order.
    func picking(_ indices: [Int]) -> DigitSet {
        var s = self
        s.images = [UInt8](unsafeUninitializedCapacity: indices.count * Self.pixels) { buffer, initialized in
            images.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() {
                    (buffer.baseAddress! + k * Self.pixels).initialize(from: src.baseAddress! + i * Self.pixels, count: Self.pixels)
                }
            }
            initialized = indices.count * Self.pixels
        }
        s.labels = indices.map { labels[$0] }
        return s
    }

    /// The ContentDigest of the digits and their labels, in order, as 16 hex digits:
    /// what a run trained on, so a resumed run can tell whether it reads the same pictures.
    public var digest: String {
        images.withUnsafeBytes { i in labels.withUnsafeBytes { l in ContentDigest.hex([i, l]) } }
    }
}
