/// The exit statuses of every jb tool, sysexits style. The README lists them in one table.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Success.
    case ok = 0
    /// The tool ran, but its verdict is negative (e.g. `--strict` with rejects, a failed check).
    case failed = 1
    /// Bad command line or configuration value.
    case usage = 64
    /// A bad input record or row.
    case dataError = 65
    /// An input file cannot be opened.
    case noInput = 66
    /// A remote service is unavailable or refused the request (network, HTTP error, credentials).
    case unavailable = 69
    /// An internal error: a bug in jb.
    case software = 70
    /// An output file cannot be created.
    case cannotCreate = 73
    /// A read or write failed part way.
    case ioError = 74
    /// Permission denied (bad credentials, no credits).
    case noPermission = 77
    /// A bad pipeline or configuration file.
    case config = 78
    /// Interrupted by SIGINT/SIGTERM after a clean shutdown.
    case interrupted = 130
}

/// Everything that can go wrong in jb, each case with its context. The text is a lowercase
/// phrase; JBCLI adds the tool name and the `file:line:` prefix.
public enum JBError: Error, Equatable, Sendable {
    /// A bad command-line or configuration value.
    case usage(String)
    /// A record or row that cannot be read; `line` is 1-based.
    case badRecord(source: String, line: Int, message: String)
    /// An input that cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// An output that cannot be created or replaced.
    case cannotCreate(path: String, reason: String)
    /// A read or write that failed part way.
    case io(path: String, reason: String)
    /// A bad pipeline or configuration file; `line`/`column` are 1-based, 0 when unknown.
    case badConfig(path: String, line: Int, column: Int, message: String)
    /// A remote service failed or could not be reached.
    case unavailable(String)
    /// The remote service refused our credentials or account.
    case noPermission(String)
    /// The tool ran and its verdict is negative.
    case failed(String)
    /// The run was interrupted and shut down cleanly.
    case interrupted(String)
    /// A bug: something jb believed impossible.
    case `internal`(String)
    /// The server's TLS certificate is not trusted: asking again cannot help. (Last, so the
    /// cases before it keep their places.)
    case untrusted(String)

    /// The exit status this error maps to.
    public var status: ExitStatus {
        switch self {
        case .usage: return .usage
        case .badRecord: return .dataError
        case .cannotOpen: return .noInput
        case .cannotCreate: return .cannotCreate
        case .io: return .ioError
        case .badConfig: return .config
        case .unavailable, .untrusted: return .unavailable
        case .noPermission: return .noPermission
        case .failed: return .failed
        case .interrupted: return .interrupted
        case .internal: return .software
        }
    }

    /// The location prefix (`file:line:` or `file:line:column:`), or nil.
    public var location: String? {
        switch self {
        case .badRecord(let source, let line, _):
            return line > 0 ? "\(source):\(line)" : source
        case .cannotOpen(let path, _), .cannotCreate(let path, _), .io(let path, _):
            return path
        case .badConfig(let path, let line, let column, _):
            if line > 0 && column > 0 { return "\(path):\(line):\(column)" }
            if line > 0 { return "\(path):\(line)" }
            return path
        default:
            return nil
        }
    }

    /// The message without location.
    public var message: String {
        switch self {
        case .usage(let m), .unavailable(let m), .noPermission(let m), .untrusted(let m), .failed(let m),
             .interrupted(let m), .internal(let m):
            return m
        case .badRecord(_, _, let m), .badConfig(_, _, _, let m):
            return m
        case .cannotOpen(_, let r): return "cannot open: \(r)"
        case .cannotCreate(_, let r): return "cannot create: \(r)"
        case .io(_, let r): return "i/o error: \(r)"
        }
    }
}

extension JBError: CustomStringConvertible {
    /// `location: message`, as printed after `jb-tool: `.
    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
