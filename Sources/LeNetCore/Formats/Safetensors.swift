/// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
/// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}),
/// then the data. Read by its rules: header within bounds, offsets inside the data, and the
/// tensors covering the data exactly, with no overlap and no gap.
package enum Safetensors {
    package static let maxHeaderSize = 100 << 20

    package static func looksLikeSafetensors(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 9 else { return false }
        let n = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return n >= 2 && n <= UInt64(maxHeaderSize) && bytes[8] == UInt8(ascii: "{")
    }

    package static func read(_ bytes: [UInt8], limits: LoadLimits = .default) throws -> (tensors: [String: NamedTensor], metadata: [(key: String, value: String)]) {
        let budget = LoadBudget(limits)
        guard bytes.count >= 8 else { throw LeNetError.format("safetensors file is truncated (\(bytes.count) bytes)") }
        let n = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard n <= UInt64(maxHeaderSize) else { throw LeNetError.format("safetensors header claims \(n) bytes (limit \(maxHeaderSize))") }
        guard n <= UInt64(bytes.count - 8) else {
            throw LeNetError.format("safetensors file is truncated: the header needs \(n) bytes, \(bytes.count - 8) remain")
        }
        let dataStart = 8 + Int(n)
        guard case .object(let members) = try JSON.parse(bytes[8..<dataStart], budget: budget) else {
            throw LeNetError.format("safetensors header is not a JSON object")
        }
        var tensors = [String: NamedTensor](), metadata = [(key: String, value: String)](), spans = [(Int, Int, String)]()
        let dataSize = bytes.count - dataStart
        for (name, v) in members {
            if name == "__metadata__" {
                guard case .object(let m) = v else { throw LeNetError.format("__metadata__ is not an object") }
                for (k, value) in m {
                    guard case .string(let s) = value else { throw LeNetError.format("__metadata__['\(k)'] is not a string") }
                    metadata.append((k, s))
                }
                continue
            }
            guard case .object(let fields) = v,
                  case .string(let dtype)? = fields.first(where: { $0.0 == "dtype" })?.1,
                  case .array(let shapeJSON)? = fields.first(where: { $0.0 == "shape" })?.1,
                  case .array(let offsetsJSON)? = fields.first(where: { $0.0 == "data_offsets" })?.1, offsetsJSON.count == 2
            else { throw LeNetError.format("tensor '\(name)' lacks dtype, shape or data_offsets") }
            func int(_ j: JSON) throws -> Int {
                guard case .number(let d) = j, d >= 0, d == d.rounded(), d <= Double(Int32.max) * 1024 else {
                    throw LeNetError.format("tensor '\(name)' has a size or offset that is not a non-negative integer")
                }
                return Int(d)
            }
            let shape = try shapeJSON.map(int)
            let begin = try int(offsetsJSON[0]), end = try int(offsetsJSON[1])
            guard begin <= end, end <= dataSize else {
                throw LeNetError.format("tensor '\(name)' data [\(begin), \(end)) lies outside the \(dataSize)-byte data section")
            }
            let size: Int
            switch dtype {
            case "F32": size = 4
            case "F64": size = 8
            case "F16", "BF16": size = 2
            default: throw LeNetError.format("tensor '\(name)' has dtype \(dtype); F32, F64, F16 and BF16 are supported")
            }
            // The shape comes from the file: its product is computed with overflow checks.
            guard shape.count <= 8, let count = checkedProduct(shape), count <= dataSize else {
                throw LeNetError.format("tensor '\(name)' shape \(shape) is larger than the file")
            }
            try budget.charge(count, of: MemoryLayout<Float>.stride, "tensor '\(name)'")
            guard end - begin == count * size else {
                throw LeNetError.format("tensor '\(name)' has \(end - begin) bytes; \(dtype) \(shape) needs \(count * size)")
            }
            spans.append((begin, end, name))
            let raw = Array(bytes[(dataStart + begin)..<(dataStart + end)])
            let values: [Float] = raw.withUnsafeBytes { r in
                (0..<count).map { i in
                    switch dtype {
                    case "F32": return Float(bitPattern: UInt32(littleEndian: r.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    case "F64": return Float(Double(bitPattern: UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                    case "F16": return Float(Float16(bitPattern: UInt16(littleEndian: r.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                    default: return Float(bitPattern: UInt32(UInt16(littleEndian: r.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                    }
                }
            }
            guard tensors.updateValue(NamedTensor(shape: shape, values: values), forKey: name) == nil else {
                throw LeNetError.format("tensor '\(name)' appears twice")
            }
        }
        spans.sort { $0.0 < $1.0 }
        var covered = 0
        for (begin, end, name) in spans {
            guard begin == covered else {
                throw LeNetError.format(begin < covered ? "tensor '\(name)' overlaps another" : "bytes \(covered)..<\(begin) belong to no tensor")
            }
            covered = end
        }
        guard covered == dataSize else { throw LeNetError.format("bytes \(covered)..<\(dataSize) at the end belong to no tensor") }
        return (tensors, metadata)
    }

    /// F32 tensors in the given order, `metadata` under `__metadata__`, the header padded
    /// with spaces to a multiple of 8 bytes.
    package static func write(_ tensors: [(name: String, tensor: NamedTensor)], metadata: [(key: String, value: String)]) -> [UInt8] {
        var members = [(String, JSON)](), offset = 0
        if !metadata.isEmpty { members.append(("__metadata__", .object(metadata.map { ($0.key, .string($0.value)) }))) }
        for (name, t) in tensors {
            let bytes = t.values.count * 4
            members.append((name, .object([
                ("dtype", .string("F32")), ("shape", .array(t.shape.map { .number(Double($0)) })),
                ("data_offsets", .array([.number(Double(offset)), .number(Double(offset + bytes))])),
            ])))
            offset += bytes
        }
        var header = Array(JSON.object(members).serialized.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out = [UInt8]()
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out += $0 }
        out += header
        for (_, t) in tensors { for v in t.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } } }
        return out
    }
}
