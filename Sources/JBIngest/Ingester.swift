import JBCore

/// What jb-ingest does besides reading: format, filters, validation strictness.
public struct IngestOptions: Sendable {
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
    public let options: IngestOptions
    private let output: JSONLWriter
    private let rejects: JSONLWriter?
    private var seen = Set<UInt64>()
    public private(set) var summary = IngestSummary()

    /// Writes questions to `output` and rejected rows, if asked, to `rejects`.
    public init(options: IngestOptions, output: JSONLWriter, rejects: JSONLWriter? = nil) {
        self.options = options
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
        while let result = try reader.next() {
            summary.rows += 1
            switch result {
            case .broken(let line, let reason, let raw):
                try reject(source: lines.name, line: line, reason: reason, raw: raw)
            case .row(let row):
                switch QuestionBuilder.build(row, format: format) {
                case .reject(let reason):
                    try reject(source: lines.name, line: row.line, reason: reason, raw: row.raw)
                case .question(let q):
                    if options.noMedia && q.media {
                        summary.mediaDropped += 1
                        continue
                    }
                    let key = UInt64(q.id, radix: 16) ?? ContentHash.uint64(q.id)
                    if !seen.insert(key).inserted {
                        summary.duplicates += 1
                        continue
                    }
                    try output.write(q)
                    summary.written += 1
                }
            }
        }
    }

    private func reject(source: String, line: Int, reason: String, raw: [UInt8]) throws {
        summary.rejected += 1
        try rejects?.write(Reject(source: source, line: line, reason: reason, text: String(decoding: raw, as: UTF8.self)).json)
    }

    private func detectFormat(path: String?, lines: LineReader) throws -> IngestFormat {
        if let f = options.format { return f }
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
