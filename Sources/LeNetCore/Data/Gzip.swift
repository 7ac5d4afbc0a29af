import CZlib

/// gzip decompression through zlib, bounded: the output may not exceed `limit` bytes, so a
/// small file cannot expand into an unbounded allocation.
enum Gzip {
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    static func decompress(_ input: [UInt8], limit: Int, name: String) throws -> [UInt8] {
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header and trailer (checked by zlib's CRC).
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw LeNetError.dataset("\(name): zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        try input.withUnsafeBytes { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(inBuf.count)
            while status != Z_STREAM_END {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                switch status {
                case Z_OK, Z_STREAM_END:
                    break
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw LeNetError.dataset("\(name): gzip stream is truncated")
                default:
                    let msg = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw LeNetError.dataset("\(name): gzip data is corrupt (\(msg))")
                }
                guard output.count + produced <= limit else {
                    throw LeNetError.dataset("\(name): decompressed size exceeds the limit of \(limit) bytes")
                }
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_OK && produced == 0 && stream.avail_in == 0 {
                    throw LeNetError.dataset("\(name): gzip stream is truncated")
                }
            }
        }
        return output
    }
}
