extension Array where Element == UInt8 {
    /// `map` for the picture stages' per-pixel passes: written into a buffer of the final
    /// size in one loop that vectorises, where `map` appends an element at a time with a
    /// capacity check each.
    @inline(__always)
    func pixelMap<T>(_ transform: (UInt8) -> T) -> [T] {
        [T](unsafeUninitializedCapacity: count) { out, initialized in
            withUnsafeBufferPointer { src in
                for i in 0..<src.count { (out.baseAddress! + i).initialize(to: transform(src[i])) }
            }
            initialized = count
        }
    }
}
