import LeNetCore
import LeNetKernelAPI
import Testing

/// Every vectorized kernel, at every CPU level this machine runs, against its scalar twin
/// in `Reference`, on random shapes.
@Suite struct KernelTests {
    @Test(arguments: KernelLevel.available)
    func biasAndReluMatchReference(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 21)
        for _ in 0..<50 {
            let rows = 1 + rng.nextInt(below: 20), cols = 1 + rng.nextInt(below: 100), relu = rng.nextInt(below: 2) == 1
            let x = randomFloats(rows * cols, &rng), rowBias = randomFloats(rows, &rng), colBias = randomFloats(cols, &rng)
            var a = x, b = x, c = x, d = x
            K.addRowBias(rows: rows, columns: cols, &a, rowBias, relu: relu)
            Reference.addRowBias(rows: rows, columns: cols, &b, rowBias, relu: relu)
            K.addColumnBias(rows: rows, columns: cols, &c, colBias, relu: relu)
            Reference.addColumnBias(rows: rows, columns: cols, &d, colBias, relu: relu)
            #expect(a == b)
            #expect(c == d)
        }
    }

    @Test(arguments: KernelLevel.available)
    func reluBackwardAndSumsMatchReference(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 22)
        for _ in 0..<50 {
            let rows = 1 + rng.nextInt(below: 20), cols = 1 + rng.nextInt(below: 100)
            let y = randomFloats(rows * cols, &rng).map { max(0, $0) }, g = randomFloats(rows * cols, &rng)
            var a = g, b = g
            K.reluBackward(rows * cols, &a, output: y)
            Reference.reluBackward(rows * cols, &b, output: y)
            #expect(a == b)

            var fast = randomFloats(rows, &rng), slow = fast
            K.accumulateRowSums(rows: rows, columns: cols, g, into: &fast)
            Reference.rowSums(rows: rows, columns: cols, g, into: &slow)
            #expect(maxRelativeError(fast, slow) < 1e-5)

            var sum = [Float](repeating: 0, count: cols)
            K.accumulateColumnSums(rows: rows, columns: cols, g, into: &sum)
            let expected = (0..<cols).map { c in (0..<rows).reduce(Float(0)) { $0 + g[$1 * cols + c] } }
            #expect(maxRelativeError(sum, expected) < 1e-5)
        }
    }

    @Test(arguments: KernelLevel.available)
    func optimizerUpdatesMatchReference(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 29)
        for _ in 0..<20 {
            let n = 1 + rng.nextInt(below: 300), g = randomFloats(n, &rng)
            let p0 = randomFloats(n, &rng), m0 = randomFloats(n, &rng), v0 = randomFloats(n, &rng, 0, 1)
            let s = AdamStep(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, stepSize: 1e-3 / 0.1, rootC2: 0.0316)
            var rp = p0, rm = m0, rv = v0
            Reference.adamUpdate(&rp, g, &rm, &rv, s)
            // Into another buffer (as training does) and in place.
            var p = [Float](repeating: .nan, count: n), m = m0, v = v0
            K.adamUpdate(n, params: &p, from: p0, grads: g, first: &m, second: &v, s)
            #expect(p == rp && m == rm && v == rv)
            #expect(p != p0)
            var q = p0, qm = m0, qv = v0
            q.withUnsafeMutableBufferPointer { K.adamUpdate(n, params: $0.baseAddress!, from: $0.baseAddress!, grads: g, first: &qm, second: &qv, s) }
            #expect(q == rp && qm == rm && qv == rv)

            var tp = p0, tm = m0
            Reference.sgdUpdate(&tp, g, &tm, mu: 0.9, learningRate: 0.01)
            var sp = [Float](repeating: .nan, count: n), sm = m0
            K.sgdUpdate(n, params: &sp, from: p0, grads: g, momentum: &sm, mu: 0.9, learningRate: 0.01)
            #expect(sp == tp && sm == tm)
            var sq = p0, sqm = m0
            sq.withUnsafeMutableBufferPointer { K.sgdUpdate(n, params: $0.baseAddress!, from: $0.baseAddress!, grads: g, momentum: &sqm, mu: 0.9, learningRate: 0.01) }
            #expect(sq == tp && sqm == tm)
        }
    }

    @Test(arguments: KernelLevel.available)
    func maxPoolForwardAndBackwardMatchReference(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 23)
        // LeNet-5's two shapes (compiled as constants) first, then random ones.
        let shapes = [(6, 28, 28), (16, 10, 10)] + (0..<50).map { _ in
            (1 + rng.nextInt(below: 8), 2 * (1 + rng.nextInt(below: 16)), 2 * (1 + rng.nextInt(below: 20)))
        }
        for (planes, h, w) in shapes {
            // ReLU outputs: many exact zeros, so ties and the "inactive" rule are exercised.
            let x = randomFloats(planes * h * w, &rng).map { max(0, $0) }
            var y1 = [Float](repeating: 0, count: planes * h * w / 4), y2 = y1
            K.maxPool2x2(planes: planes, height: h, width: w, x, &y1)
            Reference.maxPool2x2(planes: planes, height: h, width: w, x, &y2)
            #expect(y1 == y2)
            let dy = randomFloats(y1.count, &rng)
            var d1 = [Float](repeating: .nan, count: x.count), d2 = d1
            K.maxPool2x2ReluBackward(planes: planes, height: h, width: w, input: x, output: y1, gradient: dy, &d1)
            Reference.maxPool2x2ReluBackward(planes: planes, height: h, width: w, input: x, output: y2, gradient: dy, &d2)
            #expect(d1 == d2)
        }
    }

    /// im2col + gemm (the definition's path) against a direct convolution.
    @Test(arguments: KernelLevel.available)
    func convolutionThroughIm2colMatchesDirectConvolution(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 24)
        let scratch = Scratch(level: level)
        for _ in 0..<30 {
            let c = 1 + rng.nextInt(below: 6), o = 1 + rng.nextInt(below: 16), k = 1 + rng.nextInt(below: 5)
            let h = k + rng.nextInt(below: 12), w = k + rng.nextInt(below: 12)
            let oh = h - k + 1, ow = w - k + 1, kk = c * k * k, p = oh * ow
            let x = randomFloats(c * h * w, &rng), wt = randomFloats(o * kk, &rng)

            var col = [Float](repeating: 0, count: kk * p)
            K.im2col(channels: c, height: h, width: w, kernel: k, x, &col)
            var fast = [Float](repeating: 0, count: o * p), direct = fast
            wt.withUnsafeBufferPointer { wp in
                col.withUnsafeBufferPointer { cp in
                    fast.withUnsafeMutableBufferPointer {
                        gemm(m: o, n: p, k: kk, MatrixOperand(wp.baseAddress!, stride: kk), MatrixOperand(cp.baseAddress!, stride: p),
                             $0.baseAddress!, ldc: p, accumulate: false, scratch: scratch)
                    }
                }
            }
            Reference.conv2d(inChannels: c, outChannels: o, height: h, width: w, kernel: k, x, wt, &direct)
            #expect(maxRelativeError(fast, direct) < 1e-5)
        }
    }

    @Test(arguments: KernelLevel.available)
    func directConv1MatchesReference(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 26)
        for _ in 0..<10 {
            let x = randomFloats(1024, &rng), w = randomFloats(150, &rng), b = randomFloats(6, &rng, -0.5, 0.5)
            var fast = [Float](repeating: .nan, count: 4704), slow = fast
            K.conv1Forward(x, weights: w, bias: b, &fast)
            Reference.conv2d(inChannels: 1, outChannels: 6, height: 32, width: 32, kernel: 5, x, w, &slow)
            Reference.addRowBias(rows: 6, columns: 784, &slow, b, relu: true)
            #expect(maxRelativeError(fast, slow) < 1e-5)

            let dy = randomFloats(4704, &rng)
            var dw = randomFloats(150, &rng), refDw = dw, refDx = [Float](repeating: 0, count: 1024)
            K.conv1WeightGradient(x, dy, into: &dw)
            Reference.conv2dBackward(inChannels: 1, outChannels: 6, height: 32, width: 32, kernel: 5, x, w, dy, dw: &refDw, dx: &refDx)
            #expect(maxRelativeError(dw, refDw) < 1e-4)
        }
    }

    /// conv2 computed directly (filters tap-major, sums position-major) and its bias, ReLU
    /// and pooling against the planar reference convolution, at every level.
    @Test(arguments: KernelLevel.available)
    func directConv2MatchesReference(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 27)
        for _ in 0..<10 {
            let x = randomFloats(1176, &rng), w = randomFloats(2400, &rng), b = randomFloats(16, &rng, -0.5, 0.5)
            var taps = [Float](repeating: 0, count: 2400)
            for o in 0..<16 { for t in 0..<150 { taps[t * 16 + o] = w[o * 150 + t] } }
            var sums = [Float](repeating: .nan, count: 1600), pooled = [Float](repeating: .nan, count: 400), map = sums
            K.conv2Direct(x, weights: taps, &sums)
            K.conv2Finish(sums, bias: b, pooled: &pooled, activations: &map)
            var refMap = [Float](repeating: 0, count: 1600), refPooled = [Float](repeating: 0, count: 400)
            Reference.conv2d(inChannels: 6, outChannels: 16, height: 14, width: 14, kernel: 5, x, w, &refMap)
            let planarSums = (0..<1600).map { sums[($0 % 100) * 16 + $0 / 100] }
            #expect(maxRelativeError(planarSums, refMap) < 1e-5)
            Reference.addRowBias(rows: 16, columns: 100, &refMap, b, relu: true)
            Reference.maxPool2x2(planes: 16, height: 10, width: 10, refMap, &refPooled)
            let planarMap = (0..<1600).map { map[($0 % 100) * 16 + $0 / 100] }
            #expect(maxRelativeError(planarMap, refMap) < 1e-5)
            #expect(maxRelativeError(pooled, refPooled) < 1e-5)
            #expect(refMap.contains(0) && refMap.contains { $0 > 0 }, "the ReLU cuts some outputs, not all")
        }
    }

    /// `count` gradient values, each nonzero (in [-2, 2]) with probability `density`, as
    /// max-pooling's backward leaves them.
    static func gradient(_ count: Int, density: Double, _ rng: inout Xoshiro256) -> [Float] {
        (0..<count).map { _ in Double(rng.nextInt(below: 1000)) < density * 1000 ? Float(rng.nextInt(below: 2001) - 1000) / 500 : 0 }
    }

    /// conv2's weight gradient as stamps (one scaled window per nonzero output gradient,
    /// added to what `dw` holds, filters laid out as `conv2InputGradient` reads them) against
    /// the planar reference, at every level: a dense gradient, a sparse one, and none (`dw`
    /// unchanged bit for bit).
    @Test(arguments: KernelLevel.available)
    func conv2WeightGradientMatchesReference(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 28)
        for density in [1.0, 0.2, 0.0] {
            let x = randomFloats(1176, &rng), w = randomFloats(2400, &rng), before = randomFloats(16 * 5 * 32, &rng)
            let dy = Self.gradient(1600, density: density, &rng)
            let channelLast = (0..<1176).map { x[($0 % 6) * 196 + $0 / 6] } + [0, 0]
            var dw = before
            K.conv2WeightGradient(channelLast, dy, into: &dw)
            // [16][6][5][5] index of stamp entry (o, ky, kx, c).
            func stamp(_ j: Int) -> Int {
                let o = j / 150, c = j / 25 % 6, ky = j / 5 % 5, kx = j % 5
                return (o * 5 + ky) * 32 + kx * 6 + c
            }
            let planarDy = (0..<1600).map { dy[($0 % 100) * 16 + $0 / 100] }
            var refDw = (0..<2400).map { before[stamp($0)] }, refDx = [Float](repeating: 0, count: 1176)
            Reference.conv2dBackward(inChannels: 6, outChannels: 16, height: 14, width: 14, kernel: 5, x, w, planarDy,
                                     dw: &refDw, dx: &refDx)
            let planarDw = (0..<2400).map { dw[stamp($0)] }
            #expect(maxRelativeError(planarDw, refDw) < 1e-4)
            if density == 0 { #expect(dw.map(\.bitPattern) == before.map(\.bitPattern)) }
        }
    }

    /// conv2's input gradient as stamps (one scaled filter per nonzero output gradient, into
    /// a channel-last map) against the planar reference's, at every level: a dense gradient
    /// (every stamp), a sparse one as max-pooling leaves it, and none (exact zeros). The two
    /// floats after the map are read and written back as they were.
    @Test(arguments: KernelLevel.available)
    func conv2InputGradientMatchesReference(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 30)
        for density in [1.0, 0.2, 0.0] {
            let x = randomFloats(1176, &rng), w = randomFloats(2400, &rng)
            let dy = Self.gradient(1600, density: density, &rng)
            var stamps = [Float](repeating: .nan, count: 16 * 5 * 32)
            w.withUnsafeBufferPointer { wp in stamps.withUnsafeMutableBufferPointer { PackedWeights.stamps(wp.baseAddress!, into: $0.baseAddress!) } }
            var dx = [Float](repeating: .nan, count: 1176) + [3.5, -7.25]
            K.conv2InputGradient(dy, stamps: stamps, into: &dx)
            #expect(dx[1176] == 3.5 && dx[1177] == -7.25)
            let planarDy = (0..<1600).map { dy[($0 % 100) * 16 + $0 / 100] }
            var refDw = [Float](repeating: 0, count: 2400), refDx = [Float](repeating: 0, count: 1176)
            Reference.conv2dBackward(inChannels: 6, outChannels: 16, height: 14, width: 14, kernel: 5, x, w, planarDy,
                                     dw: &refDw, dx: &refDx)
            let planarDx = (0..<1176).map { dx[($0 % 196) * 6 + $0 / 196] }
            #expect(maxRelativeError(planarDx, refDx) < 1e-4)
            if density == 0 { #expect(dx[..<1176].allSatisfy { $0.bitPattern == 0 }) }
        }
    }

    /// conv2's pooling + ReLU backward with the channels in the lanes against the planar
    /// kernel and row sums, bit for bit: ties within a window (the first position takes the
    /// gradient), negative maxima (no gradient), and the bias gradient's summation order.
    @Test(arguments: KernelLevel.available)
    func conv2PoolBackwardEqualsThePlanarPassBitForBit(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 29)
        for _ in 0..<5 {
            // Coarse values, so windows hold ties; some all-negative channels.
            var map = (0..<1600).map { _ in Float(rng.nextInt(below: 7)) - 2 }
            for p in 0..<100 { map[p * 16 + 3] = -1 - Float(rng.nextInt(below: 3)) }
            let dp = randomFloats(400, &rng), bias = randomFloats(16, &rng)
            var planar = [Float](repeating: 0, count: 1600), pooled = [Float](repeating: 0, count: 400)
            map.withUnsafeBufferPointer { m in
                planar.withUnsafeMutableBufferPointer { LeNet5.transpose(m.baseAddress!, rows: 100, columns: 16, into: $0.baseAddress!) }
            }
            K.maxPool2x2(planes: 16, height: 10, width: 10, planar, &pooled)
            var expected = [Float](repeating: .nan, count: 1600), expectedBias = bias
            K.maxPool2x2ReluBackward(planes: 16, height: 10, width: 10, input: planar, output: pooled, gradient: dp, &expected)
            K.accumulateRowSums(rows: 16, columns: 100, expected, into: &expectedBias)
            var da = [Float](repeating: .nan, count: 1600), gotBias = bias
            K.conv2PoolBackward(map, gradient: dp, &da, bias: &gotBias)
            let planarDa = (0..<1600).map { da[($0 % 100) * 16 + $0 / 100] }
            #expect(planarDa.map(\.bitPattern) == expected.map(\.bitPattern))
            #expect(gotBias.map(\.bitPattern) == expectedBias.map(\.bitPattern))
            #expect(expected.contains { $0 != 0 } && expected.filter { $0 == 0 }.count > 1200,
                    "some windows pass a gradient, most positions none")
        }
    }

    @Test(arguments: KernelLevel.available)
    func softmaxCrossEntropyMatchesDoubleFormula(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 25)
        let rows = 7, classes = 10
        let z = randomFloats(rows * classes, &rng, -20, 20), labels = (0..<rows).map { _ in UInt8(rng.nextInt(below: 10)) }
        var dz = [Float](repeating: 0, count: z.count)
        let loss = K.softmaxCrossEntropy(rows: rows, classes: classes, z, labels: labels, scale: 0.5, &dz)
        var expected = 0.0
        for r in 0..<rows {
            let row = (0..<classes).map { Double(z[r * classes + $0]) }
            let m = row.max()!, s = row.reduce(0) { $0 + exp($1 - m) }
            expected += m + log(s) - row[Int(labels[r])]
            for c in 0..<classes {
                let p = exp(row[c] - m) / s - (c == Int(labels[r]) ? 1 : 0)
                #expect(abs(Double(dz[r * classes + c]) - 0.5 * p) < 1e-6)
            }
        }
        #expect(abs(loss - expected) < 1e-4 * max(1, expected))
    }

    /// Rows labelled as no digit are taught the uniform answer at half a digit's weight:
    /// the loss and gradient of w * cross-entropy(uniform, softmax), by the double formula,
    /// with digit rows around them unchanged.
    @Test(arguments: KernelLevel.available)
    func softmaxCrossEntropyTeachesNoDigitRowsTheUniformAnswer(level: KernelLevel) {
        let K = level.kernels
        var rng = Xoshiro256(seed: 26)
        let rows = 8, classes = 10, w = Double(TrainingLabel.noDigitWeight)
        let z = randomFloats(rows * classes, &rng, -20, 20)
        let labels: [UInt8] = [3, TrainingLabel.noDigit, 0, TrainingLabel.noDigit, TrainingLabel.noDigit, 9, 5, TrainingLabel.noDigit]
        var dz = [Float](repeating: 0, count: z.count)
        let loss = K.softmaxCrossEntropy(rows: rows, classes: classes, z, labels: labels, scale: 0.25, &dz)
        var expected = 0.0
        for r in 0..<rows {
            let row = (0..<classes).map { Double(z[r * classes + $0]) }
            let m = row.max()!, s = row.reduce(0) { $0 + exp($1 - m) }
            let digit = labels[r] < 10
            expected += digit ? m + log(s) - row[Int(labels[r])] : w * (m + log(s) - row.reduce(0, +) / Double(classes))
            for c in 0..<classes {
                let p = exp(row[c] - m) / s
                let g = digit ? p - (c == Int(labels[r]) ? 1 : 0) : w * (p - 1 / Double(classes))
                #expect(abs(Double(dz[r * classes + c]) - 0.25 * g) < 1e-6)
            }
            // The uniform answer's gradient sums to zero over a row, as a one-hot one does.
            #expect(abs((0..<classes).reduce(0.0) { $0 + Double(dz[r * classes + $1]) }) < 1e-6)
        }
        #expect(abs(loss - expected) < 1e-4 * max(1, expected))
    }
}

#if canImport(Glibc)
import Glibc
#endif
