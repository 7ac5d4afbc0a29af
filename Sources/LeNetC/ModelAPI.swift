import CLeNetTypes
import LeNetCore

/// Loads a model from a file: a `.lenet` checkpoint (float, or int8 from lenet_quantize;
/// lenet_model_get_info tells which), a PyTorch `.pth` state_dict of the
/// seed's LeNet (read without running its pickle), or `.safetensors`, recognised by content.
/// On success `*out_model` holds a new model that the caller releases with lenet_model_free;
/// on failure it is set to NULL.
/// Returns LENET_ERR_INVALID_ARGUMENT (NULL path or out_model), LENET_ERR_IO (missing,
/// unreadable, a directory) or LENET_ERR_FORMAT (not a valid model; the message says why).
@_cdecl("lenet_model_load")
public func lenet_model_load(_ path: UnsafePointer<CChar>?, _ out_model: UnsafeMutablePointer<lenet_model_ptr>?) -> lenet_status {
    out_model?.pointee = nil
    return withStatus {
        let out = try required(out_model, "out_model")
        out.pointee = try ModelBox(try Model.load(string(path, "path"), limits: loadLimits())).retainedHandle()
    }
}

/// Loads a model from `size` bytes at `data` (a whole model file in memory, any format
/// lenet_model_load reads). The bytes
/// are copied: the caller may free them when this returns. Ownership and errors as
/// lenet_model_load (LENET_ERR_FORMAT for bytes that are not a valid model).
@_cdecl("lenet_model_load_from_memory")
public func lenet_model_load_from_memory(
    _ data: UnsafeRawPointer?, _ size: Int, _ out_model: UnsafeMutablePointer<lenet_model_ptr>?
) -> lenet_status {
    out_model?.pointee = nil
    return withStatus {
        let out = try required(out_model, "out_model")
        let base = try required(data, "data")
        let limits = loadLimits()
        guard size >= 0, size <= limits.maxBytes else {
            throw LeNetError.format("size \(cSize(size)) is above the model load limit of \(limits.maxBytes) bytes (lenet_set_model_load_limit)")
        }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: base, count: size))
        out.pointee = try ModelBox(try Model.load(bytes: bytes, limits: limits)).retainedHandle()
    }
}

/// Sets the most a model load may take, in bytes: the largest model file accepted, and
/// the most memory that decoding one may allocate besides (inflated zip entries, parsed
/// pickle and JSON values, gathered tensors). A file that declares more is refused with
/// LENET_ERR_FORMAT before the memory is taken (a file larger than the limit: LENET_ERR_IO
/// from lenet_model_load, LENET_ERR_FORMAT from lenet_model_load_from_memory). 0 restores
/// the default, 64 MiB; a LeNet-5 model file is under 1 MB. Process-wide; thread-safe.
/// Returns LENET_OK.
@_cdecl("lenet_set_model_load_limit")
public func lenet_set_model_load_limit(_ max_bytes: Int) -> lenet_status {
    withStatus {
        lenetc_set_load_limit(max_bytes < 0 ? Int.max : max_bytes)
    }
}

func loadLimits() -> LoadLimits {
    let n = lenetc_get_load_limit()
    return n > 0 ? LoadLimits(maxBytes: n) : .default
}

/// Releases a model. NULL is allowed and does nothing. The model must not be in use by
/// another thread.
@_cdecl("lenet_model_free")
public func lenet_model_free(_ model: lenet_model_ptr) {
    guard let model else { return }
    Unmanaged<ModelBox>.fromOpaque(UnsafeRawPointer(model)).release()
}

/// Writes the model to `path`, atomically (a temporary file renamed over `path`): `path`
/// holds the old file or the whole new one, never a part. A path ending in `.safetensors`
/// gets safetensors (parameters and metadata), one ending in `.pth` or `.pt` a PyTorch
/// state_dict (both without training state), any other a `.lenet` checkpoint. An int8
/// model is written as `.lenet` only: a .safetensors or .pth path gives
/// LENET_ERR_INVALID_ARGUMENT and writes nothing.
/// Returns LENET_ERR_INVALID_ARGUMENT or LENET_ERR_IO.
@_cdecl("lenet_model_save")
public func lenet_model_save(_ model: lenet_model_const_ptr, _ path: UnsafePointer<CChar>?) -> lenet_status {
    withStatus {
        let p = try string(path, "path")
        try ModelBox.from(model).model.save(p, format: Model.FileFormat.forPath(p) ?? .lenet)
    }
}

/// Encodes the model in `format` into memory, to send it elsewhere (another process, a
/// worker on another machine, a database) and load it there with
/// lenet_model_load_from_memory: the bytes are those lenet_model_save writes to a file.
/// Sets `*out_size` to the encoded size and, when `buffer_size` >= that size, writes the
/// bytes to `buffer`. Pass buffer NULL and size 0 to ask for the size (LENET_OK); a
/// smaller buffer gives LENET_ERR_BUFFER_TOO_SMALL and writes nothing. The encoding is
/// deterministic, so the asked size holds for the next call. An int8 model is encoded as
/// LENET_FORMAT_LENET only (LENET_ERR_INVALID_ARGUMENT otherwise). Thread-safe.
@_cdecl("lenet_model_save_to_memory")
public func lenet_model_save_to_memory(
    _ model: lenet_model_const_ptr, _ format: lenet_model_format, _ buffer: UnsafeMutableRawPointer?, _ buffer_size: Int,
    _ out_size: UnsafeMutablePointer<Int>?
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model)
        let size = try required(out_size, "out_size")
        let formats: [lenet_model_format: Model.FileFormat] = [
            LENET_FORMAT_LENET: .lenet, LENET_FORMAT_PYTORCH: .pytorch, LENET_FORMAT_SAFETENSORS: .safetensors,
        ]
        guard let f = formats[format] else { throw LeNetError.invalidArgument("format \(format.rawValue) is not a lenet_model_format") }
        let bytes = try box.model.encoded(as: f)
        size.pointee = bytes.count
        guard let buffer else {
            if buffer_size == 0 { return }
            throw BoundaryError.null("buffer")
        }
        guard buffer_size >= bytes.count else { throw BoundaryError.tooSmall("buffer", need: bytes.count, have: buffer_size) }
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    }
}

/// Fills `*info`. The caller sets `info->struct_size = sizeof(lenet_model_info)` first;
/// only the fields that fit in that size are written. Returns LENET_ERR_INVALID_ARGUMENT for
/// NULL arguments or a struct_size smaller than any release's lenet_model_info. Thread-safe.
@_cdecl("lenet_model_get_info")
public func lenet_model_get_info(_ model: lenet_model_const_ptr, _ info: UnsafeMutablePointer<lenet_model_info>?) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model), out = try required(info, "info")
        let m = box.model
        let value = lenet_model_info(
            struct_size: MemoryLayout<lenet_model_info>.size, dtype: m.isInt8 ? LENET_DTYPE_INT8 : LENET_DTYPE_F32,
            parameter_count: m.parameters.count,
            format_version_major: UInt32(CheckpointFile.majorVersion), format_version_minor: UInt32(CheckpointFile.minorVersion),
            has_training_state: m.training == nil ? 0 : 1, epochs_completed: Int32(clamping: m.training?.epoch ?? 0),
            metadata_count: box.metadata.count)
        try GrowableStruct.write(value, to: out, name: "lenet_model_info", firstSize: GrowableStruct.modelInfoFirstSize)
    }
}

/// Copies the metadata value for `key` (e.g. "accuracy.test", "training.epochs") into
/// `buffer` as a NUL-terminated string and sets `*out_length` (may be NULL) to its length
/// without the NUL. Returns LENET_ERR_NOT_FOUND for an absent key, and
/// LENET_ERR_BUFFER_TOO_SMALL when `buffer_size` <= the length (then `*out_length` still
/// tells the size needed; pass buffer NULL and size 0 to ask). Thread-safe.
@_cdecl("lenet_model_get_metadata")
public func lenet_model_get_metadata(
    _ model: lenet_model_const_ptr, _ key: UnsafePointer<CChar>?, _ buffer: UnsafeMutablePointer<CChar>?,
    _ buffer_size: Int, _ out_length: UnsafeMutablePointer<Int>?
) -> lenet_status {
    withStatus {
        let box = try ModelBox.from(model), k = try string(key, "key")
        guard let value = box.metadata.first(where: { $0.key == k })?.value else {
            throw BoundaryError(status: LENET_ERR_NOT_FOUND, message: "the model has no metadata '\(k)'")
        }
        try copyString(value, buffer, buffer_size, out_length)
    }
}

/// Copies the key of metadata entry `index` (0 ..< info.metadata_count, in file order) like
/// lenet_model_get_metadata copies a value. Returns LENET_ERR_NOT_FOUND past the end.
@_cdecl("lenet_model_get_metadata_key")
public func lenet_model_get_metadata_key(
    _ model: lenet_model_const_ptr, _ index: Int, _ buffer: UnsafeMutablePointer<CChar>?,
    _ buffer_size: Int, _ out_length: UnsafeMutablePointer<Int>?
) -> lenet_status {
    withStatus {
        let entries = try ModelBox.from(model).metadata
        guard index >= 0, index < entries.count else {
            throw BoundaryError(status: LENET_ERR_NOT_FOUND, message: "metadata index \(index) is not below \(entries.count)")
        }
        try copyString(entries[index].key, buffer, buffer_size, out_length)
    }
}
