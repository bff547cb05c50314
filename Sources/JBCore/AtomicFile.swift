import Foundation

/// Writes a file all at once: the bytes go to a temporary file in the same folder, which is
/// synced and then renamed over the target, so a reader sees the old file or the new one,
/// never half of one. The one atomic write: jb-report's `-o`, jb-query's resume repair,
/// jb-models' catalogue cache and `jb run`'s run.json all use it.
public enum AtomicFile {
    /// Replaces `path` with `text`.
    public static func write(_ text: String, to path: String) throws {
        try write(bytes: Array(text.utf8), to: path)
    }

    /// Replaces `path` with `bytes`. The folder must exist (`cannotCreate … no such
    /// directory`); a failed write (a full disk among them) leaves the old file as it was.
    public static func write(bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw JBError.cannotCreate(path: path, reason: "no such directory")
        }
        let temp = dir + "/.\(url.lastPathComponent).\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0o644)
        guard fd >= 0 else { throw JBError.cannotCreate(path: path, reason: ByteSource.errnoText()) }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { b in Foundation.write(fd, b.baseAddress! + offset, b.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                throw JBError.io(path: path, reason: ByteSource.errnoText(code) + StandardStreams.hint(code))
            }
            offset += n
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            throw JBError.io(path: path, reason: ByteSource.errnoText(code) + StandardStreams.hint(code))
        }
        if close(fd) != 0 {
            throw JBError.io(path: path, reason: ByteSource.errnoText())
        }
        guard rename(temp, path) == 0 else {
            throw JBError.cannotCreate(path: path, reason: ByteSource.errnoText())
        }
        ok = true
    }
}
