/// A 64-bit FNV-1a digest as 16 hex digits: names what a run trained on (its pictures, the
/// model it started from) in a checkpoint, cheaply and without a hashing library. Not a
/// defence against a forger, a check that the same content came back.
package enum ContentDigest {
    package static func hex(_ parts: [UnsafeRawBufferPointer]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts { for b in part { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 } }
        let text = String(h, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
