import CLeNetTypes
import LeNetCore

/// Reads a number on a PNG ("2026" on a form): finds the digits left to right (connected
/// strokes, pieces of one digit joined, specks ignored, touching digits cut where the model
/// is surest), reads each as lenet_png_to_digit does a single digit, and classifies it.
/// Writes up to `capacity` results to `digits` in reading order and sets `*count` to the
/// number of digits found. With `digits` NULL and `capacity` 0 it only counts (LENET_OK);
/// when `capacity` is smaller than the count it writes nothing and returns
/// LENET_ERR_BUFFER_TOO_SMALL (`*count` tells the size needed). Otherwise the codes of
/// lenet_png_to_digit. Thread-safe.
@_cdecl("lenet_model_read_png")
public func lenet_model_read_png(
    _ model: lenet_model_const_ptr, _ png: UnsafeRawPointer?, _ size: Int, _ digits: UnsafeMutablePointer<lenet_read_digit>?,
    _ capacity: Int, _ count: UnsafeMutablePointer<Int>?
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model)
        let n = try required(count, "count")
        let base = try required(png, "png")
        guard size >= 0, size <= DigitImage.maxFileSize else { throw LeNetError.invalidArgument("size \(cSize(size)) is outside 0...\(DigitImage.maxFileSize)") }
        let found = try box.predictor.read(png: [UInt8](UnsafeRawBufferPointer(start: base, count: size)), limits: imageLimits())
        try deliver(found, digits, capacity, n)
    }
}

/// lenet_model_read_png for raw pixels, described as for lenet_image_to_digit. Thread-safe.
@_cdecl("lenet_model_read_image")
public func lenet_model_read_image(
    _ model: lenet_model_const_ptr, _ pixels: UnsafeRawPointer?, _ size: Int, _ width: Int, _ height: Int, _ stride_bytes: Int,
    _ format: lenet_pixel_format, _ digits: UnsafeMutablePointer<lenet_read_digit>?, _ capacity: Int, _ count: UnsafeMutablePointer<Int>?
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model)
        let n = try required(count, "count")
        let gray = try grayFromPixels(pixels, size, width, height, stride_bytes, format)
        try deliver(try box.predictor.read(image: gray), digits, capacity, n)
    }
}

private func deliver(_ found: [ReadDigit], _ digits: UnsafeMutablePointer<lenet_read_digit>?, _ capacity: Int,
                     _ count: UnsafeMutablePointer<Int>) throws {
    count.pointee = found.count
    guard let digits else {
        if capacity == 0 { return }
        throw BoundaryError.null("digits")
    }
    try write(found, to: digits, capacity: capacity)
}

/// A number's digits as lenet_read_digit, left to right; nothing written when they do not fit.
func write(_ found: [ReadDigit], to digits: UnsafeMutablePointer<lenet_read_digit>, capacity: Int) throws {
    guard capacity >= found.count else { throw BoundaryError.tooSmall("digits", need: found.count, have: capacity) }
    for (i, d) in found.enumerated() {
        var r = lenet_read_digit()
        r.label = Int32(d.label)
        withUnsafeMutableBytes(of: &r.probabilities) { raw in
            let p = raw.bindMemory(to: Float.self)
            for k in 0..<10 { p[k] = d.probabilities[k] }
        }
        r.x = d.x; r.y = d.y; r.width = d.width; r.height = d.height
        digits[i] = r
    }
}
