import CZlib

/// A read-only view of a zip archive in memory (what `torch.save` writes): the central
/// directory is parsed and every offset and size checked against the bytes before use.
struct ZipArchive {
    struct Entry {
        var name: String
        var method: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    let bytes: [UInt8]
    /// What inflating and copying entries may allocate in all: each entry is capped by its
    /// declared size, and the sum of them by the load's budget (five entries sharing one
    /// highly compressed stream cannot multiply it).
    let budget: LoadBudget
    private(set) var entries: [String: Entry] = [:]
    private(set) var names: [String] = []

    init(_ bytes: [UInt8], budget: LoadBudget) throws {
        self.bytes = bytes
        self.budget = budget
        // The end-of-central-directory record: 22 bytes plus a comment of up to 64 KiB.
        let minimum = 22
        guard bytes.count >= minimum else { throw LeNetError.format("zip archive is truncated (\(bytes.count) bytes)") }
        var eocd = -1
        var i = bytes.count - minimum
        while i >= max(0, bytes.count - minimum - 65_535) {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 {
                eocd = i
                break
            }
            i -= 1
        }
        guard eocd >= 0 else { throw LeNetError.format("zip archive has no end-of-central-directory record (truncated?)") }
        var r = ByteReader(bytes, from: eocd + 10)
        var count = Int(try r.u16("zip entry count"))
        var directorySize = Int(try r.u32("zip central directory size"))
        var directoryOffset = Int(try r.u32("zip central directory offset"))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // Zip64: the locator (20 bytes before) points to the zip64 record.
            guard eocd >= 20 else { throw LeNetError.format("zip64 locator is missing") }
            var loc = ByteReader(bytes, from: eocd - 20)
            guard try loc.u32("zip64 locator signature") == 0x0706_4B50 else { throw LeNetError.format("zip64 locator is missing") }
            _ = try loc.u32("zip64 disk")
            let recordOffset = try loc.u64("zip64 record offset")
            guard recordOffset < UInt64(bytes.count) else { throw LeNetError.format("zip64 record offset is out of range") }
            var z = ByteReader(bytes, from: Int(recordOffset))
            guard try z.u32("zip64 record signature") == 0x0606_4B50 else { throw LeNetError.format("zip64 record is damaged") }
            _ = try z.take(20, "zip64 record header")
            let total = try z.u64("zip64 entry count")
            let size = try z.u64("zip64 directory size"), offset = try z.u64("zip64 directory offset")
            guard total <= 100_000, size <= UInt64(bytes.count), offset <= UInt64(bytes.count) else {
                throw LeNetError.format("zip64 directory fields are out of range")
            }
            count = Int(total)
            directorySize = Int(size)
            directoryOffset = Int(offset)
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw LeNetError.format("zip central directory (offset \(directoryOffset), \(directorySize) bytes) lies outside the file")
        }
        var d = ByteReader(bytes, from: directoryOffset, end: directoryOffset + directorySize)
        for n in 0..<count {
            guard try d.u32("zip directory entry \(n)") == 0x0201_4B50 else {
                throw LeNetError.format("zip central directory entry \(n) is damaged")
            }
            _ = try d.take(6, "zip entry versions and flags")
            let method = try d.u16("zip entry method")
            _ = try d.take(4, "zip entry time")
            let crc = try d.u32("zip entry crc")
            var compressed = Int(try d.u32("zip entry compressed size"))
            var size = Int(try d.u32("zip entry size"))
            let nameLength = Int(try d.u16("zip entry name length"))
            let extraLength = Int(try d.u16("zip entry extra length"))
            let commentLength = Int(try d.u16("zip entry comment length"))
            _ = try d.take(8, "zip entry attributes")
            var localOffset = Int(try d.u32("zip entry offset"))
            let name = try d.utf8(count: nameLength, "zip entry name")
            var extra = ByteReader(bytes, from: d.offset, end: d.offset + extraLength)
            _ = try d.take(extraLength + commentLength, "zip entry extra field")
            // Zip64 sizes and offset live in extra field 0x0001, in this order, when maxed out.
            while extra.end - extra.offset >= 4 {
                let id = try extra.u16("zip extra id"), length = Int(try extra.u16("zip extra length"))
                var field = ByteReader(bytes, from: extra.offset, end: extra.offset + length)
                _ = try extra.take(length, "zip extra field")
                guard id == 1 else { continue }
                if size == 0xFFFF_FFFF { size = Int(clamping: try field.u64("zip64 size")) }
                if compressed == 0xFFFF_FFFF { compressed = Int(clamping: try field.u64("zip64 compressed size")) }
                if localOffset == 0xFFFF_FFFF { localOffset = Int(clamping: try field.u64("zip64 offset")) }
            }
            guard entries[name] == nil else { throw LeNetError.format("zip entry '\(name)' appears twice") }
            entries[name] = Entry(name: name, method: method, crc: crc, compressedSize: compressed, size: size,
                                  localHeaderOffset: localOffset)
            names.append(name)
        }
    }

    /// The entry's bytes, inflated if deflated, checked against the directory's size and CRC.
    func data(_ name: String) throws -> [UInt8] {
        guard let e = entries[name] else { throw LeNetError.format("zip archive has no entry '\(name)'") }
        var r = ByteReader(bytes, from: e.localHeaderOffset)
        guard e.localHeaderOffset >= 0, e.localHeaderOffset < bytes.count, try r.u32("zip local header of '\(name)'") == 0x0403_4B50 else {
            throw LeNetError.format("zip local header of '\(name)' is damaged")
        }
        _ = try r.take(22, "zip local header of '\(name)'")
        let nameLength = Int(try r.u16("zip local name length")), extraLength = Int(try r.u16("zip local extra length"))
        _ = try r.take(nameLength + extraLength, "zip local name of '\(name)'")
        let raw = try r.take(e.compressedSize, "data of zip entry '\(name)'")
        try budget.charge(e.size, "zip entry '\(name)' (\(e.size) bytes)")
        let out: [UInt8]
        switch e.method {
        case 0:
            guard e.size == e.compressedSize else { throw LeNetError.format("stored zip entry '\(name)' has inconsistent sizes") }
            out = Array(raw)
        case 8:
            out = try Self.inflate(Array(raw), size: e.size, name: name)
        default:
            throw LeNetError.format("zip entry '\(name)' uses compression method \(e.method); only stored (0) and deflate (8) are supported")
        }
        let crc = out.withUnsafeBytes { CRC32.checksum($0) }
        guard crc == e.crc else { throw LeNetError.format("zip entry '\(name)' fails its CRC check (the archive is corrupted)") }
        return out
    }

    /// Raw deflate (no zlib header), exactly `size` bytes expected.
    static func inflate(_ input: [UInt8], size: Int, name: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw LeNetError.format("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: size)
        let status: Int32 = input.withUnsafeBytes { inBuf in
            out.withUnsafeMutableBytes { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(outBuf.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw LeNetError.format("deflated zip entry '\(name)' is corrupt or its size is wrong")
        }
        return out
    }
}
