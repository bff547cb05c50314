#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines (LF or CRLF) from a file or stdin, gzip or plain, counting them from 1.
public final class LineReader {
    /// The name used in messages: the path, or `<stdin>`.
    public var name: String { source.name }
    /// The number of the line last returned (1-based; 0 before the first).
    public private(set) var lineNumber = 0
    /// The byte source underneath (exposed so format sniffing can use it).
    public let source: ByteSource

    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false

    /// Opens `path`, or stdin for nil or `-`.
    public convenience init(path: String?) throws {
        self.init(source: try ByteSource(path: path))
    }

    /// Reads lines from an open byte source.
    public init(source: ByteSource) {
        self.source = source
        buffer = [UInt8](repeating: 0, count: 1 << 16)
    }

    /// Fills the buffer; returns false at the end of input.
    private func fill() throws -> Bool {
        if eof { return false }
        if start > 0 {
            let live = end - start
            if live > 0 {
                buffer.withUnsafeMutableBytes { b in
                    _ = memmove(b.baseAddress!, b.baseAddress! + start, live)
                }
            }
            start = 0
            end = live
        }
        if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        let offset = end, source = source
        let n = try buffer.withUnsafeMutableBytes { b -> Int in
            try source.read(into: UnsafeMutableRawBufferPointer(rebasing: b[offset...]))
        }
        if n == 0 { eof = true; return false }
        end += n
        return true
    }

    /// Calls `body` with the next line's bytes, without its line break; nil at the end.
    /// The bytes are valid only inside `body`.
    @inline(__always)
    public func withNextLine<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
        var scanFrom = start
        while true {
            let found: Int? = buffer.withUnsafeBytes { b -> Int? in
                guard scanFrom < end else { return nil }
                let p = memchr(b.baseAddress! + scanFrom, 0x0A, end - scanFrom)
                return p.map { b.baseAddress!.distance(to: UnsafeRawPointer($0)) }
            }
            if let nl = found {
                lineNumber += 1
                var stop = nl
                if stop > start && buffer[stop - 1] == 0x0D { stop -= 1 }
                let lineStart = start
                start = nl + 1
                return try buffer.withUnsafeBufferPointer { b in
                    try body(UnsafeBufferPointer(rebasing: b[lineStart..<stop]))
                }
            }
            let scanned = end - start
            if try !fill() {
                guard start < end else { return nil }
                // A last line without a final newline.
                lineNumber += 1
                var stop = end
                if stop > start && buffer[stop - 1] == 0x0D { stop -= 1 }
                let lineStart = start
                start = end
                return try buffer.withUnsafeBufferPointer { b in
                    try body(UnsafeBufferPointer(rebasing: b[lineStart..<stop]))
                }
            }
            scanFrom = start + scanned
        }
    }

    /// Up to `count` bytes ahead, without consuming them (for sniffing a format).
    public func peek(_ count: Int) throws -> [UInt8] {
        while end - start < count {
            if try !fill() { break }
        }
        return Array(buffer[start..<min(end, start + count)])
    }

    /// Reads raw bytes (buffered ones first), for readers that do not work by lines.
    /// Returns 0 at the end. Line numbers are not counted on this path.
    public func readBytes(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        if start < end {
            let n = min(out.count, end - start)
            buffer.withUnsafeBytes { b in out.baseAddress!.copyMemory(from: b.baseAddress! + start, byteCount: n) }
            start += n
            return n
        }
        if eof { return 0 }
        return try source.read(into: out)
    }

    /// The next line as a copy of its bytes, or nil at the end.
    public func nextLine() throws -> [UInt8]? {
        try withNextLine { Array($0) }
    }

    /// The next line as text (invalid UTF-8 repaired), or nil at the end.
    public func nextString() throws -> String? {
        try nextLine().map { String(decoding: $0, as: UTF8.self) }
    }
}
