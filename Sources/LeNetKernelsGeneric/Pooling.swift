extension Kernels {
    /// 2x2 max-pool, stride 2, over `planes` planes of height x width (both even):
    /// planes x H x W -> planes x H/2 x W/2.
    @inline(__always)
    static func maxPool2x2Shaped(
        planes: Int, height: Int, width: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
    ) {
        let ow = width / 2, oh = height / 2
        for p in 0..<planes {
            let xp = x + p * height * width, yp = y + p * oh * ow
            for oy in 0..<oh {
                let r0 = xp + 2 * oy * width, r1 = r0 + width, out = yp + oy * ow
                // Vertical max of the two rows, then pairs of columns; LLVM turns the
                // stride-2 access into shuffles (the SIMD evenHalf/oddHalf accessors
                // compile to per-lane moves here and ran 4x slower).
                for ox in 0..<ow {
                    let c = 2 * ox
                    let a = r0[c] > r1[c] ? r0[c] : r1[c]
                    let b = r0[c + 1] > r1[c + 1] ? r0[c + 1] : r1[c + 1]
                    out[ox] = a > b ? a : b
                }
            }
        }
    }

    /// Backward of ReLU followed by 2x2 max-pool: each window's gradient goes to the first
    /// position holding its maximum, and nowhere when that maximum is 0 (ReLU was inactive).
    /// `dx` is overwritten. Written without branches so the compiler can vectorize it.
    @inline(__always)
    static func maxPool2x2ReluBackwardShaped(
        planes: Int, height: Int, width: Int,
        input x: UnsafePointer<Float>, output y: UnsafePointer<Float>, gradient dy: UnsafePointer<Float>,
        _ dx: UnsafeMutablePointer<Float>
    ) {
        let ow = width / 2, oh = height / 2
        for p in 0..<planes {
            let yp = y + p * oh * ow, dyp = dy + p * oh * ow
            for oy in 0..<oh {
                let r0 = x + p * height * width + 2 * oy * width, r1 = r0 + width
                let d0 = dx + p * height * width + 2 * oy * width, d1 = d0 + width
                for ox in 0..<ow {
                    // The gradient not yet placed moves along the window in priority
                    // order; plain selects (no && or ||, which become branches).
                    let m = yp[oy * ow + ox], c = 2 * ox
                    var rest = m > 0 ? dyp[oy * ow + ox] : 0
                    d0[c] = r0[c] == m ? rest : 0
                    rest = r0[c] == m ? 0 : rest
                    d0[c + 1] = r0[c + 1] == m ? rest : 0
                    rest = r0[c + 1] == m ? 0 : rest
                    d1[c] = r1[c] == m ? rest : 0
                    rest = r1[c] == m ? 0 : rest
                    d1[c + 1] = rest
                }
            }
        }
    }

    // LeNet-5's shapes as constants for the inlined bodies (see `convShape`).
    @inline(__always)
    static func poolShape(_ p: Int, _ h: Int, _ w: Int, _ body: (Int, Int, Int) -> Void) {
        if p == 6 && h == 28 && w == 28 {
            body(6, 28, 28)
        } else if p == 16 && h == 10 && w == 10 {
            body(16, 10, 10)
        } else {
            body(p, h, w)
        }
    }

    public static func maxPool2x2(planes: Int, height: Int, width: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        poolShape(planes, height, width) { maxPool2x2Shaped(planes: $0, height: $1, width: $2, x, y) }
    }

    public static func maxPool2x2ReluBackward(
        planes: Int, height: Int, width: Int, input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
        gradient dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>
    ) {
        poolShape(planes, height, width) {
            maxPool2x2ReluBackwardShaped(planes: $0, height: $1, width: $2, input: x, output: y, gradient: dy, dx)
        }
    }
}
