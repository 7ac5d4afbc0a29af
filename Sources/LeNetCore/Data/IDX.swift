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

    /// Parses IDX bytes, gzip-compressed or not. `name` appears in error messages.
    package init(parsing raw: [UInt8], name: String = "IDX data", limit: Int = sizeLimit) throws {
        let data = Gzip.isGzip(raw) ? try Gzip.decompress(raw, limit: limit, name: name) : raw
        guard data.count >= 4 else { throw LeNetError.dataset("\(name): \(data.count) bytes is too short for an IDX header") }
        guard data[0] == 0, data[1] == 0 else {
            throw LeNetError.dataset("\(name): not an IDX file (magic starts \(data[0]) \(data[1]), expected 0 0)")
        }
        guard data[2] == 0x08 else {
            throw LeNetError.dataset("\(name): IDX element type 0x\(String(data[2], radix: 16)) is not supported (expected 0x08, unsigned byte)")
        }
        let rank = Int(data[3])
        guard (1...4).contains(rank) else { throw LeNetError.dataset("\(name): IDX rank \(rank) is not between 1 and 4") }
        let headerSize = 4 + 4 * rank
        guard data.count >= headerSize else {
            throw LeNetError.dataset("\(name): truncated IDX header (\(data.count) bytes, need \(headerSize))")
        }
        var dims = [Int]()
        var count = 1
        for i in 0..<rank {
            let o = 4 + 4 * i
            let d = Int(data[o]) << 24 | Int(data[o + 1]) << 16 | Int(data[o + 2]) << 8 | Int(data[o + 3])
            dims.append(d)
            count *= d
            guard count <= limit else { throw LeNetError.dataset("\(name): IDX dimensions \(dims) are too large") }
        }
        guard data.count - headerSize == count else {
            throw LeNetError.dataset("\(name): IDX dimensions \(dims) need \(count) bytes of data, found \(data.count - headerSize)")
        }
        self.dimensions = dims
        self.bytes = Array(data[headerSize...])
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
