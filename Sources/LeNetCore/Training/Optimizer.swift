/// The optimizers and their state, with PyTorch's update rules so a run here and a run
/// there follow the same arithmetic.
public enum OptimizerKind: String, Sendable, CaseIterable {
    case adam, sgd
}

public struct OptimizerSettings: Sendable, Equatable {
    public var kind: OptimizerKind = .adam
    public var learningRate: Float = 1e-3
    /// SGD momentum.
    public var momentum: Float = 0.9
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8

    public init() {}
}

/// What an optimizer remembers between steps: Adam's moments (`first`, `second`) or
/// SGD's momentum buffer (`first`), and the step count for Adam's bias correction.
package struct OptimizerState: Sendable, Equatable {
    package var step: Int
    package var first: [Float]
    package var second: [Float]

    package init(parameterCount: Int) {
        step = 0
        first = [Float](repeating: 0, count: parameterCount)
        second = [Float](repeating: 0, count: parameterCount)
    }
}

enum OptimizerStep {
    /// Applies one update to parameters[range] from gradient g (same indexing), with the
    /// state for step number `step` (1-based). Ranges are disjoint across threads.
    static func apply(
        _ settings: OptimizerSettings, step: Int, range: Range<Int>,
        params p: UnsafeMutablePointer<Float>, grads g: UnsafePointer<Float>,
        first m: UnsafeMutablePointer<Float>, second v: UnsafeMutablePointer<Float>
    ) {
        switch settings.kind {
        case .adam:
            let b1 = settings.beta1, b2 = settings.beta2
            let c1 = 1 - pow(b1, step), c2 = 1 - pow(b2, step)
            let stepSize = settings.learningRate / c1, rootC2 = c2.squareRoot(), eps = settings.epsilon
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                let gi = load16(g + i)
                let mi = load16(m + i) * b1 + gi * (1 - b1)
                let vi = load16(v + i) * b2 + gi * gi * (1 - b2)
                store16(mi, m + i)
                store16(vi, v + i)
                let denom = vi.squareRoot() / rootC2 + eps
                store16(load16(p + i) - stepSize * mi / denom, p + i)
                i += 16
            }
            while i < range.upperBound {
                m[i] = m[i] * b1 + g[i] * (1 - b1)
                v[i] = v[i] * b2 + g[i] * g[i] * (1 - b2)
                p[i] -= stepSize * m[i] / (v[i].squareRoot() / rootC2 + eps)
                i += 1
            }
        case .sgd:
            let mu = settings.momentum, lr = settings.learningRate
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                let b = load16(m + i) * mu + load16(g + i)
                store16(b, m + i)
                store16(load16(p + i) - lr * b, p + i)
                i += 16
            }
            while i < range.upperBound {
                m[i] = m[i] * mu + g[i]
                p[i] -= lr * m[i]
                i += 1
            }
        }
    }

    /// x^n by repeated squaring: Float `pow` without Foundation.
    static func pow(_ x: Float, _ n: Int) -> Float {
        var result: Float = 1, base = x, e = n
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }
}
