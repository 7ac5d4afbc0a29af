import CZlib

/// libpng inflates all of a PNG's image data, including any that follows the last row (it
/// reads the deflate stream to its end to check it), so a 1x1 image can carry a stream
/// that inflates to gigabytes: seconds per megabyte of file. Before libpng decodes, the
/// IDAT stream is inflated here into a small scratch buffer, counting, and refused as soon
/// as it yields more than an image of the header's size can hold. Everything else about
/// the file (chunk order, CRCs, zlib errors) is left for libpng to judge and report.
enum PNGDataBound {
    /// The inflated bytes a PNG of this header holds: per row a filter byte and the packed
    /// pixels; interlaced, the same for each of Adam7's seven sub-images.
    static func maxImageData(width: Int, height: Int, bitDepth: Int, colorType: Int, interlaced: Bool) -> Int {
        let bitsPerPixel = ([0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType] ?? 4) * bitDepth
        func bytes(_ w: Int, _ h: Int) -> Int { w > 0 && h > 0 ? h * ((w * bitsPerPixel + 7) / 8 + 1) : 0 }
        guard interlaced else { return bytes(width, height) }
        let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        return passes.reduce(0) { sum, p in
            sum + bytes((width - p.0 + p.2 - 1) / p.2, (height - p.1 + p.3 - 1) / p.3)
        }
    }

    /// Throws `.truncated` when a chunk claims more bytes than the file has left. libpng
    /// allocates a chunk's buffer from its declared length before reading it, so a 60 KB
    /// file could make it ask for a gigabyte; a PNG in memory can never need that.
    static func checkChunkLengths(_ png: UnsafeRawBufferPointer) throws {
        var at = 8
        while at + 8 <= png.count {
            let length = Int(png.loadBigEndianUInt32(at))
            guard length <= png.count - at - 8 else {
                throw LeNetError.image(.truncated, "truncated PNG: a chunk at byte \(at) claims \(length) bytes, \(png.count - at - 8) remain")
            }
            if png.loadBigEndianUInt32(at + 4) == 0x4945_4E44 { return }  // IEND
            at += length + 12
        }
    }

    /// Throws `.corrupt` when the IDAT stream inflates past `limit` bytes.
    static func check(_ png: UnsafeRawBufferPointer, limit: Int) throws {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return }
        defer { inflateEnd(&stream) }
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        var produced = 0
        var at = 8  // after the signature
        while at + 12 <= png.count {
            let length = Int(png.loadBigEndianUInt32(at)), type = png.loadBigEndianUInt32(at + 4)
            guard length <= png.count - at - 12 else { return }  // truncated: libpng reports it
            if type == 0x4944_4154 {  // IDAT
                let status: Int32 = scratch.withUnsafeMutableBufferPointer { out in
                    stream.next_in = UnsafeMutablePointer(mutating: png.baseAddress!.advanced(by: at + 8).assumingMemoryBound(to: Bytef.self))
                    stream.avail_in = uInt(length)
                    var status = Z_OK
                    while stream.avail_in > 0 && status == Z_OK {
                        stream.next_out = out.baseAddress
                        stream.avail_out = uInt(out.count)
                        status = inflate(&stream, Z_NO_FLUSH)
                        produced += out.count - Int(stream.avail_out)
                        if produced > limit { return Z_DATA_ERROR }
                        if status == Z_BUF_ERROR { status = Z_OK; break }
                    }
                    return status
                }
                if produced > limit {
                    throw LeNetError.image(.corrupt, "corrupt PNG: its image data inflates to more than the \(limit) bytes a picture of its size holds")
                }
                guard status == Z_OK else { return }  // the stream ended, or is damaged: libpng judges
            } else if type == 0x4945_4E44 {  // IEND
                return
            }
            at += length + 12
        }
    }
}

private extension UnsafeRawBufferPointer {
    func loadBigEndianUInt32(_ offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }
}
