extension Kernels {
    /// 2x2 max-pool, stride 2, over `planes` planes of height x width (both even):
    /// planes x H x W -> planes x H/2 x W/2.
    public static func maxPool2x2(
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
    /// `dx` is overwritten. A scatter with data-dependent targets: it stays scalar, and is
    /// a small fraction of the work (one pass over the conv output).
    public static func maxPool2x2ReluBackward(
        planes: Int, height: Int, width: Int,
        input x: UnsafePointer<Float>, output y: UnsafePointer<Float>, gradient dy: UnsafePointer<Float>,
        _ dx: UnsafeMutablePointer<Float>
    ) {
        let ow = width / 2, oh = height / 2
        dx.update(repeating: 0, count: planes * height * width)
        for p in 0..<planes {
            let xp = x + p * height * width, dxp = dx + p * height * width
            let yp = y + p * oh * ow, dyp = dy + p * oh * ow
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let m = yp[oy * ow + ox]
                    guard m > 0 else { continue }
                    let i0 = 2 * oy * width + 2 * ox
                    let i = xp[i0] == m ? i0 : xp[i0 + 1] == m ? i0 + 1 : xp[i0 + width] == m ? i0 + width : i0 + width + 1
                    dxp[i] = dyp[oy * ow + ox]
                }
            }
        }
    }
}
