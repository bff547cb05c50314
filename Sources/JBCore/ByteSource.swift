import CJBZlib

#if canImport(Glibc)
import Glibc
private func sysRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { Glibc.read(fd, p, n) }
#elseif canImport(Darwin)
import Darwin
private func sysRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { Darwin.read(fd, p, n) }
#endif

/// A stream of bytes from a file or stdin, transparently gunzipped when the data starts
/// with the gzip magic number (so `.gz` files and `zcat`-less pipes both work).
public final class ByteSource {
    /// The name used in messages: the path, or `<stdin>`.
    public let name: String
    private let fd: Int32
    private let ownsFD: Bool
    private var raw: [UInt8]
    private var rawStart = 0
    private var rawEnd = 0
    private var rawEOF = false
    private var sniffed = false
    private var inflater: Inflater?
    /// Called just before a read that would wait for more input (a pipe or terminal with
    /// nothing ready yet). A filter flushes its output here: when input trickles in, each
    /// record reaches the next stage as soon as it is made, and a fast stream is still
    /// written in large blocks.
    public var beforeWaiting: (() throws -> Void)?
    /// True when the input is not a regular file (a pipe, socket or terminal), so reading
    /// it can wait for a writer.
    public private(set) lazy var isStream: Bool = {
        var st = stat()
        return fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG
    }()

    /// Opens `path`, or stdin for nil or `-`.
    public init(path: String?) throws {
        if path == nil || path == "-" {
            if StandardStreams.stdinTaken {
                throw JBError.cannotOpen(path: "<stdin>", reason: "stdin was closed (give an input file, or '< FILE')")
            }
            name = "<stdin>"
            fd = 0
            ownsFD = false
        } else {
            let p = path!
            name = p
            let f = open(p, O_RDONLY)
            if f < 0 { throw JBError.cannotOpen(path: p, reason: ByteSource.errnoText()) }
            var st = stat()
            if fstat(f, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                close(f)
                throw JBError.cannotOpen(path: p, reason: "is a directory")
            }
            fd = f
            ownsFD = true
        }
        raw = [UInt8](repeating: 0, count: 1 << 17)
    }

    deinit {
        if ownsFD { close(fd) }
        inflater?.end()
    }

    /// The text of the current `errno`.
    public static func errnoText() -> String {
        String(cString: strerror(errno)).lowercased()
    }

    /// The text of `errno` value `code`, lower case.
    public static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }

    /// True when the input was gzip-compressed (known after the first read).
    public var isGzip: Bool { inflater != nil }

    /// Runs `beforeWaiting` when the next read would block.
    private func aboutToRead() throws {
        guard let beforeWaiting, isStream else { return }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&p, 1, 0) == 0 { try beforeWaiting() }
    }

    private func fillRaw() throws {
        if rawStart > 0 && rawStart == rawEnd { rawStart = 0; rawEnd = 0 }
        guard !rawEOF, rawEnd < raw.count else { return }
        try aboutToRead()
        let offset = rawEnd, fd = fd
        let n = raw.withUnsafeMutableBytes { p in
            sysRead(fd, p.baseAddress! + offset, p.count - offset)
        }
        if n < 0 {
            if errno == EINTR { return }
            throw JBError.io(path: name, reason: ByteSource.errnoText())
        }
        if n == 0 { rawEOF = true } else { rawEnd += n }
    }

    /// Reads up to `count` bytes into `buffer` at `offset`; returns 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !sniffed {
            while rawEnd < 2 && !rawEOF { try fillRaw() }
            sniffed = true
            if rawEnd >= 2 && raw[0] == 0x1F && raw[1] == 0x8B {
                inflater = try Inflater(name: name)
            }
        }
        if let inflater {
            while true {
                if rawStart == rawEnd {
                    if rawEOF { return try inflater.finish(into: buffer, name: name) }
                    try fillRaw()
                    continue
                }
                let (consumed, produced) = try raw.withUnsafeBufferPointer { (r) throws in
                    try inflater.inflate(UnsafeBufferPointer(rebasing: r[rawStart..<rawEnd]), into: buffer)
                }
                rawStart += consumed
                if produced > 0 { return produced }
                if consumed == 0 && rawEOF { return try inflater.finish(into: buffer, name: name) }
            }
        }
        if rawStart == rawEnd {
            if rawEOF { return 0 }
            rawStart = 0
            rawEnd = 0
            try aboutToRead()
            let n = sysRead(fd, buffer.baseAddress!, buffer.count)
            if n < 0 {
                if errno == EINTR { return try read(into: buffer) }
                throw JBError.io(path: name, reason: ByteSource.errnoText())
            }
            if n == 0 { rawEOF = true }
            return n
        }
        let n = min(buffer.count, rawEnd - rawStart)
        raw.withUnsafeBytes { r in
            buffer.baseAddress!.copyMemory(from: r.baseAddress! + rawStart, byteCount: n)
        }
        rawStart += n
        return n
    }
}

/// A zlib inflate stream for gzip data, including files made of several gzip members.
final class Inflater {
    private var stream = z_stream()
    private var atMemberEnd = false
    private var sawData = false
    private let name: String

    init(name: String) throws {
        self.name = name
        let rc = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK { throw JBError.io(path: name, reason: "cannot start gzip decoder") }
    }

    func end() { inflateEnd(&stream) }

    /// Inflates from `input`; returns (bytes consumed, bytes produced).
    func inflate(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableRawBufferPointer) throws -> (Int, Int) {
        if atMemberEnd {
            // Another gzip member follows (concatenated .gz files).
            inflateReset(&stream)
            atMemberEnd = false
        }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = UInt32(input.count)
        stream.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = UInt32(output.count)
        let rc = CJBZlib.inflate(&stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.avail_in)
        let produced = output.count - Int(stream.avail_out)
        if produced > 0 || consumed > 0 { sawData = true }
        switch rc {
        case Z_OK, Z_BUF_ERROR: break
        case Z_STREAM_END: atMemberEnd = true
        default:
            let msg = stream.msg.map { String(cString: $0) } ?? "code \(rc)"
            throw JBError.io(path: name, reason: "corrupt gzip data (\(msg))")
        }
        return (consumed, produced)
    }

    /// Called at the end of the compressed input.
    func finish(into output: UnsafeMutableRawBufferPointer, name: String) throws -> Int {
        if !atMemberEnd && sawData {
            throw JBError.io(path: name, reason: "truncated gzip data")
        }
        return 0
    }
}
