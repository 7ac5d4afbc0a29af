/// xoshiro256** seeded through SplitMix64: small, fast, and its whole state (four words)
/// fits in a checkpoint, so a resumed run draws exactly the numbers it would have drawn.
package struct Xoshiro256: RandomNumberGenerator, Equatable, Sendable {
    package var state: (UInt64, UInt64, UInt64, UInt64)

    package init(seed: UInt64) {
        var s = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(&s), splitMix(&s), splitMix(&s), splitMix(&s))
    }

    package init(state: [UInt64]) throws {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else {
            throw LeNetError.format("random generator state must be 4 words, not all zero")
        }
        self.state = (state[0], state[1], state[2], state[3])
    }

    package var words: [UInt64] { [state.0, state.1, state.2, state.3] }

    package static func == (a: Xoshiro256, b: Xoshiro256) -> Bool { a.words == b.words }

    package mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 24 bits, the precision of a Float.
    package mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [low, high).
    package mutating func nextFloat(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUnitFloat()
    }

    /// Uniform in 0..<bound without modulo bias (Lemire's method).
    package mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next(upperBound: UInt64(bound)))
    }

    /// 0..<n in an order drawn from the generator (Fisher-Yates, from the end): an epoch's
    /// shuffle, or which of a user's pictures are held back.
    package mutating func permutation(_ n: Int) -> [Int] {
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, nextInt(below: i + 1)) }
        return order
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
