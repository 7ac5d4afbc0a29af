import CLeNetTypes
import LeNetCore

nonisolated(unsafe) private let versionCString: UnsafeMutablePointer<CChar> = strdupStatic(lenetVersionString)

func strdupStatic(_ s: String) -> UnsafeMutablePointer<CChar> {
    let bytes = Array(s.utf8CString)
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
    p.initialize(from: bytes, count: bytes.count)
    return p
}

/// The library's version as "MAJOR.MINOR.PATCH". The string is static; do not free it.
@_cdecl("lenet_version_string")
public func lenet_version_string() -> UnsafePointer<CChar>? {
    UnsafePointer(versionCString)
}

/// Checks that the header a caller compiled against matches this library: call it as
/// `lenet_check_version(LENET_VERSION_MAJOR, LENET_VERSION_MINOR, LENET_VERSION_PATCH)`.
/// Returns LENET_OK when the major versions are equal and the library's minor version is
/// at least the header's (it then has every function the header declares), otherwise
/// LENET_ERR_VERSION with a message naming both versions.
@_cdecl("lenet_check_version")
public func lenet_check_version(_ major: Int32, _ minor: Int32, _ patch: Int32) -> lenet_status {
    withStatus {
        guard Int(major) == lenetVersion.major, Int(minor) <= lenetVersion.minor else {
            throw BoundaryError(status: LENET_ERR_VERSION,
                                message: "header version \(major).\(minor).\(patch) does not match library version \(lenetVersionString)")
        }
    }
}

nonisolated(unsafe) private let statusNames: [UnsafeMutablePointer<CChar>] = [
    "success", "invalid argument", "I/O error", "malformed model file", "malformed dataset",
    "buffer too small", "cancelled", "version mismatch", "not found", "internal error",
    "not a PNG", "truncated PNG", "corrupt PNG", "image too large", "no ink",
].map(strdupStatic)
nonisolated(unsafe) private let unknownStatus = strdupStatic("unknown status")

/// A short, static, English name for a status code ("success", "I/O error", ...);
/// never NULL, "unknown status" for codes this library does not know.
@_cdecl("lenet_status_string")
public func lenet_status_string(_ status: lenet_status) -> UnsafePointer<CChar>? {
    let i = Int(status.rawValue)
    return UnsafePointer(i < statusNames.count ? statusNames[i] : unknownStatus)
}

/// The detailed message of the last failed call on this thread ("" after a success).
/// Owned by the library and valid until this thread's next lenet_ call; never NULL.
@_cdecl("lenet_last_error")
public func lenet_last_error() -> UnsafePointer<CChar>? {
    lenetc_get_error()
}

/// Sets how many threads inference and training use in this process: a positive count,
/// or 0 for the default (the LENET_NUM_THREADS environment variable, else all cores).
/// Returns LENET_ERR_INVALID_ARGUMENT for a negative count or one above 256.
@_cdecl("lenet_set_num_threads")
public func lenet_set_num_threads(_ threads: Int32) -> lenet_status {
    withStatus {
        guard threads >= 0, threads <= 256 else { throw LeNetError.invalidArgument("thread count must be 0 to 256, got \(threads)") }
        lenetc_set_threads(threads)
    }
}

/// The number of threads calls will use now (resolving the default).
@_cdecl("lenet_get_num_threads")
public func lenet_get_num_threads() -> Int32 {
    Int32(threadCount())
}
