import LeNetKernelAPI

/// This CPU level's build of the kernels (see `KernelProvider`). Each has a scalar twin in
/// LeNetCore's `Reference` that the tests hold it against.
public enum Kernels: KernelProvider {
    /// x[r][c] = max(0, x[r][c] + bias[r]) (relu) or x[r][c] + bias[r]: conv outputs, one
    /// bias per channel row.
    public static func addRowBias(
        rows: Int, columns: Int, _ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool
    ) {
        for r in 0..<rows {
            let b = bias[r]
            map(columns, x + r * columns) { v in
                let s = v + SIMD16<Float>(repeating: b)
                return relu ? s.replacing(with: 0, where: s .< 0) : s
            } scalar: { v in
                let s = v + b
                return relu ? (s < 0 ? 0 : s) : s
            }
        }
    }

    /// x[r][c] = max(0, x[r][c] + bias[c]) (relu) or x[r][c] + bias[c]: fully-connected
    /// outputs, one row per image.
    public static func addColumnBias(
        rows: Int, columns: Int, _ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool
    ) {
        for r in 0..<rows {
            let p = x + r * columns
            var c = 0
            while c + 16 <= columns {
                var s = load16(p + c) + load16(bias + c)
                if relu { s.replace(with: 0, where: s .< 0) }
                store16(s, p + c)
                c += 16
            }
            while c < columns {
                let s = p[c] + bias[c]
                p[c] = relu && s < 0 ? 0 : s
                c += 1
            }
        }
    }

    /// g[i] = 0 where y[i] <= 0: the ReLU backward, given the ReLU's output y.
    public static func reluBackward(_ count: Int, _ g: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>) {
        var i = 0
        while i + 16 <= count {
            let v = load16(g + i)
            store16(v.replacing(with: 0, where: load16(y + i) .<= 0), g + i)
            i += 16
        }
        while i < count {
            if y[i] <= 0 { g[i] = 0 }
            i += 1
        }
    }

    /// dst[i] += src[i].
    public static func add(_ count: Int, _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>) {
        var i = 0
        while i + 16 <= count {
            store16(load16(dst + i) + load16(src + i), dst + i)
            i += 16
        }
        if i + 8 <= count {
            store8(load8(dst + i) + load8(src + i), dst + i)
            i += 8
        }
        if i + 4 <= count {
            store4(load4(dst + i) + load4(src + i), dst + i)
            i += 4
        }
        while i < count {
            dst[i] += src[i]
            i += 1
        }
    }

    /// out[r] += sum of row r: the bias gradient of a conv layer.
    public static func accumulateRowSums(rows: Int, columns: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 1) { lanes in
            for r in 0..<rows {
                let p = x + r * columns
                var acc = SIMD16<Float>()
                var c = 0
                while c + 16 <= columns {
                    acc += load16(p + c)
                    c += 16
                }
                lanes[0] = acc
                var s = laneSum(lanes.baseAddress!)
                while c < columns {
                    s += p[c]
                    c += 1
                }
                out[r] += s
            }
        }
    }

    /// out[c] += sum of column c: the bias gradient of a fully-connected layer.
    public static func accumulateColumnSums(rows: Int, columns: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { add(columns, out, x + r * columns) }
    }

    @inline(__always)
    static func map(
        _ count: Int, _ p: UnsafeMutablePointer<Float>,
        _ vector: (SIMD16<Float>) -> SIMD16<Float>, scalar: (Float) -> Float
    ) {
        var i = 0
        while i + 16 <= count {
            store16(vector(load16(p + i)), p + i)
            i += 16
        }
        while i < count {
            p[i] = scalar(p[i])
            i += 1
        }
    }

    /// The sum of the lanes of a vector in memory. SIMD's generic `sum()` (and `lowHalf` /
    /// `highHalf`) go lane by lane through the stack here and cost more than the products
    /// they reduce; callers store the vector once and sum the floats.
    @inline(__always)
    static func laneSum(_ v: UnsafeMutablePointer<SIMD16<Float>>) -> Float {
        let f = UnsafeMutableRawPointer(v).assumingMemoryBound(to: Float.self)
        var t: Float = 0
        for l in 0..<16 { t += f[l] }
        return t
    }
}
