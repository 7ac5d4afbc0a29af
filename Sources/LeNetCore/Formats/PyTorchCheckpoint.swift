/// Reads `torch.save(model.state_dict(), path)` files (the zip format of PyTorch >= 1.6)
/// without PyTorch and without running any of the pickle: see `RestrictedUnpickler`.
package enum PyTorchCheckpoint {
    package static func isZip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    package static func stateDict(_ bytes: [UInt8], limits: LoadLimits = .default) throws -> [String: NamedTensor] {
        let budget = LoadBudget(limits)
        let zip = try ZipArchive(bytes, budget: budget)
        // The archive's top folder is whatever name the file was saved under.
        guard let pkl = zip.names.first(where: { $0 == "data.pkl" || $0.hasSuffix("/data.pkl") }) else {
            throw LeNetError.format("not a PyTorch checkpoint: the zip archive has no data.pkl")
        }
        let prefix = String(pkl.dropLast("data.pkl".count))
        if let order = try? zip.data(prefix + "byteorder"), String(decoding: order, as: UTF8.self) != "little" {
            throw LeNetError.format("the checkpoint's tensors are big-endian; only little-endian is supported")
        }
        guard case .dict(let entries) = try RestrictedUnpickler.load(try zip.data(pkl), budget: budget) else {
            throw LeNetError.format("data.pkl does not hold a state_dict (a dictionary of tensors)")
        }
        var storages = [String: [UInt8]]()
        var result = [String: NamedTensor]()
        for (k, v) in entries {
            guard case .string(let name) = k else { throw LeNetError.format("a state_dict key is not a string") }
            guard case .tensor(let t) = v else { throw LeNetError.format("state_dict entry '\(name)' is not a tensor") }
            if storages[t.storageKey] == nil { storages[t.storageKey] = try zip.data(prefix + "data/" + t.storageKey) }
            result[name] = try tensor(t, storage: storages[t.storageKey]!, name: name, budget: budget)
        }
        return result
    }

    /// Gathers a strided view of a storage into a dense float array. Every size and index
    /// comes from the file, so all of the arithmetic on them is checked: a shape whose
    /// element count overflows, or strides that reach past the storage, are refused before
    /// anything is gathered.
    static func tensor(_ t: PickleValue.TensorReference, storage: [UInt8], name: String, budget: LoadBudget) throws -> NamedTensor {
        let elements = storage.count / t.dtype.size
        guard let count = checkedProduct(t.shape), count <= elements else {
            throw LeNetError.format("tensor '\(name)' \(t.shape) is larger than its storage")
        }
        var last = t.offset
        for (d, s) in zip(t.shape, t.stride) where d > 0 {
            let (step, o1) = (d - 1).multipliedReportingOverflow(by: s)
            let (sum, o2) = last.addingReportingOverflow(step)
            guard !o1, !o2 else { throw LeNetError.format("tensor '\(name)' has strides \(t.stride) that overflow") }
            last = sum
        }
        guard count == 0 || last < elements else {
            throw LeNetError.format("tensor '\(name)' reaches element \(last) of a storage of \(elements)")
        }
        try budget.charge(count, of: MemoryLayout<Float>.stride, "tensor '\(name)'")
        var values = [Float]()
        values.reserveCapacity(count)
        storage.withUnsafeBytes { raw in
            func element(_ i: Int) -> Float {
                switch t.dtype {
                case .float: return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                case .double: return Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                case .half: return Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                case .bfloat16:
                    return Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                }
            }
            // Row-major walk over the shape, offset by the strides.
            var index = [Int](repeating: 0, count: t.shape.count)
            for _ in 0..<count {
                var at = t.offset
                for (i, s) in zip(index, t.stride) { at += i * s }
                values.append(element(at))
                var d = t.shape.count - 1
                while d >= 0 {
                    index[d] += 1
                    if index[d] < t.shape[d] { break }
                    index[d] = 0
                    d -= 1
                }
            }
        }
        return NamedTensor(shape: t.shape, values: values)
    }
}
