/// The IDX format of the MNIST files: a big-endian magic `00 00 <type> <rank>`, `rank`
/// big-endian u32 dimensions, then the data. Only unsigned bytes (type 0x08) occur in MNIST
/// and only they are accepted.
package struct IDXArray: Equatable {
    package var dimensions: [Int]
    package var bytes: [UInt8]

    /// The largest decompressed IDX file accepted (MNIST's training images are 47 MB).
    package static let sizeLimit = 1 << 30

    package init(dimensions: [Int], bytes: [UInt8]) {
        self.dimensions = dimensions
        self.bytes = bytes
    }

    /// Parses IDX bytes, gzip-compressed or not. `name` appears in error messages. The
    /// header's claim is checked against `limit` before the data is read, and a gzip stream
    /// is inflated straight into the array, never past the claim: the peak memory is the
    /// compressed input, the accepted array and 64 KiB.
    package init(parsing raw: [UInt8], name: String = "IDX data", limit: Int = sizeLimit) throws {
        if Gzip.isGzip(raw) {
            self = try Gzip.withSource(raw, name: name) { try IDXArray(reading: &$0, name: name, limit: limit) }
        } else {
            var source = MemorySource(bytes: raw)
            self = try IDXArray(reading: &source, name: name, limit: limit)
        }
    }

    init(reading source: inout some ByteSource, name: String, limit: Int) throws {
        var header = [UInt8]()
        try source.append(4, to: &header)
        guard header.count == 4 else { throw LeNetError.dataset("\(name): \(header.count) bytes is too short for an IDX header") }
        guard header[0] == 0, header[1] == 0 else {
            throw LeNetError.dataset("\(name): not an IDX file (magic starts \(header[0]) \(header[1]), expected 0 0)")
        }
        guard header[2] == 0x08 else {
            throw LeNetError.dataset("\(name): IDX element type 0x\(String(header[2], radix: 16)) is not supported (expected 0x08, unsigned byte)")
        }
        let rank = Int(header[3])
        guard (1...4).contains(rank) else { throw LeNetError.dataset("\(name): IDX rank \(rank) is not between 1 and 4") }
        let headerSize = 4 + 4 * rank
        try source.append(4 * rank, to: &header)
        guard header.count == headerSize else {
            throw LeNetError.dataset("\(name): truncated IDX header (\(header.count) bytes, need \(headerSize))")
        }
        var dims = [Int]()
        var count = 1
        for i in 0..<rank {
            let o = 4 + 4 * i
            let d = Int(header[o]) << 24 | Int(header[o + 1]) << 16 | Int(header[o + 2]) << 8 | Int(header[o + 3])
            dims.append(d)
            count *= d
            guard count <= limit else { throw LeNetError.dataset("\(name): IDX dimensions \(dims) are too large (more than \(limit) bytes)") }
        }
        var data = [UInt8]()
        data.reserveCapacity(min(count, source.mostRemaining))
        try source.append(count, to: &data)
        guard data.count == count, try !source.hasMore() else {
            let found = data.count == count ? "more" : "\(data.count)"
            throw LeNetError.dataset("\(name): IDX dimensions \(dims) need \(count) bytes of data, found \(found)")
        }
        self.dimensions = dims
        self.bytes = data
    }

    package static func load(_ path: String) throws -> IDXArray {
        try IDXArray(parsing: FileIO.read(path, limit: sizeLimit), name: path)
    }

    /// The IDX encoding (uncompressed) of this array.
    package func encoded() -> [UInt8] {
        var out: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { out += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        return out + bytes
    }
}
