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

    /// A path is exact: a Swift string may hold a NUL byte, which the C library would take
    /// as its end, opening another file than the one named (and the extension that chooses
    /// a save's format would not be the file's). Refused, as Python's open() does.
    package static func checkPath(_ path: String) throws {
        guard !path.utf8.contains(0) else {
            throw LeNetError.invalidArgument("the path '\(path)' holds a NUL byte")
        }
    }

    /// Reads a whole regular file. `limit` bounds the allocation: a larger file is refused
    /// before anything is read.
    package static func read(_ path: String, limit: Int = 1 << 31) throws -> [UInt8] {
        try checkPath(path)
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
    /// one, never a part: write a temporary file beside it (`path.tmp-PID`), fsync, rename,
    /// fsync the directory. Temporary files that a killed writer left for the same path are
    /// removed first.
    package static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws {
        try checkPath(path)
        removeAbandonedTemporaries(of: path)
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw errnoMessage("cannot create", tmp) }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        do {
            defer { close(fd) }
            guard bytes.withUnsafeBytes({ writeAll(fd, $0) }) else { throw errnoMessage("cannot write", tmp) }
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

    /// Writes all of `bytes` to `fd`, past short writes and interruptions; false on an error
    /// (errno tells which).
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            done += n
        }
        return true
    }

    /// Up to `limit` bytes of a stream (standard input, a /proc file: no size to trust), until
    /// its end or an error.
    package static func readStream(_ fd: Int32, limit: Int) -> [UInt8] {
        var bytes = [UInt8](), chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, min($0.count, limit - bytes.count)) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            bytes += chunk.prefix(n)
        }
        return bytes
    }

    /// Deletes `path.tmp-PID` files whose process is gone: what a save interrupted by
    /// kill -9 or a power cut leaves behind. A live process's file is left alone.
    static func removeAbandonedTemporaries(of path: String) {
        let dir = directory(of: path)
        let prefix = String(path.split(separator: "/").last ?? "") + ".tmp-"
        guard !prefix.hasPrefix(".tmp-"), let d = opendir(dir) else { return }
        defer { closedir(d) }
        while let entry = readdir(d) {
            // In place: a dirent record can be shorter than the struct, so d_name must not be copied whole.
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 1) { String(cString: $0) }
            }
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count)), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir + "/" + name) }
        }
    }

    /// Checks that `path` can be written, before work whose result goes there: creates its
    /// directory, then writes and removes a temporary file of `size` bytes beside it (so a
    /// full disk shows now, not after the work). An existing file at `path` is not touched.
    package static func checkWritable(_ path: String, size: Int) throws {
        try checkPath(path)
        try makeDirectories(directory(of: path))
        removeAbandonedTemporaries(of: path)
        let probe = path + ".tmp-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw errnoMessage("cannot write to", probe) }
        defer {
            close(fd)
            unlink(probe)
        }
        let chunk = [UInt8](repeating: 0, count: 1 << 16)
        var done = 0
        while done < size {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress!, min($0.count, size - done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw errnoMessage("cannot write to", probe)
            }
            done += n
        }
        guard fsync(fd) == 0 else { throw errnoMessage("cannot write to", probe) }
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    package static func makeDirectories(_ path: String) throws {
        try checkPath(path)
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

    package static func exists(_ path: String) -> Bool { !path.utf8.contains(0) && access(path, F_OK) == 0 }
}
