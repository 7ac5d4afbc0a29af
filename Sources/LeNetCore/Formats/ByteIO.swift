/// Little-endian writing and bounds-checked reading of the checkpoint's fields. The reader
/// never traps: every read past the end throws a format error naming the field.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { append(v) }
    mutating func u32(_ v: UInt32) { append(v) }
    mutating func u64(_ v: UInt64) { append(v) }
    mutating func raw(_ b: [UInt8]) { bytes += b }

    mutating func string16(_ s: String) {
        let b = Array(s.utf8)
        u16(UInt16(b.count))
        raw(b)
    }

    mutating func string32(_ s: String) {
        let b = Array(s.utf8)
        u32(UInt32(b.count))
        raw(b)
    }

    mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    private mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes += $0 }
    }
}

struct ByteReader {
    let bytes: [UInt8]
    var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    mutating func take(_ n: Int, _ what: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= end - offset else {
            throw LeNetError.format("\(what()) at byte \(offset) runs past the end of its section (\(n) bytes, \(max(0, end - offset)) left)")
        }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 { try take(1, what()).first! }
    mutating func u16(_ what: @autoclosure () -> String) throws -> UInt16 { try integer(what()) }
    mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 { try integer(what()) }
    mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 { try integer(what()) }

    mutating func utf8(count: Int, _ what: @autoclosure () -> String) throws -> String {
        let b = try take(count, what())
        guard let s = String(validating: b, as: UTF8.self) else { throw LeNetError.format("\(what()) is not valid UTF-8") }
        return s
    }

    private mutating func integer<T: FixedWidthInteger>(_ what: @autoclosure () -> String) throws -> T {
        let b = try take(MemoryLayout<T>.size, what())
        var v: T = 0
        for (i, byte) in b.enumerated() { v |= T(byte) << (8 * i) }
        return v
    }
}
