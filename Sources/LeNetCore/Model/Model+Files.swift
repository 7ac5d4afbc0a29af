/// A model to and from files: the format found by content on reading, named by the
/// extension on writing (`lenet convert` is a load and a save).
extension Model {
    /// The file formats a model is read from, recognised by content.
    public enum FileFormat: String, Sendable, CaseIterable {
        case lenet, pytorch, safetensors

        /// The format of `bytes`, or nil when none matches.
        package static func detect(_ bytes: [UInt8]) -> FileFormat? {
            if bytes.starts(with: CheckpointFile.magic) { return .lenet }
            if PyTorchCheckpoint.isZip(bytes) { return .pytorch }
            if Safetensors.looksLikeSafetensors(bytes) { return .safetensors }
            return nil
        }

        /// The format a path's extension names, for writing.
        public static func forPath(_ path: String) -> FileFormat? {
            let lower = path.lowercased()
            if lower.hasSuffix(".lenet") { return .lenet }
            if lower.hasSuffix(".pth") || lower.hasSuffix(".pt") { return .pytorch }
            if lower.hasSuffix(".safetensors") { return .safetensors }
            return nil
        }
    }

    public static func load(_ path: String, limits: LoadLimits = .default) throws -> Model {
        do {
            return try load(bytes: FileIO.read(path, limit: limits.maxBytes), limits: limits)
        } catch LeNetError.format(let m) {
            throw LeNetError.format("\(path): \(m)")
        }
    }

    /// A model from the bytes of a `.lenet`, PyTorch `.pth` (state_dict) or `.safetensors`
    /// file, whichever they are, decoded within `limits`.
    public static func load(bytes: [UInt8], limits: LoadLimits = .default) throws -> Model {
        guard bytes.count <= limits.maxBytes else {
            throw LeNetError.format("the model is \(bytes.count) bytes, above the load limit of \(limits.maxBytes)")
        }
        switch FileFormat.detect(bytes) {
        case .lenet:
            return try Model(checkpoint: CheckpointFile(decoding: bytes))
        case .pytorch:
            return try Model(stateDict: PyTorchCheckpoint.stateDict(bytes, limits: limits))
        case .safetensors:
            let (tensors, metadata) = try Safetensors.read(bytes, limits: limits)
            // Our own exports carry the normalisation; files from elsewhere get MNIST's. Keys
            // that are there but do not hold a valid normalisation are refused, not replaced.
            let mean = metadata.first { $0.key == Key.mean }?.value, std = metadata.first { $0.key == Key.std }?.value
            let norm = mean == nil && std == nil ? Normalization.mnist : try normalization(mean: mean, std: std)
            return try Model(stateDict: tensors, normalization: norm,
                             info: metadata.filter { !Key.interpreted.contains($0.key) && $0.key != "format" })
        case nil:
            throw LeNetError.format("not a model file: neither a lenet checkpoint (\"LENETCKP\"), a PyTorch zip (\"PK\") nor safetensors (a JSON header)")
        }
    }

    /// The model in `format`. A safetensors file holds the parameters and the metadata
    /// (strings), a PyTorch file the state_dict alone; neither keeps the training state.
    public func encoded(as format: FileFormat) throws -> [UInt8] {
        if isInt8, format != .lenet {
            throw LeNetError.invalidArgument("an int8 model is saved as .lenet only: \(format.rawValue) files hold float tensors")
        }
        switch format {
        case .lenet: return try checkpoint.encoded()
        case .safetensors: return Safetensors.write(stateDict, metadata: metadata)
        case .pytorch: return PyTorchWriter.write(stateDict)
        }
    }

    public func save(_ path: String) throws { try save(path, format: .lenet) }

    /// Saves in the format `path`'s extension names (.lenet, .safetensors), atomically.
    public func save(_ path: String, format: FileFormat) throws {
        try FileIO.writeAtomically(path, encoded(as: format))
    }
}
