extension CheckpointFile {
    /// What the fixed-size header says about the rest of the file.
    private struct Header {
        var major: UInt16, minor: UInt16
        var metadataCount: Int, tensorCount: Int
        var dataOffset: UInt64, dataSize: UInt64
    }

    /// Decodes and validates a whole file: header, checksum, then each field, before any
    /// allocation sized by the file.
    package init(decoding bytes: [UInt8]) throws {
        let h = try Self.header(bytes)
        var table = ByteReader(bytes, from: Self.headerSize, end: Int(h.dataOffset))
        let metadata = try Self.metadata(&table, count: h.metadataCount)
        let tensors = try Self.tensors(&table, count: h.tensorCount, bytes, dataOffset: h.dataOffset, dataSize: h.dataSize)
        guard table.offset <= Int(h.dataOffset), bytes[table.offset..<Int(h.dataOffset)].allSatisfy({ $0 == 0 }) else {
            throw LeNetError.format("unexpected bytes between the tensor table and the data section")
        }
        self.init(metadata: metadata, tensors: tensors)
        version = (h.major, h.minor)
    }

    /// The header, checked against the file's length and its checksum.
    private static func header(_ bytes: [UInt8]) throws -> Header {
        guard bytes.count >= Self.magic.count, Array(bytes[0..<Self.magic.count]) == Self.magic else {
            throw LeNetError.format("not a lenet checkpoint (the file does not start with \"LENETCKP\")")
        }
        guard bytes.count >= Self.headerSize + 4 else {
            throw LeNetError.format("file is truncated: \(bytes.count) bytes is shorter than the \(Self.headerSize)-byte header")
        }
        var r = ByteReader(bytes, from: Self.magic.count)
        let marker = try r.u32("endianness marker")
        guard marker == Self.endianMarker else {
            throw LeNetError.format("endianness marker is 0x\(String(marker, radix: 16)), expected 0x1020304 (little-endian)")
        }
        let major = try r.u16("major version"), minor = try r.u16("minor version")
        guard major == Self.majorVersion else {
            throw LeNetError.format("format version \(major).\(minor) is not supported (this library reads version \(Self.majorVersion).x)")
        }
        let metadataCount = Int(try r.u32("metadata count")), tensorCount = Int(try r.u32("tensor count"))
        let dataOffset = try r.u64("data offset"), dataSize = try r.u64("data size"), fileSize = try r.u64("file size")
        guard fileSize == UInt64(bytes.count) else {
            throw LeNetError.format(fileSize > UInt64(bytes.count)
                ? "file is truncated: header says \(fileSize) bytes, found \(bytes.count)"
                : "file has \(UInt64(bytes.count) - fileSize) unexpected trailing bytes (header says \(fileSize) bytes)")
        }
        let stored = UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8
            | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
        let actual = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 4)])) }
        guard stored == actual else {
            throw LeNetError.format("checksum mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(actual, radix: 16))): the file is corrupted")
        }
        guard metadataCount <= Self.maxMetadataEntries else { throw LeNetError.format("metadata count \(metadataCount) exceeds \(Self.maxMetadataEntries)") }
        guard tensorCount <= Self.maxTensors else { throw LeNetError.format("tensor count \(tensorCount) exceeds \(Self.maxTensors)") }
        guard dataOffset % UInt64(Self.alignment) == 0, dataOffset >= UInt64(Self.headerSize),
              dataOffset <= UInt64(bytes.count), dataSize == UInt64(bytes.count) - 4 - dataOffset
        else { throw LeNetError.format("data section (offset \(dataOffset), size \(dataSize)) does not fit the file layout") }
        return Header(major: major, minor: minor, metadataCount: metadataCount, tensorCount: tensorCount,
                      dataOffset: dataOffset, dataSize: dataSize)
    }

    private static func metadata(_ table: inout ByteReader, count: Int) throws -> [(key: String, value: String)] {
        var metadata = [(key: String, value: String)](), keys = Set<String>()
        for i in 0..<count {
            let keyLength = Int(try table.u16("metadata key length \(i)"))
            guard keyLength > 0, keyLength <= Self.maxNameBytes else { throw LeNetError.format("metadata key \(i) has length \(keyLength)") }
            let key = try table.utf8(count: keyLength, "metadata key \(i)")
            let valueLength = Int(try table.u32("length of metadata '\(key)'"))
            guard valueLength <= Self.maxValueBytes else { throw LeNetError.format("metadata '\(key)' claims \(valueLength) bytes") }
            let value = try table.utf8(count: valueLength, "metadata '\(key)'")
            guard keys.insert(key).inserted else { throw LeNetError.format("metadata key '\(key)' appears twice") }
            metadata.append((key, value))
        }
        return metadata
    }

    /// The tensor table: each tensor's bytes lie inside the data section, aligned, and no
    /// two overlap.
    private static func tensors(
        _ table: inout ByteReader, count: Int, _ bytes: [UInt8], dataOffset: UInt64, dataSize: UInt64
    ) throws -> [Tensor] {
        var tensors = [Tensor](), names = Set<String>(), ranges = [(Int, Int, String)]()
        for i in 0..<count {
            let nameLength = Int(try table.u16("tensor name length \(i)"))
            guard nameLength > 0, nameLength <= Self.maxNameBytes else { throw LeNetError.format("tensor \(i) has name length \(nameLength)") }
            let name = try table.utf8(count: nameLength, "tensor name \(i)")
            guard names.insert(name).inserted else { throw LeNetError.format("tensor '\(name)' appears twice") }
            let code = try table.u8("dtype of '\(name)'")
            guard let dtype = DType(rawValue: code) else { throw LeNetError.format("tensor '\(name)' has unknown dtype \(code)") }
            let rank = Int(try table.u8("rank of '\(name)'"))
            guard rank <= Self.maxRank else { throw LeNetError.format("tensor '\(name)' has rank \(rank) (at most \(Self.maxRank))") }
            var shape = [Int](), elements: UInt64 = 1
            for d in 0..<rank {
                let dim = UInt64(try table.u32("dimension \(d) of '\(name)'"))
                shape.append(Int(dim))
                elements *= dim  // at most (2^32)^4 would overflow; the bound below stops it first
                guard elements <= dataSize else { throw LeNetError.format("tensor '\(name)' shape \(shape) is larger than the data section") }
            }
            let offset = try table.u64("offset of '\(name)'"), length = try table.u64("length of '\(name)'")
            guard length == elements * UInt64(dtype.size) else {
                throw LeNetError.format("tensor '\(name)' has \(length) bytes, its shape \(shape) of \(dtype.name) needs \(elements * UInt64(dtype.size))")
            }
            guard offset % UInt64(Self.alignment) == 0, offset <= dataSize, length <= dataSize - offset else {
                throw LeNetError.format("tensor '\(name)' (offset \(offset), \(length) bytes) lies outside the \(dataSize)-byte data section or is misaligned")
            }
            let start = Int(dataOffset + offset)
            ranges.append((start, start + Int(length), name))
            tensors.append(Tensor(name: name, dtype: dtype, shape: shape, data: Array(bytes[start..<(start + Int(length))])))
        }
        ranges.sort { $0.0 < $1.0 }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.0 < a.1 {
            throw LeNetError.format("tensors '\(a.2)' and '\(b.2)' overlap")
        }
        return tensors
    }
}
