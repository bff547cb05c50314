import Foundation
import JBCore

/// Writes a file all at once: the text goes to a temporary file in the same directory,
/// which is synced and then renamed over the target, so readers never see half a report.
public enum AtomicFile {
    /// Replaces `path` with `text`.
    public static func write(_ text: String, to path: String) throws {
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
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { b in Foundation.write(fd, b.baseAddress! + offset, b.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = ByteSource.errnoText()
                close(fd)
                throw JBError.io(path: path, reason: reason)
            }
            offset += n
        }
        bytes.removeAll()
        if fsync(fd) != 0 || close(fd) != 0 {
            throw JBError.io(path: path, reason: ByteSource.errnoText())
        }
        guard rename(temp, path) == 0 else {
            throw JBError.cannotCreate(path: path, reason: ByteSource.errnoText())
        }
        ok = true
    }
}
