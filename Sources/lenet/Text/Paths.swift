#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import LeNetCore

/// Path names and folders, as the CLI needs them (what Foundation's NSString and
/// FileManager gave): components split at "/", extensions of the last one only.
enum Paths {
    /// `a/b/c.png` -> `c.png`; trailing slashes do not count.
    static func lastComponent(_ path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.reversed().drop { $0 == "/" }.reversed()) : path
        guard let slash = trimmed.lastIndex(of: "/"), trimmed != "/" else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `runs/a.jsonl` -> `runs/a`; a name that starts with its only dot has no extension.
    static func deletingExtension(_ path: String) -> String {
        let name = lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex, !path.hasSuffix("/") else { return path }
        return String(path.dropLast(name.distance(from: dot, to: name.endIndex)))
    }

    static func appending(_ folder: String, _ name: String) -> String {
        folder.isEmpty ? name : folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// The names in `folder` (no "." or ".."), or nil if it cannot be listed.
    static func entries(_ folder: String) -> [String]? {
        guard !folder.utf8.contains(0), let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        var names = [String]()
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Up to `limit` bytes of a stream (standard input, /proc files), until its end.
    static func readStream(_ fd: Int32, limit: Int) -> [UInt8] {
        var bytes = [UInt8](), chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, limit - bytes.count)) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            bytes += chunk.prefix(n)
        }
        return bytes
    }
}
