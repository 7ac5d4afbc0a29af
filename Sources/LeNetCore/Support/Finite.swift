/// The index of the first NaN or infinity among `count` floats, or nil when all are finite.
/// Sixteen lanes at a time first (x * 0 is 0 for a finite x and NaN otherwise), so a batch
/// of inputs is checked for a fraction of what the element-by-element test cost (about
/// a twentieth of a float predict call); the element-wise search runs only to name the culprit.
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
