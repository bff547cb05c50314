import Foundation
import JBCore

/// What jb-ingest does besides reading: format, filters, validation strictness.
public struct IngestSettings: Sendable {
    /// The input format; nil means detect it from the file name or the content.
    public var format: IngestFormat?
    /// Drop clues that depend on a picture, audio or video.
    public var noMedia = false

    public init(format: IngestFormat? = nil, noMedia: Bool = false) {
        self.format = format
        self.noMedia = noMedia
    }
}

/// Counts for the one-line summary.
public struct IngestSummary: Sendable, Equatable {
    public var files = 0
    public var rows = 0
    public var written = 0
    public var rejected = 0
    public var duplicates = 0
    public var mediaDropped = 0

    /// `941 rows read, 940 questions written, 1 rejected, 0 duplicates dropped`.
    public var line: String {
        var parts = ["\(rows) row\(rows == 1 ? "" : "s") read", "\(written) question\(written == 1 ? "" : "s") written",
                     "\(rejected) rejected", "\(duplicates) duplicate\(duplicates == 1 ? "" : "s") dropped"]
        if mediaDropped > 0 { parts.append("\(mediaDropped) media clue\(mediaDropped == 1 ? "" : "s") dropped") }
        return parts.joined(separator: ", ")
    }
}

/// Reads Jeopardy data in any supported format and writes clean question records.
///
/// Streams: one row in memory at a time. The only state that grows is the set of ids seen
/// (8 bytes per question, for dropping duplicates).
public final class Ingester {
    public let settings: IngestSettings
    private let output: JSONLWriter
    private let rejects: JSONLWriter?
    private var seen = Set<UInt64>()
    public private(set) var summary = IngestSummary()

    /// Writes questions to `output` and rejected rows, if asked, to `rejects`.
    public init(settings: IngestSettings, output: JSONLWriter, rejects: JSONLWriter? = nil) {
        self.settings = settings
        self.output = output
        self.rejects = rejects
    }

    /// Ingests one input: a path, or stdin for nil or `-`.
    public func ingest(path: String?) throws {
        let lines = try LineReader(path: path)
        let format = try detectFormat(path: path, lines: lines)
        summary.files += 1
        var reader: any RowReader
        switch format {
        case .csv: reader = CSVRowReader(lines: lines)
        case .tsv: reader = TSVRowReader(lines: lines)
        case .jsonl: reader = JSONLRowReader(lines: lines)
        case .json: reader = JSONArrayRowReader(source: lines)
        }
        // Reading (and gunzipping) stays on this thread; building, cleaning and serialising
        // run on worker threads in batches; results are written here in input order, so the
        // output is the same bytes as a sequential run.
        let pipeline = BatchPipeline(format: format, source: lines.name)
        var batch: [RowResult] = []
        batch.reserveCapacity(BatchPipeline.batchSize)
        do {
            while let result = try reader.next() {
                summary.rows += 1
                batch.append(result)
                if batch.count == BatchPipeline.batchSize {
                    pipeline.submit(batch)
                    batch = []
                    batch.reserveCapacity(BatchPipeline.batchSize)
                    while let done = pipeline.next(wait: pipeline.inFlight >= BatchPipeline.maxInFlight) { try write(done) }
                }
            }
        } catch {
            if !batch.isEmpty { pipeline.submit(batch) }
            while let done = pipeline.next(wait: pipeline.inFlight > 0) { try write(done) }
            throw error
        }
        if !batch.isEmpty { pipeline.submit(batch) }
        while let done = pipeline.next(wait: pipeline.inFlight > 0) { try write(done) }
    }

    /// Writes one finished batch: drops media clues if asked and duplicates, counts.
    private func write(_ done: BatchPipeline.Done) throws {
        var start = 0
        for entry in done.entries {
            defer { start = entry.end }
            switch entry.kind {
            case .rejected(let reject):
                summary.rejected += 1
                try rejects?.write(reject.json)
            case .question(let id, let media):
                if settings.noMedia && media {
                    summary.mediaDropped += 1
                } else if !seen.insert(id).inserted {
                    summary.duplicates += 1
                } else {
                    try output.writeLine(done.bytes[start..<(entry.end - 1)])
                    summary.written += 1
                }
            }
        }
    }

    private func detectFormat(path: String?, lines: LineReader) throws -> IngestFormat {
        if let f = settings.format { return f }
        if let p = path, p != "-", let f = IngestFormat.fromFileName(p) { return f }
        if let f = IngestFormat.sniff(try lines.peek(4096)) { return f }
        throw JBError.usage("\(lines.name): cannot tell the format from the name or the content; name it with --format csv|json|jsonl|tsv")
    }

    /// Flushes the outputs.
    public func finish() throws {
        try output.flush()
        try rejects?.flush()
    }
}

/// Builds and serialises batches of rows on worker threads and hands them back in order.
final class BatchPipeline: @unchecked Sendable {
    /// Rows per batch, and batches read ahead of the writer: enough to keep both cores busy,
    /// few enough that peak memory stays a fraction of a data frame's (4 × 2,048 rows).
    static let batchSize = 2048
    static let maxInFlight = 4

    /// One row's outcome; `end` is the offset just past its line in `bytes`.
    struct Entry {
        enum Kind {
            case question(id: UInt64, media: Bool)
            case rejected(Reject)
        }
        var kind: Kind
        var end: Int
    }

    /// A finished batch: the serialised questions (one line each) and what each row became.
    struct Done {
        var bytes: [UInt8]
        var entries: [Entry]
    }

    private let format: IngestFormat
    private let source: String
    private let condition = NSCondition()
    private var finished: [Int: Done] = [:]
    private var submitted = 0
    private var delivered = 0

    init(format: IngestFormat, source: String) {
        self.format = format
        self.source = source
    }

    /// Batches submitted and not yet handed back.
    var inFlight: Int { submitted - delivered }

    func submit(_ rows: [RowResult]) {
        let index = submitted
        submitted += 1
        let format = format, source = source
        DispatchQueue.global().async { [self] in
            let done = BatchPipeline.process(rows, format: format, source: source)
            condition.lock()
            finished[index] = done
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next batch in order: waits for it when `wait` is true, else nil if not ready.
    func next(wait: Bool) -> Done? {
        guard delivered < submitted else { return nil }
        condition.lock()
        defer { condition.unlock() }
        while finished[delivered] == nil {
            if !wait { return nil }
            condition.wait()
        }
        let done = finished.removeValue(forKey: delivered)!
        delivered += 1
        return done
    }

    static func process(_ rows: [RowResult], format: IngestFormat, source: String) -> Done {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows.count * 320)
        var entries: [Entry] = []
        entries.reserveCapacity(rows.count)
        for pending in rows {
            switch pending.resolved {
            case .tsvLine, .csvRecord, .jsonText:
                preconditionFailure("resolved rows are never deferred")
            case .broken(let line, let reason, let raw):
                entries.append(Entry(kind: .rejected(Reject(source: source, line: line, reason: reason,
                                                            text: String(decoding: raw, as: UTF8.self))), end: bytes.count))
            case .row(let row):
                switch QuestionBuilder.build(row, format: format) {
                case .reject(let reason):
                    entries.append(Entry(kind: .rejected(Reject(source: source, line: row.line, reason: reason,
                                                                text: String(decoding: row.raw, as: UTF8.self))), end: bytes.count))
                case .question(let q):
                    q.writeJSON(into: &bytes)
                    bytes.append(0x0A)
                    let id = UInt64(q.id, radix: 16) ?? ContentHash.uint64(q.id)
                    entries.append(Entry(kind: .question(id: id, media: q.media), end: bytes.count))
                }
            }
        }
        return Done(bytes: bytes, entries: entries)
    }
}
