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
            // The file is little-endian, as x86-64 and ARM hosts are: one copy, not a load per element.
            var out = [Float](repeating: 0, count: elementCount)
            data.withUnsafeBytes { raw in out.withUnsafeMutableBytes { $0.copyMemory(from: raw) } }
            #if _endian(big)
            for i in out.indices { out[i] = Float(bitPattern: UInt32(littleEndian: out[i].bitPattern)) }
            #endif
            return out
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
    package internal(set) var version: (major: UInt16, minor: UInt16) = (majorVersion, minorVersion)

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
}
