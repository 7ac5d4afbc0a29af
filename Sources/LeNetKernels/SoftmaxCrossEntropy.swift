import LeNetKernelAPI
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Kernels {
    /// Softmax probabilities of one row of logits, numerically stable (max subtracted).
    public static func softmax(_ count: Int, _ z: UnsafePointer<Float>, _ p: UnsafeMutablePointer<Float>) {
        let (_, s) = shiftedExponentials(count, z, p)
        let inv = 1 / s
        for i in 0..<count { p[i] *= inv }
    }

    /// e[i] = exp(z[i] - max z), the overflow-safe numerators of a softmax; returns the max
    /// and the sum of e. `e` may be `z`.
    @inline(__always)
    static func shiftedExponentials(_ count: Int, _ z: UnsafePointer<Float>, _ e: UnsafeMutablePointer<Float>) -> (max: Float, sum: Float) {
        var m = z[0]
        for i in 1..<count { m = max(m, z[i]) }
        var s: Float = 0
        for i in 0..<count {
            e[i] = expf(z[i] - m)
            s += e[i]
        }
        return (m, s)
    }

    /// Mean-reduced softmax cross-entropy over `rows` rows of `classes` logits: writes
    /// dL/dz = (softmax - onehot) * scale into `dz` and returns the summed (unscaled) loss.
    /// A row labelled `TrainingLabel.noDigit` is taught the uniform answer instead, at
    /// `TrainingLabel.noDigitWeight`: loss w (log-sum-exp - mean z), gradient
    /// w (softmax - 1/classes) * scale.
    /// Ten classes per row leave nothing for SIMD lanes to win; this is the scalar form.
    public static func softmaxCrossEntropy(
        rows: Int, classes: Int, _ z: UnsafePointer<Float>, labels: UnsafePointer<UInt8>,
        scale: Float, _ dz: UnsafeMutablePointer<Float>
    ) -> Double {
        var loss = 0.0
        for r in 0..<rows {
            let zr = z + r * classes, dr = dz + r * classes
            let (m, s) = shiftedExponentials(classes, zr, dr)
            let y = Int(labels[r])
            if y < classes {
                // log-sum-exp minus the true logit: exact even when softmax underflows.
                loss += Double(m + logf(s) - zr[y])
                let inv = scale / s
                for i in 0..<classes { dr[i] *= inv }
                dr[y] -= scale
            } else {
                let w = TrainingLabel.noDigitWeight
                var sum: Float = 0
                for i in 0..<classes { sum += zr[i] }
                loss += Double(w * (m + logf(s) - sum / Float(classes)))
                let inv = w * scale / s, uniform = w * scale / Float(classes)
                for i in 0..<classes { dr[i] = dr[i] * inv - uniform }
            }
        }
        return loss
    }
}
