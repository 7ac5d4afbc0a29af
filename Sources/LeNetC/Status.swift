import CLeNetTypes

// The names come from lenet_types.h, through the generated StatusNames.swift.
nonisolated(unsafe) private let statusCStrings: [UnsafeMutablePointer<CChar>] = statusNames.map(strdupStatic)
nonisolated(unsafe) private let unknownStatus = strdupStatic("unknown status")

/// A short, static, English name for a status code ("success", "I/O error", ...);
/// never NULL, "unknown status" for codes this library does not know.
@_cdecl("lenet_status_string")
public func lenet_status_string(_ status: lenet_status) -> UnsafePointer<CChar>? {
    let i = Int(status.rawValue)
    return UnsafePointer(i < statusCStrings.count ? statusCStrings[i] : unknownStatus)
}

/// The detailed message of the last failed call on this thread ("" after a success).
/// Owned by the library and valid until this thread's next lenet_ call; never NULL. Safe to
/// print: control characters it quotes from files or arguments are shown as \u{1b}-style escapes.
@_cdecl("lenet_last_error")
public func lenet_last_error() -> UnsafePointer<CChar>? {
    lenetc_get_error()
}
