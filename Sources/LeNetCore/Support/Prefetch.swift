import CVectorMath

/// Asks for `bytes` at `p` to be brought into the caches ahead of use: a hint, with no
/// effect on results. Training reads its digits in a shuffled order from a 47 MB set, so
/// each digit missed every cache (a third of the time spent normalising it).
@inline(__always)
package func prefetch(_ p: UnsafeRawPointer, bytes: Int) {
    var offset = 0
    while offset < bytes {
        lenet_prefetch_line(p + offset)
        offset += 64
    }
    if bytes > 0 { lenet_prefetch_line(p + bytes - 1) }
}
