import LeNetKernelAPI

/// Plain scalar twins of the vectorized kernels: obviously correct loops that the tests
/// compare the fast kernels with. Not used on any hot path.
package enum Reference {
    /// `gemmPacked`'s A strips by their definition: strip p, column kk, lane i holds
    /// op(A)[6p + i][kk], zero past m.
    package static func packA(m: Int, k: Int, _ a: MatrixOperand, into dst: UnsafeMutablePointer<Float>) {
        let mr = GEMMTile.rows
        for strip in 0..<((m + mr - 1) / mr) {
            for kk in 0..<k {
                for i in 0..<mr {
                    let row = strip * mr + i
                    dst[(strip * k + kk) * mr + i] = row < m ? a.at(row, kk) : 0
                }
            }
        }
    }

    /// `gemmPacked`'s B panels by their definition: panel p, row kk, lane j holds
    /// op(B)[kk][32p + j], zero past n.
    package static func packB(n: Int, k: Int, _ b: MatrixOperand, into dst: UnsafeMutablePointer<Float>) {
        let nr = GEMMTile.columns
        for panel in 0..<((n + nr - 1) / nr) {
            for kk in 0..<k {
                for j in 0..<nr {
                    let column = panel * nr + j
                    dst[(panel * k + kk) * nr + j] = column < n ? b.at(kk, column) : 0
                }
            }
        }
    }

    /// Adam's update on one element at a time, as PyTorch writes it.
    package static func adamUpdate(_ p: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float], _ s: AdamStep) {
        for i in p.indices {
            m[i] = m[i] * s.beta1 + g[i] * (1 - s.beta1)
            v[i] = v[i] * s.beta2 + g[i] * g[i] * (1 - s.beta2)
            p[i] -= s.stepSize * m[i] / (v[i].squareRoot() / s.rootC2 + s.epsilon)
        }
    }

    /// SGD with momentum on one element at a time.
    package static func sgdUpdate(_ p: inout [Float], _ g: [Float], _ m: inout [Float], mu: Float, learningRate lr: Float) {
        for i in p.indices {
            m[i] = m[i] * mu + g[i]
            p[i] -= lr * m[i]
        }
    }

    package static func gemm(
        m: Int, n: Int, k: Int, _ a: MatrixOperand, _ b: MatrixOperand,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for kk in 0..<k { s += a.at(i, kk) * b.at(kk, j) }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + s : s
            }
        }
    }

    package static func addRowBias(rows: Int, columns: Int, _ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool) {
        for r in 0..<rows {
            for c in 0..<columns {
                let s = x[r * columns + c] + bias[r]
                x[r * columns + c] = relu ? max(0, s) : s
            }
        }
    }

    package static func addColumnBias(rows: Int, columns: Int, _ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool) {
        for r in 0..<rows {
            for c in 0..<columns {
                let s = x[r * columns + c] + bias[c]
                x[r * columns + c] = relu ? max(0, s) : s
            }
        }
    }

    package static func reluBackward(_ count: Int, _ g: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>) {
        for i in 0..<count where y[i] <= 0 { g[i] = 0 }
    }

    package static func maxPool2x2(planes: Int, height: Int, width: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let oh = height / 2, ow = width / 2
        for p in 0..<planes {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var m = -Float.infinity
                    for dy in 0..<2 {
                        for dx in 0..<2 { m = max(m, x[p * height * width + (2 * oy + dy) * width + 2 * ox + dx]) }
                    }
                    y[p * oh * ow + oy * ow + ox] = m
                }
            }
        }
    }

    /// Direct valid convolution, stride 1: y[o][oy][ox] = sum over c, ky, kx of
    /// w[o][c][ky][kx] * x[c][oy+ky][ox+kx] (no bias): the twin of im2col + gemm.
    package static func conv2d(
        inChannels: Int, outChannels: Int, height: Int, width: Int, kernel: Int,
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
    ) {
        let oh = height - kernel + 1, ow = width - kernel + 1
        for o in 0..<outChannels {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var s: Float = 0
                    for c in 0..<inChannels {
                        for ky in 0..<kernel {
                            for kx in 0..<kernel {
                                s += w[((o * inChannels + c) * kernel + ky) * kernel + kx]
                                    * x[(c * height + oy + ky) * width + ox + kx]
                            }
                        }
                    }
                    y[(o * oh + oy) * ow + ox] = s
                }
            }
        }
    }

    /// Gradients of `conv2d`: dw += dL/dw and dx = dL/dx given dy = dL/dy.
    package static func conv2dBackward(
        inChannels: Int, outChannels: Int, height: Int, width: Int, kernel: Int,
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
        dw: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>
    ) {
        let oh = height - kernel + 1, ow = width - kernel + 1
        dx.update(repeating: 0, count: inChannels * height * width)
        for o in 0..<outChannels {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let g = dy[(o * oh + oy) * ow + ox]
                    for c in 0..<inChannels {
                        for ky in 0..<kernel {
                            for kx in 0..<kernel {
                                let wi = ((o * inChannels + c) * kernel + ky) * kernel + kx
                                let xi = (c * height + oy + ky) * width + ox + kx
                                dw[wi] += g * x[xi]
                                dx[xi] += g * w[wi]
                            }
                        }
                    }
                }
            }
        }
    }

    package static func maxPool2x2ReluBackward(
        planes: Int, height: Int, width: Int,
        input x: UnsafePointer<Float>, output y: UnsafePointer<Float>, gradient dy: UnsafePointer<Float>,
        _ dx: UnsafeMutablePointer<Float>
    ) {
        let oh = height / 2, ow = width / 2
        dx.update(repeating: 0, count: planes * height * width)
        for p in 0..<planes {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let m = y[p * oh * ow + oy * ow + ox]
                    if m <= 0 { continue }
                    search: for dyy in 0..<2 {
                        for dxx in 0..<2 {
                            let i = p * height * width + (2 * oy + dyy) * width + 2 * ox + dxx
                            if x[i] == m {
                                dx[i] = dy[p * oh * ow + oy * ow + ox]
                                break search
                            }
                        }
                    }
                }
            }
        }
    }

    package static func rowSums(rows: Int, columns: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            for c in 0..<columns { out[r] += x[r * columns + c] }
        }
    }
}
