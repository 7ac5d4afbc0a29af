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
