#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads JSON Lines records (one JSON object per line) from one or more inputs in turn.
/// Blank lines are skipped; anything else that is not an object is an error with its line.
public final class JSONLReader {
    private var paths: [String?]
    private var current: LineReader?

    /// The name of the input being read (`<stdin>` for stdin).
    public var sourceName: String { current?.name ?? "<stdin>" }
    /// The line number of the record last returned.
    public var lineNumber: Int { current?.lineNumber ?? 0 }

    /// Called before a read that would wait for input (see `ByteSource.beforeWaiting`).
    public var beforeWaiting: (() throws -> Void)? {
        didSet { current?.source.beforeWaiting = beforeWaiting }
    }

    /// Reads the given paths in order; no paths means stdin. `-` is stdin.
    public init(paths: [String]) {
        self.paths = paths.isEmpty ? [nil] : paths.map { $0 == "-" ? nil : $0 }
    }

    /// Reads from an already open line reader.
    public init(reader: LineReader) {
        self.paths = []
        self.current = reader
    }

    /// The next record, or nil after the last input.
    public func next() throws -> JSONObject? {
        while true {
            if current == nil {
                if paths.isEmpty { return nil }
                current = try LineReader(path: paths.removeFirst())
                current!.source.beforeWaiting = beforeWaiting
            }
            let reader = current!
            let result: Result<JSONObject?, JBError>?
            do {
                result = try reader.withNextLine { line in
                    JSONLine.record(line, source: reader.name, number: reader.lineNumber)
                }
            } catch let e as JBError {
                throw e
            } catch {
                throw JBError.io(path: reader.name, reason: "\(error)")
            }
            guard let result else {
                current = nil
                if paths.isEmpty { return nil }
                continue
            }
            switch result {
            case .success(let o?): return o
            case .success(nil): continue
            case .failure(let e): throw e
            }
        }
    }

    /// Wraps a field error with this reader's position.
    public func error(_ message: String) -> JBError {
        .badRecord(source: sourceName, line: lineNumber, message: message)
    }
}

/// Writes compact JSON Lines to stdout or a file, buffered, one whole line per record.
public final class JSONLWriter {
    /// The name used in messages.
    public let name: String
    private let fd: Int32
    private let ownsFD: Bool
    private var buffer: [UInt8] = []
    /// Flush after every record (jb-query: a paid answer is on disk the moment it arrives).
    public var flushEachRecord: Bool
    /// True once a write failed because nothing reads the pipe any more (EPIPE, when
    /// SIGPIPE is ignored).
    public private(set) var readerGone = false
    private let capacity = 1 << 16

    /// Writes to stdout.
    public init(flushEachRecord: Bool = false) {
        name = JSONLWriter.stdoutName
        fd = 1
        ownsFD = false
        self.flushEachRecord = flushEachRecord
        buffer.reserveCapacity(capacity + 4096)
    }

    /// Writes to `path`, appending or truncating; `-` means stdout.
    public init(path: String, append: Bool, flushEachRecord: Bool = false) throws {
        self.flushEachRecord = flushEachRecord
        if path == "-" {
            name = JSONLWriter.stdoutName
            fd = 1
            ownsFD = false
        } else {
            name = path
            let flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
            let f = open(path, flags, 0o644)
            if f < 0 { throw JBError.cannotCreate(path: path, reason: ByteSource.errnoText()) }
            fd = f
            ownsFD = true
        }
        buffer.reserveCapacity(capacity + 4096)
    }

    /// What stdout is called in messages: `<stdout>`, or the file `jb run` connected it to
    /// (`JB_STDOUT_NAME`).
    public static let stdoutName: String = {
        guard let p = getenv("JB_STDOUT_NAME"), p.pointee != 0 else { return "<stdout>" }
        return String(cString: p)
    }()

    deinit {
        try? flush()
        if ownsFD { close(fd) }
    }

    /// Writes one record as one line.
    public func write(_ record: JSONObject) throws {
        JSONSerializer.writeObject(record, into: &buffer)
        buffer.append(0x0A)
        if flushEachRecord || buffer.count >= capacity { try flush() }
    }

    /// Writes one question record through its fast serialiser.
    public func write(_ question: Question) throws {
        question.writeJSON(into: &buffer)
        buffer.append(0x0A)
        if flushEachRecord || buffer.count >= capacity { try flush() }
    }

    /// Writes one pre-serialised line (without its newline).
    public func writeLine(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if flushEachRecord || buffer.count >= capacity { try flush() }
    }

    /// Writes bytes that already hold whole lines, each ending in a line break (a block of
    /// records serialised elsewhere, e.g. on other threads).
    public func writeLines(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if flushEachRecord || buffer.count >= capacity { try flush() }
    }

    /// Writes everything buffered to the file descriptor.
    public func flush() throws {
        if fd == 1 && !buffer.isEmpty {
            do {
                try StandardStreams.checkWritable(fd, name: name)
            } catch {
                buffer.removeAll(keepingCapacity: true)
                throw error
            }
        }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { b in
                Glibc.write(fd, b.baseAddress! + offset, b.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                if code == EPIPE { readerGone = true }
                let reason = ByteSource.errnoText(code) + StandardStreams.hint(code)
                buffer.removeAll(keepingCapacity: true)
                throw JBError.io(path: name, reason: reason)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Forces written data to stable storage (fsync), for files only.
    public func sync() throws {
        try flush()
        if ownsFD { _ = fsync(fd) }
    }
}
