import CVectorMath
import LeNetKernelAPI

extension Kernels {
    /// Adam's update, PyTorch's arithmetic in PyTorch's order (see `AdamStep`): per i < count,
    /// m = m b1 + g (1 - b1), v = v b2 + g g (1 - b2), p = old - stepSize m / (sqrt(v) / rootC2 + eps).
    public static func adamUpdate(
        _ count: Int, params p: UnsafeMutablePointer<Float>, from old: UnsafePointer<Float>, grads g: UnsafePointer<Float>,
        first m: UnsafeMutablePointer<Float>, second v: UnsafeMutablePointer<Float>, _ s: AdamStep
    ) {
        let b1 = s.beta1, b2 = s.beta2
        var i = 0
        while i + 16 <= count {
            let gi = load16(g + i)
            let mi = load16(m + i) * b1 + gi * (1 - b1)
            let vi = load16(v + i) * b2 + gi * gi * (1 - b2)
            store16(mi, m + i)
            store16(vi, v + i)
            let denom = lenet_sqrt16(vi) / s.rootC2 + s.epsilon
            store16(load16(old + i) - s.stepSize * mi / denom, p + i)
            i += 16
        }
        while i < count {
            m[i] = m[i] * b1 + g[i] * (1 - b1)
            v[i] = v[i] * b2 + g[i] * g[i] * (1 - b2)
            p[i] = old[i] - s.stepSize * m[i] / (v[i].squareRoot() / s.rootC2 + s.epsilon)
            i += 1
        }
    }

    /// SGD with momentum, PyTorch's form: b = b mu + g, p = old - lr b.
    public static func sgdUpdate(
        _ count: Int, params p: UnsafeMutablePointer<Float>, from old: UnsafePointer<Float>, grads g: UnsafePointer<Float>,
        momentum m: UnsafeMutablePointer<Float>, mu: Float, learningRate lr: Float
    ) {
        var i = 0
        while i + 16 <= count {
            let b = load16(m + i) * mu + load16(g + i)
            store16(b, m + i)
            store16(load16(old + i) - lr * b, p + i)
            i += 16
        }
        while i < count {
            m[i] = m[i] * mu + g[i]
            p[i] = old[i] - lr * m[i]
            i += 1
        }
    }
}
