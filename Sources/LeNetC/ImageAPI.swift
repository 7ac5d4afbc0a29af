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

/// Preprocesses a digit already decoded to pixels (a canvas's RGBA, a PIL image's bytes,
/// an OpenCV Mat, a camera frame) exactly as lenet_png_to_digit does a PNG's: the same
/// PNG decoded to the same pixels gives the same 784 bytes. `pixels` holds `size` bytes:
/// `height` rows of `width` pixels in `format`, each row starting `stride_bytes` after the
/// previous one (0: packed rows, width * bytes per pixel; padded rows need their stride).
/// Writes the digit to `digit` (`digit_size` >= 784).
/// Returns LENET_ERR_INVALID_ARGUMENT (NULL pointers, a width or height of 0, an unknown
/// format, a stride shorter than a row, or `size` too small for the rows described: the
/// library never reads past `size`), LENET_ERR_BUFFER_TOO_SMALL, LENET_ERR_IMAGE_TOO_LARGE
/// (past lenet_set_image_limits) or LENET_ERR_NO_INK. Thread-safe.
@_cdecl("lenet_image_to_digit")
public func lenet_image_to_digit(
    _ pixels: UnsafeRawPointer?, _ size: Int, _ width: Int, _ height: Int, _ stride_bytes: Int, _ format: lenet_pixel_format,
    _ digit: UnsafeMutablePointer<UInt8>?, _ digit_size: Int
) -> lenet_status {
    withStatus {
        let out = try required(digit, "digit")
        guard digit_size >= 784 else { throw BoundaryError.tooSmall("digit", need: 784, have: digit_size) }
        out.update(from: try digitFromPixels(pixels, size, width, height, stride_bytes, format), count: 784)
    }
}

/// Reads the digit on raw pixels (as lenet_image_to_digit) and classifies it, as
/// lenet_model_predict_png does a PNG's. Returns lenet_image_to_digit's codes. Thread-safe.
@_cdecl("lenet_model_predict_image")
public func lenet_model_predict_image(
    _ model: lenet_model_const_ptr, _ pixels: UnsafeRawPointer?, _ size: Int, _ width: Int, _ height: Int, _ stride_bytes: Int,
    _ format: lenet_pixel_format, _ label: UnsafeMutablePointer<Int32>?, _ probabilities: UnsafeMutablePointer<Float>?,
    _ probabilities_count: Int
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model)
        try classify(box, digitFromPixels(pixels, size, width, height, stride_bytes, format), label, probabilities, probabilities_count)
    }
}

private func digitFromPixels(
    _ pixels: UnsafeRawPointer?, _ size: Int, _ width: Int, _ height: Int, _ stride: Int, _ format: lenet_pixel_format
) throws -> [UInt8] {
    try DigitPreprocessing.mnistDigit(from: grayFromPixels(pixels, size, width, height, stride, format))
}

/// Raw pixels from the caller, checked (pointer, format, sizes) and converted to grey.
func grayFromPixels(
    _ pixels: UnsafeRawPointer?, _ size: Int, _ width: Int, _ height: Int, _ stride: Int, _ format: lenet_pixel_format
) throws -> GrayImage {
    let base = try required(pixels, "pixels")
    guard let f = PixelFormat(rawValue: Int(format.rawValue)) else {
        throw LeNetError.invalidArgument("format \(format.rawValue) is not a lenet_pixel_format")
    }
    // size_t values above Int.max arrive negative; none is a possible size.
    for (name, v) in [("size", size), ("width", width), ("height", height), ("stride_bytes", stride)] where v < 0 {
        throw LeNetError.invalidArgument("\(name) \(cSize(v)) is too large")
    }
    return try PixelConversion.gray(UnsafeRawBufferPointer(start: base, count: size), width: width, height: height,
                                    stride: stride, format: f, limits: imageLimits())
}

func pngBytes(_ png: UnsafeRawPointer?, _ size: Int) throws -> [UInt8] {
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
