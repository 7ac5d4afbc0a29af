#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
}
