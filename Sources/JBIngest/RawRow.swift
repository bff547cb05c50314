import JBCore

/// The input formats jb-ingest reads.
public enum IngestFormat: String, Sendable, CaseIterable {
    /// Kaggle CSV: `Show Number, Air Date, Round, Category, Value, Question, Answer`.
    case csv
    /// Kaggle JSON: one array of objects with `category, air_date, question, value, answer, round, show_number`.
    case json
    /// JSON Lines: one object per line, in jb's question layout or the Kaggle layout.
    case jsonl
    /// j-archive TSV: `round clue_value daily_double_value category comments answer question air_date notes`.
    case tsv

    /// The format a file name implies (`.gz` looked through), or nil.
    public static func fromFileName(_ path: String) -> IngestFormat? {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonl }
        if name.hasSuffix(".json") { return .json }
        if name.hasSuffix(".tsv") || name.hasSuffix(".tab") { return .tsv }
        return nil
    }

    /// The format the first bytes of the content imply, or nil.
    public static func sniff(_ head: [UInt8]) -> IngestFormat? {
        var b = head[...]
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = b.dropFirst(3) }
        guard let first = b.firstIndex(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return nil }
        switch b[first] {
        case UInt8(ascii: "["): return .json
        case UInt8(ascii: "{"): return .jsonl
        default: break
        }
        let line = String(decoding: b[first...].prefix { $0 != 0x0A }, as: UTF8.self).lowercased()
        if line.contains("\t") && line.contains("round") { return .tsv }
        if line.contains(",") && line.contains("show number") { return .csv }
        return nil
    }
}

/// One row as read from a source, before cleaning and validation. Text fields are raw
/// UTF-8 bytes; nil means absent or null.
struct RawRow {
    var line: Int
    var showNumber: ArraySlice<UInt8>?
    var airDate: ArraySlice<UInt8>?
    var round: ArraySlice<UInt8>?
    var category: ArraySlice<UInt8>?
    var value: ArraySlice<UInt8>?
    var clue: ArraySlice<UInt8>?
    var answer: ArraySlice<UInt8>?
    /// j-archive's Daily Double wager (`0` when not a Daily Double).
    var dailyDoubleValue: ArraySlice<UInt8>?
    var comments: ArraySlice<UInt8>?
    var notes: ArraySlice<UInt8>?
    /// An id already present (JSON Lines input).
    var id: String?
    /// `daily_double`/`media`/`difficulty` already present (JSON Lines in jb's layout).
    var dailyDouble: Bool?
    var media: Bool?
    /// Fields the format does not define, passed through.
    var extra: JSONObject = [:]
    /// Kaggle layouts list a Daily Double's wager as its value; jb's layout does not.
    var inferWager = true
    /// The Kaggle JSON wraps each clue in single quotes.
    var clueWrapped = false
    /// The source text, for the rejects file (decoded only when a row is rejected).
    var raw: [UInt8]

    init(line: Int, raw: [UInt8]) {
        self.line = line
        self.raw = raw
    }
}

/// A row that could not become a question.
public struct Reject: Sendable, Equatable {
    public var source: String
    public var line: Int
    public var reason: String
    public var text: String

    /// The reject as a JSON Lines record.
    public var json: JSONObject {
        ["source": .string(source), "line": .int(Int64(line)), "reason": .string(reason), "text": .string(text)]
    }
}
