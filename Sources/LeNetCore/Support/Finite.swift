/// The index of the first NaN or infinity among `count` floats, or nil when all are finite.
/// Sixteen lanes at a time first (x * 0 is 0 for a finite x and NaN otherwise), where the
/// element-by-element test was a scalar loop over every input of every predict call; the
/// element-wise search runs only to name the culprit.
package func firstNonFinite(_ p: UnsafePointer<Float>, count: Int) -> Int? {
    var i = 0
    var probe = SIMD16<Float>()
    while i + 16 <= count {
        probe += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self) * 0
        i += 16
    }
    for j in i..<count { probe[0] += p[j] * 0 }
    // A non-finite input leaves a NaN lane, and a vector with a NaN lane is unequal to itself.
    if probe == probe { return nil }
    return UnsafeBufferPointer(start: p, count: count).firstIndex { !$0.isFinite }
}
