/// A set of labelled parts (Components' labels), kept as a table by label: the pixel loops
/// of NumberSegmentation ask it about every pixel, and a `Set<Int32>`'s hashing was a fifth
/// of the time of reading a number.
package struct PartSet: ExpressibleByArrayLiteral, Sendable {
    private var table: [Bool]

    package init<S: Sequence>(_ labels: S) where S.Element == Int32 {
        table = []
        for l in labels where l >= 0 {
            if Int(l) >= table.count { table += [Bool](repeating: false, count: Int(l) + 1 - table.count) }
            table[Int(l)] = true
        }
    }

    package init(arrayLiteral labels: Int32...) { self.init(labels) }

    /// Whether the pixel labelled `label` (-1: paper) belongs to one of the parts.
    @inline(__always)
    package func contains(_ label: Int32) -> Bool { label >= 0 && Int(label) < table.count && table[Int(label)] }

    package func union(_ other: PartSet) -> PartSet {
        var u = self
        if other.table.count > u.table.count { u.table += [Bool](repeating: false, count: other.table.count - u.table.count) }
        for (l, on) in other.table.enumerated() where on { u.table[l] = true }
        return u
    }
}
