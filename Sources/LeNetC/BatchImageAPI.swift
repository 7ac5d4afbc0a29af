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
        let (need, overflow) = count.multipliedReportingOverflow(by: 784)
        guard count >= 0, !overflow, digits_size >= need else {
            throw BoundaryError.tooSmall("digits", need: count >= 0 && !overflow ? need : Int.max, have: digits_size)
        }
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
                statuses?[i] = (error as? LeNetError).map(status(of:)) ?? LENET_ERR_INTERNAL
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }
}

/// `count` C strings, each checked, as Swift paths.
private func pathList(_ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int) throws -> [String] {
    guard count > 0 else { return [] }
    let list = try required(paths, "paths")
    return try (0..<count).map { try string(list[$0], "paths[\($0)]") }
}
