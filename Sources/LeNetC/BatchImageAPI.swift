import CLeNetTypes
import LeNetCore

/// Reads the digits of `count` PNG files in one call, the files spread over the library's
/// threads (lenet_set_num_threads; LENET_NUM_THREADS, else all cores), each exactly as
/// lenet_png_file_to_digit reads it alone. File i's 784 bytes go to `digits + 784 * i`
/// (`digits_size` >= 784 * count; zeros for a file that failed) and its status to
/// `statuses[i]` (may be NULL): LENET_OK or that file's error. Returns LENET_OK when every
/// file was read; otherwise the first failed file's status, with its message in
/// lenet_last_error. LENET_ERR_INVALID_ARGUMENT for NULL `paths`, `digits` or a NULL path,
/// LENET_ERR_BUFFER_TOO_SMALL for a short `digits`. The results do not depend on the thread
/// count. Thread-safe.
@_cdecl("lenet_png_files_to_digits")
public func lenet_png_files_to_digits(
    _ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int, _ digits: UnsafeMutablePointer<UInt8>?, _ digits_size: Int,
    _ statuses: UnsafeMutablePointer<lenet_status>?
) -> lenet_status {
    withStatus {
        let out = try required(digits, "digits")
        try requireRoom(digits_size, for: count, times: 784)
        let names = try pathList(paths, count)
        let results = DigitBatch.fromPNGFiles(names, limits: imageLimits(), threads: threadCount())
        var firstError: (any Error)?
        for (i, result) in results.enumerated() {
            switch result {
            case .success(let digit):
                (out + 784 * i).update(from: digit, count: 784)
                statuses?[i] = LENET_OK
            case .failure(let error):
                (out + 784 * i).update(repeating: 0, count: 784)
                statuses?[i] = status(ofAny: error)
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }
}

/// Reads the numbers on `count` PNG files in one call, the files spread over the library's
/// threads (lenet_set_num_threads; LENET_NUM_THREADS, else all cores), each exactly as
/// lenet_model_read_png reads its bytes alone. `digits` holds `per_file` entries for each
/// file: file i's digits go to `digits + per_file * i`, left to right, and their number to
/// `found[i]` (0 for a file that failed). A file with more digits than `per_file` gets
/// LENET_ERR_BUFFER_TOO_SMALL, nothing written, and `found[i]` says how many it has. Each
/// file's status goes to `statuses[i]` (may be NULL). Returns LENET_OK when every file was
/// read; otherwise the first failed file's status, with its message (naming the file) in
/// lenet_last_error. LENET_ERR_INVALID_ARGUMENT for NULL `paths`, `digits` or `found`, a
/// NULL path, or `per_file` 0; LENET_ERR_BUFFER_TOO_SMALL when `digits_count` is less than
/// `per_file * count`. The results do not depend on the thread count. Thread-safe.
@_cdecl("lenet_model_read_png_files")
public func lenet_model_read_png_files(
    _ model: lenet_model_const_ptr, _ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int,
    _ digits: UnsafeMutablePointer<lenet_read_digit>?, _ digits_count: Int, _ per_file: Int,
    _ found: UnsafeMutablePointer<Int>?, _ statuses: UnsafeMutablePointer<lenet_status>?
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model)
        let out = try required(digits, "digits"), counts = try required(found, "found")
        guard per_file > 0 else { throw LeNetError.invalidArgument("per_file must be at least 1") }
        try requireRoom(digits_count, for: count, times: per_file)
        let names = try pathList(paths, count)
        let results = box.predictor.read(pngFiles: names, limits: imageLimits(), threads: threadCount())
        var firstError: (any Error)?
        for (i, result) in results.enumerated() {
            counts[i] = 0
            do {
                let number = try result.get()
                counts[i] = number.count
                guard number.count <= per_file else {
                    throw BoundaryError(status: LENET_ERR_BUFFER_TOO_SMALL,
                                        message: "\(names[i]): \(number.count) digits found, room for \(per_file) (per_file)")
                }
                try write(number, to: out + per_file * i, capacity: per_file)
                statuses?[i] = LENET_OK
            } catch {
                statuses?[i] = status(ofAny: error)
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }
}

/// `digits` holds `have` elements: room for `count` files of `each` (an overflowing product
/// is more than any buffer holds).
private func requireRoom(_ have: Int, for count: Int, times each: Int) throws {
    let (need, overflow) = count.multipliedReportingOverflow(by: each)
    guard count >= 0, !overflow, have >= need else {
        throw BoundaryError.tooSmall("digits", need: count >= 0 && !overflow ? need : Int.max, have: have)
    }
}

/// `count` C strings, each checked, as Swift paths.
func pathList(_ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int) throws -> [String] {
    guard count > 0 else { return [] }
    let list = try required(paths, "paths")
    return try (0..<count).map { try string(list[$0], "paths[\($0)]") }
}
