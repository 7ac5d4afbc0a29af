import LeNetCore
import Testing

@Suite struct DataTests {
    @Test func vendoredMNISTHasTheStandardSizes() {
        #expect(mnistTrain.count == 60_000)
        #expect(mnistTest.count == 10_000)
        #expect(mnistTrain.images.count == 60_000 * 784)
        #expect(mnistTest.labels.prefix(5) == [7, 2, 1, 0, 4])
    }

    @Test func idxRoundTripsAndRejectsMalformedFiles() throws {
        let a = IDXArray(dimensions: [2, 3], bytes: [1, 2, 3, 4, 5, 6])
        #expect(try IDXArray(parsing: a.encoded()) == a)
        var bad = a.encoded()
        bad[2] = 0x0D  // float elements
        #expect(throws: LeNetError.self) { try IDXArray(parsing: bad) }
        #expect(throws: LeNetError.self) { try IDXArray(parsing: Array(a.encoded().dropLast())) }
        #expect(throws: LeNetError.self) { try IDXArray(parsing: [0, 0, 8]) }
        #expect(throws: LeNetError.self) { try IDXArray(parsing: [1, 0, 8, 1, 0, 0, 0, 0]) }
        // A dimension claiming 4 G elements in a tiny file.
        #expect(throws: LeNetError.self) { try IDXArray(parsing: [0, 0, 8, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) }
    }

    @Test func gzipErrorsAreReported() throws {
        let gz = try FileIO.read(mnistDirectory + "/t10k-labels-idx1-ubyte.gz")
        #expect(try IDXArray(parsing: gz).dimensions == [10_000])
        do {
            _ = try IDXArray(parsing: Array(gz.prefix(gz.count / 2)), name: "half.gz")
            Issue.record("a truncated gzip stream was accepted")
        } catch let LeNetError.dataset(message) {
            #expect(message.contains("half.gz"))
        }
        var corrupt = gz
        for i in 100..<200 { corrupt[i] ^= 0xFF }
        #expect(throws: LeNetError.self) { try IDXArray(parsing: corrupt) }
    }

    /// A gzip stream of stored (uncompressed) deflate blocks: what a header claims and what
    /// its data holds are set independently.
    func gzip(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var rest = data[...]
        repeat {
            let block = rest.prefix(65_535)
            rest = rest.dropFirst(block.count)
            let n = UInt16(block.count)
            out += [rest.isEmpty ? 1 : 0, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + block
        } while !rest.isEmpty
        let crc = CRC32.checksum(data), size = UInt32(truncatingIfNeeded: data.count)
        for v in [crc, size] { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        return out
    }

    @Test func aGzipHeadersClaimIsCheckedBeforeItsDataIsInflated() throws {
        let digits = (0..<(3 * 784)).map { UInt8(truncatingIfNeeded: $0) }
        func idx(count: UInt32) -> [UInt8] { [0, 0, 8, 3] + [count, 28, 28].flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } } }
        #expect(try IDXArray(parsing: gzip(idx(count: 3) + digits)).bytes == digits)
        // 13 million digits claimed: refused from the header, whatever follows (the limit of
        // 1 GiB was reached only by inflating that much before).
        do {
            _ = try IDXArray(parsing: gzip(idx(count: 13_000_000) + digits), name: "claims.gz")
            Issue.record("a claim above the limit was accepted")
        } catch let LeNetError.dataset(message) {
            #expect(message.contains("too large"), "\(message)")
        }
        // Under the limit but not what the stream holds: fewer bytes, or more.
        #expect(throws: LeNetError.self) { try IDXArray(parsing: gzip(idx(count: 4) + digits)) }
        #expect(throws: LeNetError.self) { try IDXArray(parsing: gzip(idx(count: 2) + digits)) }
        #expect(throws: LeNetError.self) { try IDXArray(parsing: gzip(idx(count: 3) + digits), limit: 784 * 2) }
    }

    @Test func mismatchedImageAndLabelFilesAreRejected() throws {
        let dir = temporaryPath("idx")
        try FileIO.makeDirectories(dir)
        let images = IDXArray(dimensions: [2, 28, 28], bytes: [UInt8](repeating: 0, count: 2 * 784))
        try FileIO.writeAtomically(dir + "/i", images.encoded())
        try FileIO.writeAtomically(dir + "/l", IDXArray(dimensions: [3], bytes: [1, 2, 3]).encoded())
        try FileIO.writeAtomically(dir + "/bad", IDXArray(dimensions: [2], bytes: [1, 12]).encoded())
        #expect(throws: LeNetError.self) { try DigitSet(imagesPath: dir + "/i", labelsPath: dir + "/l") }
        #expect(throws: LeNetError.self) { try DigitSet(imagesPath: dir + "/i", labelsPath: dir + "/bad") }
        #expect(throws: LeNetError.self) { try DigitSet(imagesPath: dir + "/missing", labelsPath: dir + "/l") }
        #expect(throws: LeNetError.self) { try DigitSet(imagesPath: dir, labelsPath: dir + "/l") }
        for f in ["i", "l", "bad"] { unlink(dir + "/" + f) }
        rmdir(dir)
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}

#if canImport(Glibc)
import Glibc
#endif
