#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// File access through the C library, wrapped once here so the engine needs no Foundation.
package enum FileIO {
    static func errnoMessage(_ what: String, _ path: String) -> LeNetError {
        .io("\(what) '\(path)': \(String(cString: strerror(errno)))")
    }

    /// Reads a whole regular file. `limit` bounds the allocation: a larger file is refused
    /// before anything is read.
    package static func read(_ path: String, limit: Int = 1 << 31) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw errnoMessage("cannot open", path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw errnoMessage("cannot stat", path) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw LeNetError.io("cannot read '\(path)': not a regular file")
        }
        let size = Int(st.st_size)
        guard size <= limit else {
            throw LeNetError.io("cannot read '\(path)': \(size) bytes exceeds the limit of \(limit)")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        try bytes.withUnsafeMutableBytes { buf in
            while done < size {
                let n = Glibc.read(fd, buf.baseAddress! + done, size - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw errnoMessage("cannot read", path)
                }
                if n == 0 { break }
                done += n
            }
        }
        guard done == size else { throw LeNetError.io("cannot read '\(path)': file shrank while reading") }
        return bytes
    }

    /// Writes `bytes` to `path` so that `path` holds either its old content or the whole new
    /// one, never a part: write a temporary file beside it, fsync, rename, fsync the directory.
    package static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw errnoMessage("cannot create", tmp) }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        do {
            defer { close(fd) }
            var done = 0
            try bytes.withUnsafeBytes { buf in
                while done < buf.count {
                    let n = write(fd, buf.baseAddress! + done, buf.count - done)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw errnoMessage("cannot write", tmp)
                    }
                    done += n
                }
            }
            guard fsync(fd) == 0 else { throw errnoMessage("cannot sync", tmp) }
        }
        guard rename(tmp, path) == 0 else { throw errnoMessage("cannot rename \(tmp) to", path) }
        ok = true
        let dir = directory(of: path)
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    package static func makeDirectories(_ path: String) throws {
        guard !path.isEmpty else { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw errnoMessage("cannot create directory", prefix)
            }
            prefix += "/"
        }
    }

    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    package static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
