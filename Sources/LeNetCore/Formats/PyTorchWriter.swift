/// Writes a state_dict the way `torch.save(model.state_dict(), path)` does: a zip archive
/// (entries stored, data 64-byte aligned) of `archive/data.pkl`, one `archive/data/<n>`
/// storage per tensor, `byteorder` and `version`. The pickle names only
/// `collections.OrderedDict`, `torch._utils._rebuild_tensor_v2` and `torch.FloatStorage`,
/// so `torch.load(path, weights_only=True)` accepts it.
package enum PyTorchWriter {
    static func write(_ tensors: [(name: String, tensor: NamedTensor)]) -> [UInt8] {
        var entries: [(String, [UInt8])] = [("archive/data.pkl", pickle(tensors))]
        for (i, (_, t)) in tensors.enumerated() {
            var b = [UInt8]()
            b.reserveCapacity(t.values.count * 4)
            for v in t.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { b += $0 } }
            entries.append(("archive/data/\(i)", b))
        }
        entries.append(("archive/byteorder", Array("little".utf8)))
        entries.append(("archive/version", Array("3\n".utf8)))
        return zip(entries)
    }

    static func pickle(_ tensors: [(name: String, tensor: NamedTensor)]) -> [UInt8] {
        var p: [UInt8] = [0x80, 0x02]  // PROTO 2
        func global(_ module: String, _ name: String) { p.append(0x63); p += Array("\(module)\n\(name)\n".utf8) }
        func string(_ s: String) {
            let b = Array(s.utf8)
            p.append(0x58)  // BINUNICODE
            withUnsafeBytes(of: UInt32(b.count).littleEndian) { p += $0 }
            p += b
        }
        func int(_ v: Int) {
            if v >= 0 && v < 256 {
                p += [0x4B, UInt8(v)]  // BININT1
            } else if v >= 0 && v < 65536 {
                p += [0x4D, UInt8(v & 0xFF), UInt8(v >> 8)]  // BININT2
            } else {
                p.append(0x4A)  // BININT
                withUnsafeBytes(of: Int32(v).littleEndian) { p += $0 }
            }
        }
        func tuple(_ values: [Int]) { p.append(0x28); values.forEach(int); p.append(0x74) }
        func emptyOrderedDict() { global("collections", "OrderedDict"); p += [0x29, 0x52] }  // EMPTY_TUPLE REDUCE

        emptyOrderedDict()
        p.append(0x28)  // MARK
        for (i, (name, t)) in tensors.enumerated() {
            string(name)
            global("torch._utils", "_rebuild_tensor_v2")
            p.append(0x28)  // MARK (arguments)
            p.append(0x28)  // MARK (persistent id)
            string("storage"); global("torch", "FloatStorage"); string("\(i)"); string("cpu"); int(t.values.count)
            p += [0x74, 0x51]  // TUPLE BINPERSID
            int(0)
            tuple(t.shape)
            var strides = [Int](repeating: 1, count: t.shape.count)
            for d in stride(from: t.shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * t.shape[d + 1] }
            tuple(strides)
            p.append(0x89)  // NEWFALSE (requires_grad)
            emptyOrderedDict()  // backward hooks
            p += [0x74, 0x52]  // TUPLE REDUCE
        }
        p += [0x75, 0x2E]  // SETITEMS STOP
        return p
    }

    package static func zip(_ entries: [(String, [UInt8])]) -> [UInt8] {
        var out = [UInt8](), directory = [UInt8]()
        func u16(_ v: Int, _ b: inout [UInt8]) { b += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: UInt32, _ b: inout [UInt8]) { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
        for (name, data) in entries {
            let nameBytes = Array(name.utf8), crc = CRC32.checksum(data), offset = out.count
            // Pad with an extra field so the data starts on a 64-byte boundary, as torch does.
            let headerEnd = offset + 30 + nameBytes.count + 4
            let padding = (64 - headerEnd % 64) % 64
            out += [0x50, 0x4B, 0x03, 0x04]
            u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out)
            u16(nameBytes.count, &out); u16(4 + padding, &out)
            out += nameBytes
            u16(0x4246, &out); u16(padding, &out)  // "FB": the padding torch itself writes
            out += [UInt8](repeating: 0x5A, count: padding)
            out += data
            directory += [0x50, 0x4B, 0x01, 0x02]
            u16(20, &directory); u16(20, &directory); u16(0, &directory); u16(0, &directory); u16(0, &directory); u16(0x21, &directory)
            u32(crc, &directory); u32(UInt32(data.count), &directory); u32(UInt32(data.count), &directory)
            u16(nameBytes.count, &directory); u16(0, &directory); u16(0, &directory); u16(0, &directory); u16(0, &directory)
            u32(0, &directory); u32(UInt32(offset), &directory)
            directory += nameBytes
        }
        let directoryOffset = out.count
        out += directory
        out += [0x50, 0x4B, 0x05, 0x06]
        u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(directory.count), &out); u32(UInt32(directoryOffset), &out); u16(0, &out)
        return out
    }
}
