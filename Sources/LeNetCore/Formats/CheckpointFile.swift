/// The `.lenet` container: metadata strings and typed tensors, with every field validated on
/// read. The byte layout is specified in docs/checkpoint-format.md; this file implements it.
package struct CheckpointFile: Equatable {
    package static let magic: [UInt8] = Array("LENETCKP".utf8)
    package static let endianMarker: UInt32 = 0x0102_0304
    package static let majorVersion: UInt16 = 1
    package static let minorVersion: UInt16 = 0
    package static let alignment = 64
    static let headerSize = 48

    // Bounds on what a reader accepts, so a corrupt count cannot drive allocation.
    package static let maxMetadataEntries = 1024
    package static let maxTensors = 1024
    package static let maxNameBytes = 256
    package static let maxValueBytes = 65_536
    package static let maxRank = 4

    package enum DType: UInt8, Sendable {
        case f32 = 0, i8 = 1, i32 = 2, u8 = 3, u64 = 4

        package var size: Int {
            switch self {
            case .f32, .i32: return 4
            case .i8, .u8: return 1
            case .u64: return 8
            }
        }

        package var name: String {
            switch self {
            case .f32: return "f32"
            case .i8: return "i8"
            case .i32: return "i32"
            case .u8: return "u8"
            case .u64: return "u64"
            }
        }
    }

    package struct Tensor: Equatable, Sendable {
        package var name: String
        package var dtype: DType
        package var shape: [Int]
        /// Little-endian element bytes, `shape.product * dtype.size` of them.
        package var data: [UInt8]

        package var elementCount: Int { shape.reduce(1, *) }

        package init(name: String, dtype: DType, shape: [Int], data: [UInt8]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.data = data
        }

        package init(name: String, shape: [Int], floats: some Collection<Float>) {
            var w = ByteWriter()
            for f in floats { w.u32(f.bitPattern) }
            self.init(name: name, dtype: .f32, shape: shape, data: w.bytes)
        }

        package init(name: String, words: [UInt64]) {
            var w = ByteWriter()
            for v in words { w.u64(v) }
            self.init(name: name, dtype: .u64, shape: [words.count], data: w.bytes)
        }

        package func floats() throws -> [Float] {
            guard dtype == .f32 else { throw LeNetError.format("tensor '\(name)' is \(dtype.name), expected f32") }
            guard data.count == elementCount * 4 else { throw LeNetError.format("tensor '\(name)' has \(data.count) bytes for \(elementCount) floats") }
            return data.withUnsafeBytes { raw in
                (0..<elementCount).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            }
        }

        package func words() throws -> [UInt64] {
            guard dtype == .u64 else { throw LeNetError.format("tensor '\(name)' is \(dtype.name), expected u64") }
            var r = ByteReader(data)
            return try (0..<elementCount).map { _ in try r.u64("element of '\(name)'") }
        }
    }

    /// Ordered key/value strings (keys unique).
    package var metadata: [(key: String, value: String)]
    package var tensors: [Tensor]
    /// The format version the file was written with (the current one for new files).
    package private(set) var version: (major: UInt16, minor: UInt16) = (majorVersion, minorVersion)

    package init(metadata: [(key: String, value: String)], tensors: [Tensor]) {
        self.metadata = metadata
        self.tensors = tensors
    }

    package static func == (a: CheckpointFile, b: CheckpointFile) -> Bool {
        a.metadata.elementsEqual(b.metadata, by: { $0 == $1 }) && a.tensors == b.tensors
    }

    package func value(_ key: String) -> String? { metadata.first { $0.key == key }?.value }
    package func tensor(_ name: String) -> Tensor? { tensors.first { $0.name == name } }

    // MARK: Writing

    package func encoded() throws -> [UInt8] {
        try validateForWriting()
        var table = ByteWriter()
        for (k, v) in metadata {
            table.string16(k)
            table.string32(v)
        }
        var dataOffsets = [Int](), cursor = 0
        for t in tensors {
            dataOffsets.append(cursor)
            cursor = (cursor + t.data.count + Self.alignment - 1) / Self.alignment * Self.alignment
        }
        for (t, o) in zip(tensors, dataOffsets) {
            table.string16(t.name)
            table.u8(t.dtype.rawValue)
            table.u8(UInt8(t.shape.count))
            for d in t.shape { table.u32(UInt32(d)) }
            table.u64(UInt64(o))
            table.u64(UInt64(t.data.count))
        }
        let dataOffset = (Self.headerSize + table.bytes.count + Self.alignment - 1) / Self.alignment * Self.alignment
        let dataSize = cursor
        let fileSize = dataOffset + dataSize + 4

        var w = ByteWriter()
        w.raw(Self.magic)
        w.u32(Self.endianMarker)
        w.u16(Self.majorVersion)
        w.u16(Self.minorVersion)
        w.u32(UInt32(metadata.count))
        w.u32(UInt32(tensors.count))
        w.u64(UInt64(dataOffset))
        w.u64(UInt64(dataSize))
        w.u64(UInt64(fileSize))
        w.raw(table.bytes)
        w.pad(to: Self.alignment)
        for (t, o) in zip(tensors, dataOffsets) {
            while w.bytes.count < dataOffset + o { w.u8(0) }
            w.raw(t.data)
        }
        while w.bytes.count < dataOffset + dataSize { w.u8(0) }
        w.u32(CRC32.checksum(w.bytes))
        return w.bytes
    }

    private func validateForWriting() throws {
        guard metadata.count <= Self.maxMetadataEntries, tensors.count <= Self.maxTensors else {
            throw LeNetError.invalidArgument("too many metadata entries or tensors")
        }
        var keys = Set<String>()
        for (k, v) in metadata {
            guard !k.isEmpty, k.utf8.count <= Self.maxNameBytes, v.utf8.count <= Self.maxValueBytes, keys.insert(k).inserted else {
                throw LeNetError.invalidArgument("metadata key '\(k)' is empty, too long, duplicated, or its value is too long")
            }
        }
        var names = Set<String>()
        for t in tensors {
            guard !t.name.isEmpty, t.name.utf8.count <= Self.maxNameBytes, names.insert(t.name).inserted,
                  t.shape.count <= Self.maxRank, t.shape.allSatisfy({ $0 >= 0 && $0 <= Int(UInt32.max) }),
                  t.data.count == t.elementCount * t.dtype.size
            else { throw LeNetError.invalidArgument("tensor '\(t.name)' has a bad name, shape or byte count") }
        }
    }

    package func write(to path: String) throws {
        try FileIO.writeAtomically(path, encoded())
    }

    // MARK: Reading

    /// Decodes and validates a whole file: header, checksum, then each field, before any
    /// allocation sized by the file.
    package init(decoding bytes: [UInt8]) throws {
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

        var table = ByteReader(bytes, from: Self.headerSize, end: Int(dataOffset))
        var metadata = [(key: String, value: String)](), keys = Set<String>()
        for i in 0..<metadataCount {
            let keyLength = Int(try table.u16("metadata key length \(i)"))
            guard keyLength > 0, keyLength <= Self.maxNameBytes else { throw LeNetError.format("metadata key \(i) has length \(keyLength)") }
            let key = try table.utf8(count: keyLength, "metadata key \(i)")
            let valueLength = Int(try table.u32("length of metadata '\(key)'"))
            guard valueLength <= Self.maxValueBytes else { throw LeNetError.format("metadata '\(key)' claims \(valueLength) bytes") }
            let value = try table.utf8(count: valueLength, "metadata '\(key)'")
            guard keys.insert(key).inserted else { throw LeNetError.format("metadata key '\(key)' appears twice") }
            metadata.append((key, value))
        }
        var tensors = [Tensor](), names = Set<String>(), ranges = [(Int, Int, String)]()
        for i in 0..<tensorCount {
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
        guard table.offset <= Int(dataOffset), bytes[table.offset..<Int(dataOffset)].allSatisfy({ $0 == 0 }) else {
            throw LeNetError.format("unexpected bytes between the tensor table and the data section")
        }
        ranges.sort { $0.0 < $1.0 }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.0 < a.1 {
            throw LeNetError.format("tensors '\(a.2)' and '\(b.2)' overlap")
        }
        self.metadata = metadata
        self.tensors = tensors
        self.version = (major, minor)
    }
}
