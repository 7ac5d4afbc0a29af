/// Raw pixels in any `PixelFormat` to the 8-bit grey the digit preprocessing reads. Every
/// image, PNG or raw buffer, goes through here, so the same picture gives the same digit
/// whichever way it arrives.
///
/// Colour becomes grey by ITU-R BT.601 luma with PIL's fixed-point weights (19595, 38470,
/// 7471 / 65536: they sum to 65536, so grey stays exactly grey), the conversion PIL's
/// `convert("L")` and OpenCV's `COLOR_RGB2GRAY` make. Transparency is composited over
/// white in the stored (display) values, as a browser draws a canvas on a white page.
/// 16-bit samples round to 8 bits by v / 257.
package enum PixelConversion {
    /// Checks the buffer's geometry and converts it. `stride` is the distance in bytes from
    /// one row's start to the next's (0: rows are packed). Throws invalidArgument for an
    /// impossible geometry or a buffer too short for it, image(.tooLarge) past `limits`.
    package static func gray(
        _ pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int, format: PixelFormat,
        limits: ImageLimits = .default
    ) throws -> GrayImage {
        let rowStride = try checkGeometry(bytes: pixels.count, width: width, height: height, stride: stride, format: format,
                                          limits: limits)
        var out = [UInt8](repeating: 0, count: width * height)
        out.withUnsafeMutableBufferPointer { dst in
            for y in 0..<height {
                convertRow(UnsafeRawBufferPointer(rebasing: pixels[(y * rowStride)...]), format: format, width: width,
                           into: UnsafeMutableBufferPointer(rebasing: dst[(y * width)..<((y + 1) * width)]))
            }
        }
        return GrayImage(width: width, height: height, pixels: out)
    }

    /// The row stride to use; throws when the geometry is impossible or the buffer short.
    static func checkGeometry(
        bytes: Int, width: Int, height: Int, stride: Int, format: PixelFormat, limits: ImageLimits
    ) throws -> Int {
        guard width > 0, height > 0 else {
            throw LeNetError.invalidArgument("the image is \(width) x \(height) pixels; both must be at least 1")
        }
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard width <= limits.maxWidth, height <= limits.maxHeight, !overflow, count <= limits.maxPixels else {
            throw LeNetError.image(.tooLarge, "image is \(width) x \(height) pixels, above the limit of \(limits.maxWidth) x \(limits.maxHeight) and \(limits.maxPixels) pixels")
        }
        // Within the limits, width * bytesPerPixel cannot overflow.
        let row = width * format.bytesPerPixel
        let rowStride = stride == 0 ? row : stride
        guard rowStride >= row else {
            throw LeNetError.invalidArgument("stride \(stride) bytes is less than a row of \(width) \(format.name) pixels (\(row) bytes)")
        }
        let (span, o1) = rowStride.multipliedReportingOverflow(by: height - 1)
        let (needed, o2) = span.addingReportingOverflow(row)
        guard !o1, !o2, bytes >= needed else {
            let need = o1 || o2 ? "more than \(Int.max)" : "\(needed)"
            throw LeNetError.invalidArgument("the pixel buffer holds \(bytes) bytes; a \(width) x \(height) \(format.name) image with a stride of \(rowStride) bytes needs \(need)")
        }
        return rowStride
    }

    /// One row: `src` starts at the row's first pixel and holds at least width pixels. The
    /// format chosen once a row, then a loop per format that vectorises.
    static func convertRow(_ src: UnsafeRawBufferPointer, format: PixelFormat, width: Int, into dst: UnsafeMutableBufferPointer<UInt8>) {
        let s = src.baseAddress!, d = dst.baseAddress!
        @inline(__always) func each(_ bytesPerPixel: Int, _ value: (UnsafeRawPointer) -> Int) {
            for x in 0..<width { d[x] = UInt8(truncatingIfNeeded: value(s + x * bytesPerPixel)) }
        }
        @inline(__always) func u8(_ p: UnsafeRawPointer, _ i: Int) -> Int { Int(p.load(fromByteOffset: i, as: UInt8.self)) }
        @inline(__always) func u16(_ p: UnsafeRawPointer, _ i: Int) -> Int { Int(p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        switch format {
        case .gray8: d.update(from: s.assumingMemoryBound(to: UInt8.self), count: width)
        case .gray16: each(2) { (u16($0, 0) + 128) / 257 }
        case .grayAlpha8: each(2) { over8(u8($0, 0), alpha: u8($0, 1)) }
        case .grayAlpha16: each(4) { over16(u16($0, 0), alpha: u16($0, 1)) }
        case .rgb8: each(3) { luma(u8($0, 0), u8($0, 1), u8($0, 2)) }
        case .bgr8: each(3) { luma(u8($0, 2), u8($0, 1), u8($0, 0)) }
        case .rgba8: each(4) { over8(luma(u8($0, 0), u8($0, 1), u8($0, 2)), alpha: u8($0, 3)) }
        case .bgra8: each(4) { over8(luma(u8($0, 2), u8($0, 1), u8($0, 0)), alpha: u8($0, 3)) }
        }
    }

    @inline(__always) static func luma(_ r: Int, _ g: Int, _ b: Int) -> Int { (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16 }

    @inline(__always) static func over8(_ v: Int, alpha a: Int) -> Int { (v * a + 255 * (255 - a) + 127) / 255 }

    @inline(__always) static func over16(_ v: Int, alpha a: Int) -> Int {
        let over = (v * a + 65535 * (65535 - a) + 32767) / 65535
        return (over + 128) / 257
    }
}
