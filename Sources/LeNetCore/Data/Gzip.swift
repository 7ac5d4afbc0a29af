import CZlib

/// Bytes read front to back, from memory or out of a gzip stream: what the IDX reader
/// takes, so that it can read a header, check what the header claims, and only then read
/// as many bytes as the claim allows (a small file cannot expand into a large allocation).
protocol ByteSource {
    /// Appends up to `count` bytes to `out`; fewer only where the data ends.
    mutating func append(_ count: Int, to out: inout [UInt8]) throws
    /// Whether a byte follows what was read (for gzip, also that the stream ends well).
    mutating func hasMore() throws -> Bool
    /// The most bytes that can still follow: what a reader reserves for a claim at most,
    /// so a small file that claims much does not make it ask for that much memory.
    var mostRemaining: Int { get }
}

/// An in-memory byte array as a source.
struct MemorySource: ByteSource {
    let bytes: [UInt8]
    var position = 0

    mutating func append(_ count: Int, to out: inout [UInt8]) {
        let end = min(bytes.count, position + count)
        out += bytes[position..<end]
        position = end
    }

    func hasMore() -> Bool { position < bytes.count }

    var mostRemaining: Int { bytes.count - position }
}

/// gzip decompression through zlib, inflating no more than the reader asks for.
enum Gzip {
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Runs `body` with a source that inflates `input` (a gzip stream) on demand.
    static func withSource<T>(_ input: [UInt8], name: String, _ body: (inout Source) throws -> T) throws -> T {
        try input.withUnsafeBytes { inBuf in
            var source = Source(name: name)
            // 16 + MAX_WBITS: expect a gzip header and trailer (checked by zlib's CRC).
            guard inflateInit2_(&source.stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw LeNetError.dataset("\(name): zlib could not start")
            }
            defer { inflateEnd(&source.stream) }
            source.stream.next_in = UnsafeMutablePointer(mutating: inBuf.bindMemory(to: Bytef.self).baseAddress)
            source.stream.avail_in = uInt(inBuf.count)
            return try body(&source)
        }
    }

    struct Source: ByteSource {
        let name: String
        var stream = z_stream()
        var ended = false
        /// Inflated bytes go here before they are appended; its size is the only memory
        /// beyond what the reader keeps.
        var chunk = [UInt8](repeating: 0, count: 64 << 10)

        init(name: String) { self.name = name }

        mutating func append(_ count: Int, to out: inout [UInt8]) throws {
            var wanted = count
            while wanted > 0, !ended {
                let produced = try inflateChunk(min(wanted, chunk.count))
                out += chunk[0..<produced]
                wanted -= produced
            }
        }

        /// Deflate expands at most 1032 to 1 (RFC 1951's longest match in a byte or two).
        var mostRemaining: Int { ended ? 0 : Int(stream.avail_in) * 1032 + chunk.count }

        mutating func hasMore() throws -> Bool {
            while !ended { if try inflateChunk(1) > 0 { return true } }
            return false
        }

        /// Inflates at most `limit` bytes into `chunk`.
        private mutating func inflateChunk(_ limit: Int) throws -> Int {
            var status: Int32 = Z_OK
            let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(limit)
                status = inflate(&stream, Z_NO_FLUSH)
                return limit - Int(stream.avail_out)
            }
            switch status {
            case Z_STREAM_END:
                ended = true
            case Z_OK:
                if produced == 0 && stream.avail_in == 0 { throw LeNetError.dataset("\(name): gzip stream is truncated") }
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw LeNetError.dataset("\(name): gzip stream is truncated")
            default:
                let msg = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw LeNetError.dataset("\(name): gzip data is corrupt (\(msg))")
            }
            return produced
        }
    }
}
