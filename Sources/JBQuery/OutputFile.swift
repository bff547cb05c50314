import Foundation
import JBCore

#if canImport(Glibc)
import Glibc
#endif

/// What an existing `-o FILE` already holds, so a run resumes where the last one stopped.
public struct ExistingOutput: Sendable {
    /// Keys with a record (answers, and errors unless `--retry-errors`).
    public var done: Set<String> = []
    /// The `run_id` of the file's first record, reused when resuming.
    public var runID: String?
    /// Records kept.
    public var records = 0
    /// Error records removed for `--retry-errors`.
    public var removedErrors = 0
    /// True when an incomplete last line (a killed writer) was cut off.
    public var repairedTail = false
    /// What the records already in the file cost (`cost_usd`, cache hits free): the part of
    /// the run's `--max-cost` earlier invocations spent.
    public var spent: Decimal = 0

    public init() {}

    /// Reads `path` if it exists: cuts an incomplete last line, and with `retryErrors`
    /// rewrites the file (atomically) without its error records so they are asked again.
    public static func prepare(path: String, retryErrors: Bool, modify: Bool = true) throws -> ExistingOutput {
        var out = ExistingOutput()
        guard FileManager.default.fileExists(atPath: path) else { return out }
        guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw JBError.cannotOpen(path: path, reason: "not readable")
        }
        if let last = bytes.last, last != 0x0A {
            let keep = (bytes.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
            bytes.removeSubrange(keep...)
            if modify && truncate(path, off_t(keep)) != 0 {
                throw JBError.io(path: path, reason: "cannot cut the incomplete last line: " + ByteSource.errnoText())
            }
            out.repairedTail = true
        }
        var kept: [ArraySlice<UInt8>] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            let nl = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[start..<nl]
            start = nl + 1
            lineNumber += 1
            guard let o = try JSONLine.record(line, source: path, number: lineNumber).get() else { continue }
            guard let key = o["key"]?.stringValue else {
                throw JBError.badRecord(source: path, line: lineNumber,
                                        message: "missing field \"key\" (is this a jb-query output file?)")
            }
            if out.runID == nil { out.runID = o["run_id"]?.stringValue }
            let isError = !(o["error"]?.isNull ?? true)
            if isError && retryErrors {
                out.removedErrors += 1
                continue
            }
            out.done.insert(key)
            out.records += 1
            if let cost = o["cost_usd"]?.doubleValue, cost.isFinite, cost > 0 {
                out.spent += Decimal(string: String(cost), locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(cost)
            }
            kept.append(line)
        }
        if modify && out.removedErrors > 0 {
            var text: [UInt8] = []
            for l in kept { text.append(contentsOf: l); text.append(0x0A) }
            try AtomicFile.write(bytes: text, to: path)
        }
        return out
    }
}

/// Writes response records, one whole line each, flushed as each completes; shared by the
/// concurrent requests.
public final class RecordSink: @unchecked Sendable {
    private let lock = NSLock()
    private let writer: JSONLWriter

    /// Appends to `path`, or writes to stdout when nil.
    public init(path: String?) throws {
        if let path {
            writer = try JSONLWriter(path: path, append: true, flushEachRecord: true)
        } else {
            writer = JSONLWriter(flushEachRecord: true)
        }
    }

    /// Writes and flushes one record.
    public func write(_ record: JSONObject) throws {
        try lock.withLock { try writer.write(record) }
    }

    /// Takes the lock for good, so that an immediate exit cannot cut a line in half.
    public func freeze() {
        lock.lock()
        try? writer.flush()
    }
}
