import Foundation
import JBCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting child processes with exactly the file descriptors we choose, in a process group
/// of their own (so jb decides which signals reach them), through `posix_spawn`.
enum Spawn {
    /// A pipe whose ends are closed on exec (each child gets only what `dup2` gives it).
    static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        // pipe2 is not exported to Swift on glibc; jb starts children from one thread only,
        // so setting close-on-exec right after is enough.
        #if canImport(Glibc)
        let rc = Glibc.pipe(&fds)
        #else
        let rc = Darwin.pipe(&fds)
        #endif
        if rc == 0 {
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        guard rc == 0 else { throw JBError.io(path: "<pipe>", reason: String(cString: strerror(errno))) }
        return (fds[0], fds[1])
    }

    /// Opens a file for reading, close-on-exec.
    static func openRead(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw JBError.cannotOpen(path: path, reason: String(cString: strerror(errno)).lowercased()) }
        return fd
    }

    /// Opens (creating) a file for writing, truncating or appending, close-on-exec.
    static func openWrite(_ path: String, append: Bool = false) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0o644)
        guard fd >= 0 else { throw JBError.cannotCreate(path: path, reason: String(cString: strerror(errno)).lowercased()) }
        return fd
    }

    /// Starts `path` with `arguments` (program name first), its stdin, stdout and stderr on the
    /// given descriptors, in process group `group` (0: a new group led by the child).
    static func start(path: String, arguments: [String], environment: [String: String],
                      stdin: Int32, stdout: Int32, stderr: Int32, group: pid_t) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setpgroup(&attr, group)
        // jb ignores SIGPIPE and handles SIGINT/SIGTERM itself; the children get the defaults.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
        guard rc == 0 else {
            throw JBError.cannotOpen(path: path, reason: "cannot start: " + String(cString: strerror(rc)).lowercased())
        }
        return pid
    }

    /// Waits for `pid` and returns its exit status, or 128 + the signal that killed it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 70 }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out (they are macros in C).
        let low = status & 0x7f
        if low == 0 { return (status >> 8) & 0xff }
        return 128 + low
    }

    /// Writes all of `bytes` to `fd`; false when the reader has gone (EPIPE) or on error.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            off += n
        }
        return true
    }
}
