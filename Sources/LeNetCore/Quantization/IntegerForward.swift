import CIntKernels
import LeNetKernelAPI

/// Buffers for the int8 forward pass over up to `capacity` images. The convolutions run
/// one image at a time through small buffers that stay in L1; the dense layers take the
/// whole group.
final class IntegerWorkspace: PooledWorkspace, @unchecked Sendable {
    let capacity: Int
    let x: UnsafeMutablePointer<Float>  // capacity x 1024 normalised inputs
    let pairs: UnsafeMutablePointer<UInt32>  // 32 x 40
    let pooled1: UnsafeMutablePointer<Int32>  // 6 x 14 x 16
    let p1: UnsafeMutablePointer<Int16>  // 14 x 14 x 6
    let rows2: UnsafeMutablePointer<Int16>  // 100 x 150
    let sums2: UnsafeMutablePointer<Int32>  // 100 x 16
    let p2: UnsafeMutablePointer<Int16>  // capacity x 400
    let sums: UnsafeMutablePointer<Int32>  // capacity x 128
    let h1, h2: UnsafeMutablePointer<Int16>  // capacity x 120, capacity x 84
    private let storage: UnsafeMutableRawPointer

    init(capacity: Int) {
        self.capacity = capacity
        let sizes = [capacity * 1024 * 4, 32 * 40 * 4, 6 * 14 * 16 * 4, 196 * 6 * 2, 100 * 150 * 2, 100 * 16 * 4,
                     capacity * 400 * 2, capacity * 128 * 4, capacity * 120 * 2, capacity * 84 * 2]
        let rounded = sizes.map { ($0 + 63) / 64 * 64 }
        // Zeroed once: the pair rows' padding is never written again, and a stale value in a
        // padding lane stays finite.
        let base = UnsafeMutableRawPointer.allocate(byteCount: rounded.reduce(0, +), alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: rounded.reduce(0, +))
        storage = base
        var offset = 0
        func take<T>(_ i: Int, _: T.Type) -> UnsafeMutablePointer<T> {
            defer { offset += rounded[i] }
            return (base + offset).assumingMemoryBound(to: T.self)
        }
        x = take(0, Float.self); pairs = take(1, UInt32.self); pooled1 = take(2, Int32.self); p1 = take(3, Int16.self)
        rows2 = take(4, Int16.self); sums2 = take(5, Int32.self); p2 = take(6, Int16.self); sums = take(7, Int32.self)
        h1 = take(8, Int16.self); h2 = take(9, Int16.self)
    }

    deinit { storage.deallocate() }

    static func make(capacity: Int) -> Self { Self(capacity: capacity) }
}

extension KernelLevel {
    /// The C kernels' code for this level.
    var integerCode: Int32 {
        switch name {
        case "avx512": return Int32(LENETQ_AVX512)
        case "avx2": return Int32(LENETQ_AVX2)
        case "portable-c": return Int32(LENETQ_PORTABLE)
        default: return Int32(LENETQ_BASELINE)
        }
    }
}

/// The C multiply-accumulate loops at a given level (see lenet_int_kernels.h).
public enum IntegerKernels {
    /// The plain-C loops other architectures run, reachable on x86-64 for the tests.
    public static let portable = KernelLevel(name: "portable-c", kernels: KernelLevel.generic.kernels)

    public static func conv1Pool(
        level: KernelLevel, _ pairs: UnsafePointer<UInt32>, _ weights: UnsafePointer<UInt32>, _ out: UnsafeMutablePointer<Int32>
    ) {
        lenetq_conv1_pool(level.integerCode, pairs, weights, out)
    }

    public static func gemm(
        level: KernelLevel, _ a: UnsafePointer<UInt32>, lda: Int, _ b: UnsafePointer<Int16>, _ c: UnsafeMutablePointer<Int32>,
        ldc: Int, m: Int, blocks: Int, kpairs: Int
    ) {
        lenetq_gemm(level.integerCode, a, lda, b, c, ldc, m, blocks, kpairs)
    }
}

extension IntegerNetwork {
    /// Logits (count x 10) for the first `count` inputs of `ws.x`.
    func forward(count: Int, _ ws: IntegerWorkspace, level: KernelLevel, logits out: UnsafeMutablePointer<Float>) {
        precondition(count <= ws.capacity)
        let K = level.kernels, code = level.integerCode
        for i in 0..<count {
            K.quantizeInputPairs(ws.x + i * 1024, inverseScale: inverseInputScale, zeroPoint: inputZeroPoint, ws.pairs)
            IntegerKernels.conv1Pool(level: level, ws.pairs, conv1, ws.pooled1)
            K.requantizeConv1(ws.pooled1, requantization[0], ws.p1)
            K.im2rowConv2(ws.p1, ws.rows2)
            gemm(code, ws.rows2, rows: 100, inputs: 150, conv2, blocks: 1, ws.sums2)
            K.poolRequantizeConv2(ws.sums2, requantization[1], ws.p2 + i * 400)
        }
        let d = Self.dense
        gemm(code, ws.p2, rows: count, inputs: d[0].inputs, fc1, blocks: d[0].blocks, ws.sums)
        K.requantizeDense(rows: count, columns: d[0].outputs, ws.sums, ldSums: 128, requantization[2], ws.h1)
        gemm(code, ws.h1, rows: count, inputs: d[1].inputs, fc2, blocks: d[1].blocks, ws.sums)
        K.requantizeDense(rows: count, columns: d[1].outputs, ws.sums, ldSums: 96, requantization[3], ws.h2)
        gemm(code, ws.h2, rows: count, inputs: d[2].inputs, fc3, blocks: d[2].blocks, ws.sums)
        for i in 0..<count {
            for o in 0..<10 { out[i * 10 + o] = Float(ws.sums[i * 16 + o] &+ fc3Bias[o]) * logitScales[o] }
        }
    }

    @inline(__always)
    private func gemm(
        _ code: Int32, _ a: UnsafePointer<Int16>, rows: Int, inputs: Int, _ b: UnsafePointer<Int16>, blocks: Int,
        _ c: UnsafeMutablePointer<Int32>
    ) {
        UnsafeRawPointer(a).withMemoryRebound(to: UInt32.self, capacity: rows * inputs / 2) { pairs in
            lenetq_gemm(code, pairs, inputs / 2, b, c, 16 * blocks, rows, blocks, inputs / 2)  // IntegerKernels.gemm, inlined
        }
    }

    /// Logits (count x 10) into `out` for `count` images, `fill(i, x)` writing image i's
    /// normalised 1x32x32 input: split across `threads` workers like the float path, each
    /// image's result independent of the split.
    public func logits(
        count: Int, threads: Int, level: KernelLevel = .active, into out: UnsafeMutablePointer<Float>,
        fill: (Int, UnsafeMutablePointer<Float>) -> Void
    ) {
        guard count > 0 else { return }
        let group = 32, workers = min(max(1, threads), (count + group - 1) / group)
        let per = (count + workers - 1) / workers
        parallelFor(tasks: workers, threads: workers) { w in
            var i = w * per
            let end = min(count, i + per)
            guard i < end else { return }
            let ws = integerWorkspaces.take(capacity: min(group, end - i))
            defer { integerWorkspaces.give(ws) }
            while i < end {
                let m = min(ws.capacity, end - i)
                for j in 0..<m { fill(i + j, ws.x + j * 1024) }
                forward(count: m, ws, level: level, logits: out + i * 10)
                i += m
            }
        }
    }
}
