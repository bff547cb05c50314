#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place text reaches stdout outside the record writers: scripts, folder names,
/// `--print-config`, estimates. Every byte passes the secret redactor first, and a closed or
/// full stdout is an error (or, for a reader that went away, the quiet end of a filter),
/// never a crash.
public enum StandardOutput {
    /// Writes `text`, redacted, to stdout.
    ///
    /// A reader that went away (EPIPE) ends the process the way SIGPIPE ends any filter
    /// (`jb run … | true`); any other failure (a closed descriptor, a full disk) is
    /// `JBError.io` naming `<stdout>` and the reason.
    public static func write(_ text: String, redactor: Redactor = .shared) throws {
        var bytes = Array(redactor.redact(text).utf8)
        try write(fd: 1, bytes: &bytes, name: "<stdout>")
    }

    /// Writes all of `bytes` to `fd`; a failure is `JBError.io` naming `name`, with the reason
    /// and what to do.
    public static func write(fd: Int32, bytes: inout [UInt8], name: String) throws {
        try StandardStreams.checkWritable(fd, name: name)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { b in
                #if canImport(Glibc)
                Glibc.write(fd, b.baseAddress! + offset, b.count - offset)
                #else
                Darwin.write(fd, b.baseAddress! + offset, b.count - offset)
                #endif
            }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                if code == EPIPE {
                    signal(SIGPIPE, SIG_DFL)
                    raise(SIGPIPE)
                }
                throw JBError.io(path: name, reason: ByteSource.errnoText(code) + StandardStreams.hint(code))
            }
            offset += n
        }
    }
}

/// Guards the three standard descriptors of a tool.
public enum StandardStreams {
    /// A descriptor 0, 1 or 2 the caller closed (`>&-`, `<&-`) is reopened on `/dev/null`
    /// in the direction that fails: so no file the tool opens later can take its number
    /// (records meant for stdout would go into that file), and writing to a closed stdout
    /// is an ordinary "bad file descriptor" error instead of silent loss.
    public static func reopenClosed() {
        _ = stdoutTaken
        _ = stdinTaken
        for fd: Int32 in [0, 1, 2] where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            // stdin: open for writing, so reads fail; stdout/stderr: open for reading, so
            // writes fail.
            let f = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY)
            if f >= 0 && f != fd {
                _ = dup2(f, fd)
                close(f)
            }
        }
    }

    /// True when descriptor 1 was closed by the caller and the Swift runtime reused the number
    /// for one of its own (an eventfd or epoll instance) before `main` ran, as happens to the
    /// async tools: writing records there would be an error at best, so it counts as closed.
    public static let stdoutTaken: Bool = isRuntimeDescriptor(1)

    /// The same for descriptor 0: reading the runtime's eventfd could block for ever.
    public static let stdinTaken: Bool = isRuntimeDescriptor(0)

    static func isRuntimeDescriptor(_ fd: Int32) -> Bool {
        var buffer = [CChar](repeating: 0, count: 256)
        let n = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard n > 0 else { return false }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self).hasPrefix("anon_inode:")
    }

    /// Throws the closed-output error for descriptor 1 when `stdoutTaken`.
    public static func checkWritable(_ fd: Int32, name: String) throws {
        if fd == 1 && stdoutTaken {
            throw JBError.io(path: name, reason: ByteSource.errnoText(EBADF) + hint(EBADF))
        }
    }

    /// What to do about a failed write with `errno` `code`: " (free some space …)" for a
    /// full disk, " (stdout was closed …)" for a closed descriptor.
    public static func hint(_ code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT: return " (free some disk space, then run again)"
        case EBADF: return " (the output was closed: give an output such as '> FILE' or '-o FILE')"
        default: return ""
        }
    }
}
