import CLeNetTypes
import LeNetCore

/// Reads every number on a PNG (the fields of a form, "427256" above "368"): the strokes
/// are grouped into numbers by their spacing and shared rows, and each number is read as
/// lenet_model_read_png reads a number alone. The numbers come in reading order (rows top
/// to bottom, each left to right); a picture of one number gives one. Writes the numbers
/// to `numbers` and all their digits to `digits` (each number names its digits' range) and
/// sets `*numbers_count` and `*digits_count`. `seen`, if not NULL, gets the 28x28 digit the
/// model saw for each digit (784 bytes each, in the digits' order; `seen_size` bytes, at
/// least 784 per digit found); NULL and 0 when not wanted. With the arrays NULL and their
/// capacities 0 it only counts (LENET_OK); when a capacity is smaller than its count it
/// writes nothing and returns LENET_ERR_BUFFER_TOO_SMALL (the counts tell the sizes
/// needed). Otherwise the codes of lenet_png_to_digit. Thread-safe.
@_cdecl("lenet_model_read_numbers_png")
public func lenet_model_read_numbers_png(
    _ model: lenet_model_const_ptr, _ png: UnsafeRawPointer?, _ size: Int, _ numbers: UnsafeMutablePointer<lenet_read_number>?,
    _ numbers_capacity: Int, _ numbers_count: UnsafeMutablePointer<Int>?, _ digits: UnsafeMutablePointer<lenet_read_digit>?,
    _ digits_capacity: Int, _ digits_count: UnsafeMutablePointer<Int>?, _ seen: UnsafeMutablePointer<UInt8>?, _ seen_size: Int
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model)
        let out = try NumbersOut(numbers, numbers_capacity, numbers_count, digits, digits_capacity, digits_count, seen, seen_size)
        try out.deliver(box.predictor.readNumbers(png: pngBytes(png, size), limits: imageLimits()))
    }
}

/// lenet_model_read_numbers_png for the PNG file at `path` (LENET_ERR_IO when it cannot be
/// read; messages name the file). Thread-safe.
@_cdecl("lenet_model_read_numbers_png_file")
public func lenet_model_read_numbers_png_file(
    _ model: lenet_model_const_ptr, _ path: UnsafePointer<CChar>?, _ numbers: UnsafeMutablePointer<lenet_read_number>?,
    _ numbers_capacity: Int, _ numbers_count: UnsafeMutablePointer<Int>?, _ digits: UnsafeMutablePointer<lenet_read_digit>?,
    _ digits_capacity: Int, _ digits_count: UnsafeMutablePointer<Int>?, _ seen: UnsafeMutablePointer<UInt8>?, _ seen_size: Int
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model)
        let out = try NumbersOut(numbers, numbers_capacity, numbers_count, digits, digits_capacity, digits_count, seen, seen_size)
        try out.deliver(DigitImage.withFile(string(path, "path")) { try box.predictor.readNumbers(png: $0, limits: imageLimits()) })
    }
}

/// lenet_model_read_numbers_png for raw pixels, described as for lenet_image_to_digit. Thread-safe.
@_cdecl("lenet_model_read_numbers_image")
public func lenet_model_read_numbers_image(
    _ model: lenet_model_const_ptr, _ pixels: UnsafeRawPointer?, _ size: Int, _ width: Int, _ height: Int, _ stride_bytes: Int,
    _ format: lenet_pixel_format, _ numbers: UnsafeMutablePointer<lenet_read_number>?, _ numbers_capacity: Int,
    _ numbers_count: UnsafeMutablePointer<Int>?, _ digits: UnsafeMutablePointer<lenet_read_digit>?, _ digits_capacity: Int,
    _ digits_count: UnsafeMutablePointer<Int>?, _ seen: UnsafeMutablePointer<UInt8>?, _ seen_size: Int
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model)
        let out = try NumbersOut(numbers, numbers_capacity, numbers_count, digits, digits_capacity, digits_count, seen, seen_size)
        try out.deliver(box.predictor.readNumbers(image: grayFromPixels(pixels, size, width, height, stride_bytes, format)))
    }
}

/// The caller's arrays for the numbers, their digits and what the model saw, with their
/// capacities, and the two counts (required).
private struct NumbersOut {
    let numbers: UnsafeMutablePointer<lenet_read_number>?, numbersCapacity: Int, numbersCount: UnsafeMutablePointer<Int>
    let digits: UnsafeMutablePointer<lenet_read_digit>?, digitsCapacity: Int, digitsCount: UnsafeMutablePointer<Int>
    let seen: UnsafeMutablePointer<UInt8>?, seenSize: Int

    init(_ numbers: UnsafeMutablePointer<lenet_read_number>?, _ numbersCapacity: Int, _ numbersCount: UnsafeMutablePointer<Int>?,
         _ digits: UnsafeMutablePointer<lenet_read_digit>?, _ digitsCapacity: Int, _ digitsCount: UnsafeMutablePointer<Int>?,
         _ seen: UnsafeMutablePointer<UInt8>?, _ seenSize: Int) throws {
        self.numbersCount = try required(numbersCount, "numbers_count")
        self.digitsCount = try required(digitsCount, "digits_count")
        self.numbers = numbers; self.numbersCapacity = numbersCapacity
        self.digits = digits; self.digitsCapacity = digitsCapacity
        self.seen = seen; self.seenSize = seenSize
    }

    /// The counts always; the numbers, their digits and what the model saw only when all
    /// fit (nothing written otherwise).
    func deliver(_ found: [ReadNumber]) throws {
        let digitCount = found.reduce(0) { $0 + $1.digits.count }
        numbersCount.pointee = found.count
        digitsCount.pointee = digitCount
        if seen == nil, seenSize != 0 { throw BoundaryError.null("seen") }
        if numbers == nil, numbersCapacity == 0, digits == nil, digitsCapacity == 0 { return }
        guard numbersCapacity >= found.count else { throw BoundaryError.tooSmall("numbers", need: found.count, have: numbersCapacity) }
        guard digitsCapacity >= digitCount else { throw BoundaryError.tooSmall("digits", need: digitCount, have: digitsCapacity) }
        if seen != nil, seenSize < 784 * digitCount { throw BoundaryError.tooSmall("seen", need: 784 * digitCount, have: seenSize) }
        let numberArray = try required(numbers, "numbers"), digitArray = try required(digits, "digits")
        var first = 0
        for (i, n) in found.enumerated() {
            try write(n.digits, to: digitArray + first, capacity: n.digits.count)
            if let out = seen { for (k, d) in n.digits.enumerated() { (out + 784 * (first + k)).update(from: d.digit, count: 784) } }
            numberArray[i] = lenet_read_number(first_digit: first, digit_count: n.digits.count, x: n.x, y: n.y, width: n.width, height: n.height)
            first += n.digits.count
        }
    }
}
