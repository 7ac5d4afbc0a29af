import LeNetCore

/// LeNet-5 written the slow, obvious way in Double: direct convolutions, explicit loops.
/// The gradient check differentiates it numerically; the forward test compares logits.
enum ReferenceNetwork {
    static func logits(_ p: [Double], _ x: [Double]) -> [Double] {
        func conv(_ input: [Double], _ c: Int, _ side: Int, _ o: Int, _ w: Int, _ b: Int) -> [Double] {
            let os = side - 4
            var out = [Double](repeating: 0, count: o * os * os)
            for oc in 0..<o {
                for oy in 0..<os {
                    for ox in 0..<os {
                        var s = p[b + oc]
                        for ic in 0..<c {
                            for ky in 0..<5 {
                                for kx in 0..<5 {
                                    s += p[w + ((oc * c + ic) * 5 + ky) * 5 + kx] * input[(ic * side + oy + ky) * side + ox + kx]
                                }
                            }
                        }
                        out[(oc * os + oy) * os + ox] = max(0, s)
                    }
                }
            }
            return out
        }
        func pool(_ input: [Double], _ planes: Int, _ side: Int) -> [Double] {
            let os = side / 2
            var out = [Double](repeating: 0, count: planes * os * os)
            for c in 0..<planes {
                for y in 0..<os {
                    for x in 0..<os {
                        let i = (c * side + 2 * y) * side + 2 * x
                        out[(c * os + y) * os + x] = max(max(input[i], input[i + 1]), max(input[i + side], input[i + side + 1]))
                    }
                }
            }
            return out
        }
        func dense(_ input: [Double], _ n: Int, _ w: Int, _ b: Int, relu: Bool) -> [Double] {
            (0..<n).map { o in
                var s = p[b + o]
                for i in 0..<input.count { s += p[w + o * input.count + i] * input[i] }
                return relu ? max(0, s) : s
            }
        }
        let t = LeNet5.tensors.map(\.offset)
        let p1 = pool(conv(x, 1, 32, 6, t[0], t[1]), 6, 28)
        let p2 = pool(conv(p1, 6, 14, 16, t[2], t[3]), 16, 10)
        let h1 = dense(p2, 120, t[4], t[5], relu: true)
        let h2 = dense(h1, 84, t[6], t[7], relu: true)
        return dense(h2, 10, t[8], t[9], relu: false)
    }

    /// Mean softmax cross-entropy over the images.
    static func loss(_ p: [Double], _ inputs: [[Double]], _ labels: [Int]) -> Double {
        var total = 0.0
        for (x, y) in zip(inputs, labels) {
            let z = logits(p, x)
            let m = z.max()!
            total += m + log(z.reduce(0) { $0 + exp($1 - m) }) - z[y]
        }
        return total / Double(inputs.count)
    }
}

#if canImport(Glibc)
import Glibc
#endif
