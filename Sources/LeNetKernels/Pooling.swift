import CVectorMath
import LeNetKernelAPI

extension Kernels {
    /// 2x2 max-pool, stride 2, over `planes` planes of height x width (both even):
    /// planes x H x W -> planes x H/2 x W/2.
    @inline(__always)
    static func maxPool2x2Shaped(
        planes: Int, height: Int, width: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
    ) {
        let ow = width / 2, oh = height / 2
        if width == 28 {
            for row in 0..<(planes * oh) {
                lenet_max_pool_row28(x + 2 * row * 28, x + (2 * row + 1) * 28, y + row * 14)
            }
            return
        }
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
    /// `dx` is overwritten. Blocks of 8 windows at once, the last block of a row
    /// overlapping the one before it (it writes the same values again); rows narrower than
    /// 8 windows go one window at a time.
    @inline(__always)
    static func maxPool2x2ReluBackwardShaped(
        planes: Int, height: Int, width: Int,
        input x: UnsafePointer<Float>, output y: UnsafePointer<Float>, gradient dy: UnsafePointer<Float>,
        _ dx: UnsafeMutablePointer<Float>
    ) {
        let ow = width / 2, oh = height / 2
        for p in 0..<planes {
            for oy in 0..<oh {
                let m = y + p * oh * ow + oy * ow, g = dy + p * oh * ow + oy * ow
                let r0 = x + p * height * width + 2 * oy * width, r1 = r0 + width
                let d0 = dx + p * height * width + 2 * oy * width, d1 = d0 + width
                let rows = WindowRows(m: m, g: g, r0: r0, r1: r1, d0: d0, d1: d1)
                if ow >= 8 {
                    for ox in stride(from: 0, to: ow - 8, by: 8) { rows.backward8(ox) }
                    rows.backward8(ow - 8)
                } else {
                    for ox in 0..<ow { rows.backward(ox) }
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
        } else if p == 1 && h == 10 && w == 10 {
            body(1, 10, 10)  // training's backward, one plane at a time into the group's matrix
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

/// One row of 2x2 windows for the max-pool backward: the pooled maxima and gradients, the
/// two input rows and the two gradient rows they map to.
struct WindowRows {
    let m, g, r0, r1: UnsafePointer<Float>
    let d0, d1: UnsafeMutablePointer<Float>

    /// Windows ox ..< ox + 8, their columns split by evenHalf / oddHalf (on concrete
    /// types: through a generic protocol they compiled to calls and made the pass slower
    /// than the scalar loop). Gradient order within a window: r0 left, r0 right, r1 left,
    /// r1 right (the first that holds the maximum takes it all).
    @inline(__always)
    func backward8(_ ox: Int) {
        let mv = UnsafeRawPointer(m + ox).loadUnaligned(as: SIMD8<Float>.self)
        let top = UnsafeRawPointer(r0 + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        let bottom = UnsafeRawPointer(r1 + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        var rest = UnsafeRawPointer(g + ox).loadUnaligned(as: SIMD8<Float>.self).replacing(with: 0, where: mv .<= 0)
        var out0 = SIMD16<Float>(), out1 = SIMD16<Float>()
        out0.evenHalf = rest.replacing(with: 0, where: top.evenHalf .!= mv)
        rest.replace(with: 0, where: top.evenHalf .== mv)
        out0.oddHalf = rest.replacing(with: 0, where: top.oddHalf .!= mv)
        rest.replace(with: 0, where: top.oddHalf .== mv)
        out1.evenHalf = rest.replacing(with: 0, where: bottom.evenHalf .!= mv)
        rest.replace(with: 0, where: bottom.evenHalf .== mv)
        out1.oddHalf = rest
        UnsafeMutableRawPointer(d0 + 2 * ox).storeBytes(of: out0, as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(d1 + 2 * ox).storeBytes(of: out1, as: SIMD16<Float>.self)
    }

    /// Window ox alone, the same rule in scalars.
    @inline(__always)
    func backward(_ ox: Int) {
        let c = 2 * ox
        var rest = m[ox] > 0 ? g[ox] : 0
        d0[c] = r0[c] == m[ox] ? rest : 0
        rest = r0[c] == m[ox] ? 0 : rest
        d0[c + 1] = r0[c + 1] == m[ox] ? rest : 0
        rest = r0[c + 1] == m[ox] ? 0 : rest
        d1[c] = r1[c] == m[ox] ? rest : 0
        d1[c + 1] = r1[c] == m[ox] ? 0 : rest
    }
}
