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

extension AtomicFile {
    /// A file too large to hold whole, written line by line to `FILE.partial` and renamed over
    /// FILE by `commit()`; `discard()` (say, in a `defer`) removes it when the run failed, so a
    /// failed run never leaves a half-written or emptied file (jb-sample's few-shot pool).
    public final class Staged {
        /// The file it becomes.
        public let path: String
        /// Where the lines go until `commit()`.
        public let partial: String
        /// The writer of the lines.
        public let writer: JSONLWriter
        private var committed = false

        /// Starts `path + ".partial"` afresh.
        public init(path: String) throws {
            self.path = path
            partial = path + ".partial"
            do {
                writer = try JSONLWriter(path: partial, append: false)
            } catch JBError.cannotCreate(_, let reason) {
                throw JBError.cannotCreate(path: path, reason: reason)
            }
        }

        /// Flushes the lines and renames the partial file over `path`.
        public func commit() throws {
            try writer.flush()
            guard rename(partial, path) == 0 else {
                throw JBError.cannotCreate(path: path, reason: ByteSource.errnoText())
            }
            committed = true
        }

        /// Removes the partial file unless it was committed.
        public func discard() {
            if !committed { unlink(partial) }
        }
    }
}
