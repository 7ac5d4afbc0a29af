import CLeNetTypes
import LeNetCore

/// The structs that carry `struct_size` grow at their end. A caller compiled against an
/// older header passes its smaller size: reading takes the caller's bytes over the
/// defaults, writing stops at the caller's size. `firstSize` is the size in the first
/// release that had the struct; anything smaller is not a struct any header declared.
enum GrowableStruct {
    /// lenet_train_params as released in 0.2 (it ended with `user_data`).
    static let trainParamsFirstSize = MemoryLayout<lenet_train_params>.offset(of: \lenet_train_params.checkpoint_path)!
    /// lenet_model_info has not grown since 0.1.
    static let modelInfoFirstSize = MemoryLayout<lenet_model_info>.size

    /// The caller's `struct_size`, checked against the sizes any header declared.
    static func callerSize(_ p: UnsafeRawPointer, name: String, firstSize: Int, currentSize: Int) throws -> Int {
        // struct_size is the first field in every release, so it is safe to read alone.
        let size = p.loadUnaligned(as: Int.self)
        guard size >= firstSize, size <= currentSize else {
            throw LeNetError.invalidArgument(
                "\(name)->struct_size is \(size), expected sizeof(\(name)) of a lenet header: \(firstSize) to \(currentSize) bytes")
        }
        return size
    }

    /// `defaults` with the caller's first `struct_size` bytes copied over them.
    static func read<T>(_ p: UnsafePointer<T>, defaults: T, name: String, firstSize: Int) throws -> T {
        let size = try callerSize(UnsafeRawPointer(p), name: name, firstSize: firstSize, currentSize: MemoryLayout<T>.size)
        var value = defaults
        withUnsafeMutableBytes(of: &value) { $0.baseAddress!.copyMemory(from: UnsafeRawPointer(p), byteCount: size) }
        return value
    }

    /// Writes `value` into the caller's struct, as many bytes as its `struct_size` holds
    /// (the struct_size field keeps the caller's value).
    static func write<T>(_ value: T, to p: UnsafeMutablePointer<T>, name: String, firstSize: Int) throws {
        let size = try callerSize(UnsafeRawPointer(p), name: name, firstSize: firstSize, currentSize: Int.max)
        let stride = MemoryLayout<Int>.size
        withUnsafeBytes(of: value) { bytes in
            let n = min(size, bytes.count)
            UnsafeMutableRawPointer(p).advanced(by: stride).copyMemory(from: bytes.baseAddress!.advanced(by: stride), byteCount: n - stride)
        }
    }
}
