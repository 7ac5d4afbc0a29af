import CLeNetTypes
import LeNetCore

// Handle types, named so the header generator can print their C spelling:
// `X_ptr` is `X *`, `X_const_ptr` is `const X *`.
public typealias lenet_model_ptr = OpaquePointer?
public typealias lenet_model_const_ptr = OpaquePointer?
public typealias lenet_dataset_ptr = OpaquePointer?
public typealias lenet_dataset_const_ptr = OpaquePointer?

/// The one place a Swift error becomes a status: every exported function runs its body
/// through here, so no error, and no message, is lost at the boundary. Every message goes
/// through `setLastError`, which escapes what it quotes.
@inline(__always)
func withStatus(_ body: () throws -> Void) -> lenet_status {
    do {
        try body()
        lenetc_set_error("")
        return LENET_OK
    } catch {
        setLastError((error as? BoundaryError)?.message ?? "\(error)")
        return status(ofAny: error)
    }
}

/// `lenet_last_error`'s text: messages quote names, keys and lines that came from callers
/// and files, so control characters are escaped here, for every message at once.
func setLastError(_ message: String) {
    lenetc_set_error(printableText(LeNetError.bounded(message)))
}

/// The status a caught error reports (a call's, or one file's in a batch call).
func status(ofAny error: any Error) -> lenet_status {
    if let e = error as? BoundaryError { return e.status }
    if let e = error as? LeNetError { return status(of: e) }
    return LENET_ERR_INTERNAL
}

func status(of e: LeNetError) -> lenet_status {
    switch e {
    case .invalidArgument: return LENET_ERR_INVALID_ARGUMENT
    case .io: return LENET_ERR_IO
    case .format: return LENET_ERR_FORMAT
    case .dataset: return LENET_ERR_DATASET
    case .cancelled: return LENET_ERR_CANCELLED
    case .image(let problem, _):
        switch problem {
        case .notPNG: return LENET_ERR_NOT_PNG
        case .truncated: return LENET_ERR_PNG_TRUNCATED
        case .corrupt: return LENET_ERR_PNG_CORRUPT
        case .tooLarge: return LENET_ERR_IMAGE_TOO_LARGE
        case .noInk: return LENET_ERR_NO_INK
        }
    }
}

/// Failures that exist only at the C boundary.
struct BoundaryError: Error {
    var status: lenet_status
    var message: String

    static func null(_ name: String) -> BoundaryError {
        BoundaryError(status: LENET_ERR_INVALID_ARGUMENT, message: "\(name) is NULL")
    }

    static func tooSmall(_ name: String, need: Int, have: Int) -> BoundaryError {
        BoundaryError(status: LENET_ERR_BUFFER_TOO_SMALL, message: "\(name) holds \(have) elements, \(need) are needed")
    }
}

/// A `size_t` argument as the caller wrote it: Swift sees those as Int, so the ones
/// above Int.max arrive negative and would be misreported as "-1".
func cSize(_ n: Int) -> String { String(UInt(bitPattern: n)) }

func required<T>(_ p: T?, _ name: String) throws -> T {
    guard let p else { throw BoundaryError.null(name) }
    return p
}

func string(_ p: UnsafePointer<CChar>?, _ name: String) throws -> String {
    String(cString: try required(p, name))
}

/// Copies `value` with a NUL into `buffer` (when it fits) and reports its length, the
/// way snprintf does: a too-small buffer is an error that still tells the size needed.
func copyString(_ value: String, _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ outLength: UnsafeMutablePointer<Int>?) throws {
    let bytes = Array(value.utf8)
    outLength?.pointee = bytes.count
    guard let buffer else {
        if size == 0 { return }
        throw BoundaryError.null("buffer")
    }
    guard size > bytes.count else { throw BoundaryError.tooSmall("buffer", need: bytes.count + 1, have: size) }
    for (i, b) in bytes.enumerated() { buffer[i] = CChar(bitPattern: b) }
    buffer[bytes.count] = 0
}

/// The thread count for a call: an explicit positive request, else the process setting,
/// else the default (LENET_NUM_THREADS, else all cores).
func threadCount(_ requested: Int32 = 0) -> Int {
    if requested > 0 { return Int(requested) }
    let setting = lenetc_get_threads()
    return setting > 0 ? Int(setting) : Threads.defaultCount
}

/// What a `lenet_model *` points to: the model, ready to run (float or int8).
final class ModelBox {
    let predictor: Predictor
    let metadata: [(key: String, value: String)]
    var model: Model { predictor.model }

    init(_ model: Model) throws {
        predictor = try Predictor(model)
        metadata = model.metadata
    }

    func retainedHandle() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }

    static func from(_ handle: OpaquePointer?) throws -> ModelBox {
        Unmanaged<ModelBox>.fromOpaque(UnsafeRawPointer(try required(handle, "model"))).takeUnretainedValue()
    }
}

final class DatasetBox {
    let data: DigitSet

    init(_ data: DigitSet) { self.data = data }

    func retainedHandle() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }

    static func from(_ handle: OpaquePointer?, _ name: String = "dataset") throws -> DatasetBox {
        Unmanaged<DatasetBox>.fromOpaque(UnsafeRawPointer(try required(handle, name))).takeUnretainedValue()
    }
}
