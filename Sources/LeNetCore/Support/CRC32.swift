import CZlib

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of zlib and PNG,
/// so `python -c "import zlib; zlib.crc32(...)"` can check a checkpoint by hand. Computed
/// by zlib's `crc32_z`, which is several times faster than a byte-wise table.
package enum CRC32 {
    package static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return seed }
        return UInt32(crc32_z(uLong(seed), base.assumingMemoryBound(to: Bytef.self), bytes.count))
    }

    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
