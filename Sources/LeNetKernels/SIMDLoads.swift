// Unaligned SIMD loads and stores through raw pointers: the one place the kernels touch
// memory as vectors, so alignment assumptions live nowhere else.

@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

@inline(__always)
func store4(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Float>.self)
}

@inline(__always)
func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

/// Copies a short run of floats with vector moves. `update(from:count:)` becomes a
/// `memmove` call, whose overhead dominates for the 5- to 28-float runs of im2col.
@inline(__always)
func copyShort(_ count: Int, _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>) {
    var i = 0
    while i + 16 <= count {
        store16(load16(src + i), dst + i)
        i += 16
    }
    if i + 8 <= count {
        store8(load8(src + i), dst + i)
        i += 8
    }
    if i + 4 <= count {
        store4(load4(src + i), dst + i)
        i += 4
    }
    while i < count {
        dst[i] = src[i]
        i += 1
    }
}
