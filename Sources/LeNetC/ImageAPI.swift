import CLeNetTypes
import LeNetCore

/// Sets the largest image the PNG functions accept, checked from the PNG header before
/// decoding (a larger one gives LENET_ERR_IMAGE_TOO_LARGE). 0 keeps a limit's default:
/// 8192 for width and height, 33554432 (32 Mi) pixels. Applies process-wide.
@_cdecl("lenet_set_image_limits")
public func lenet_set_image_limits(_ max_width: Int, _ max_height: Int, _ max_pixels: Int) -> lenet_status {
    withStatus {
        for (name, v) in [("max_width", max_width), ("max_height", max_height), ("max_pixels", max_pixels)] where v < 0 {
            throw LeNetError.invalidArgument("\(name) \(cSize(v)) is too large")
        }
        lenetc_set_image_limits(max_width, max_height, max_pixels)
    }
}

func imageLimits() -> ImageLimits {
    var w = 0, h = 0, p = 0
    lenetc_get_image_limits(&w, &h, &p)
    let d = ImageLimits.default
    return ImageLimits(maxWidth: w > 0 ? w : d.maxWidth, maxHeight: h > 0 ? h : d.maxHeight, maxPixels: p > 0 ? p : d.maxPixels)
}

/// Decodes a PNG (any colour type, bit depth, interlacing; transparency is composited over
/// white) held in `size` bytes at `png`, and preprocesses it as MNIST's digits were made:
/// ink made white on black, cropped, scaled to fit 20x20 (aspect kept, area-averaged) and
/// centred by its centre of mass in 28x28. Writes the 784 bytes (row-major, 0 = background)
/// to `digit`, which holds `digit_size` >= 784 bytes.
/// Returns LENET_ERR_INVALID_ARGUMENT, LENET_ERR_BUFFER_TOO_SMALL, LENET_ERR_NOT_PNG,
/// LENET_ERR_PNG_TRUNCATED, LENET_ERR_PNG_CORRUPT, LENET_ERR_IMAGE_TOO_LARGE or
/// LENET_ERR_NO_INK (a blank image). Thread-safe.
@_cdecl("lenet_png_to_digit")
public func lenet_png_to_digit(_ png: UnsafeRawPointer?, _ size: Int, _ digit: UnsafeMutablePointer<UInt8>?, _ digit_size: Int) -> lenet_status {
    withStatus {
        let bytes = try pngBytes(png, size)
        let out = try required(digit, "digit")
        guard digit_size >= 784 else { throw BoundaryError.tooSmall("digit", need: 784, have: digit_size) }
        out.update(from: try DigitImage.fromPNG(bytes, limits: imageLimits()), count: 784)
    }
}

/// lenet_png_to_digit for the PNG file at `path` (LENET_ERR_IO when it cannot be read).
@_cdecl("lenet_png_file_to_digit")
public func lenet_png_file_to_digit(_ path: UnsafePointer<CChar>?, _ digit: UnsafeMutablePointer<UInt8>?, _ digit_size: Int) -> lenet_status {
    withStatus {
        let p = try string(path, "path")
        let out = try required(digit, "digit")
        guard digit_size >= 784 else { throw BoundaryError.tooSmall("digit", need: 784, have: digit_size) }
        out.update(from: try DigitImage.fromPNGFile(p, limits: imageLimits()), count: 784)
    }
}

/// Reads the digit on a PNG (as lenet_png_to_digit) and classifies it: the digit goes to
/// `*label` (may be NULL) and the 10 class probabilities to `probabilities` (may be NULL;
/// `probabilities_count` >= 10). Returns lenet_png_to_digit's codes. Thread-safe.
@_cdecl("lenet_model_predict_png")
public func lenet_model_predict_png(
    _ model: lenet_model_const_ptr, _ png: UnsafeRawPointer?, _ size: Int, _ label: UnsafeMutablePointer<Int32>?,
    _ probabilities: UnsafeMutablePointer<Float>?, _ probabilities_count: Int
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model)
        try classify(box, DigitImage.fromPNG(pngBytes(png, size), limits: imageLimits()), label, probabilities, probabilities_count)
    }
}

/// lenet_model_predict_png for the PNG file at `path` (LENET_ERR_IO when it cannot be read).
@_cdecl("lenet_model_predict_png_file")
public func lenet_model_predict_png_file(
    _ model: lenet_model_const_ptr, _ path: UnsafePointer<CChar>?, _ label: UnsafeMutablePointer<Int32>?,
    _ probabilities: UnsafeMutablePointer<Float>?, _ probabilities_count: Int
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model)
        try classify(box, DigitImage.fromPNGFile(string(path, "path"), limits: imageLimits()), label, probabilities, probabilities_count)
    }
}

private func pngBytes(_ png: UnsafeRawPointer?, _ size: Int) throws -> [UInt8] {
    let base = try required(png, "png")
    guard size >= 0, size <= DigitImage.maxFileSize else { throw LeNetError.invalidArgument("size \(cSize(size)) is outside 0...\(DigitImage.maxFileSize)") }
    return [UInt8](UnsafeRawBufferPointer(start: base, count: size))
}

private func classify(
    _ box: ModelBox, _ digit: [UInt8], _ label: UnsafeMutablePointer<Int32>?, _ probabilities: UnsafeMutablePointer<Float>?,
    _ count: Int
) throws {
    if probabilities != nil, count < 10 { throw BoundaryError.tooSmall("probabilities", need: 10, have: count) }
    let answer = box.predictor.classify(digits: digit, threads: 1)[0]
    label?.pointee = Int32(answer.label)
    probabilities?.update(from: answer.probabilities, count: 10)
}
