import JBCore

/// What a row reader yields: a row, or a line that could not be split into one.
enum RowResult {
    case row(RawRow)
    case broken(line: Int, reason: String, raw: [UInt8])
    /// A TSV line not yet split: splitting happens on a worker thread (`TSVLayout.parse`).
    case tsvLine(line: Int, raw: [UInt8], layout: TSVLayout)
    /// A CSV record (its physical lines joined by LF) whose quoting is known to be sound, not
    /// yet split: splitting happens on a worker thread (`CSVLayout.parse`).
    case csvRecord(line: Int, raw: [UInt8], layout: CSVLayout)
    /// A JSON object's text not yet parsed (JSON Lines, or one element of a Kaggle JSON
    /// array): parsing happens on a worker thread.
    case jsonText(line: Int, raw: [UInt8], kaggleWrapping: Bool)

    /// The row, splitting or parsing a deferred one first.
    var resolved: RowResult {
        switch self {
        case .tsvLine(let line, let raw, let layout): return layout.parse(raw, line: line)
        case .csvRecord(let line, let raw, let layout): return layout.parse(raw, line: line)
        case .jsonText(let line, let raw, let kaggleWrapping): return JSONRow.parse(raw, line: line, kaggleWrapping: kaggleWrapping)
        default: return self
        }
    }
}

/// Where the j-archive TSV columns are, from its header.
struct TSVLayout: Sendable {
    var pos = (round: 0, value: 0, dd: 0, category: 0, comments: 0, clue: 0, answer: 0, date: 0, notes: 0)
    var expected = 9

    /// Splits one line into a row (fields are slices of `raw`, no copies).
    func parse(_ raw: [UInt8], line: Int) -> RowResult {
        let spans = raw.withUnsafeBufferPointer { TSVRowReader.ranges($0) }
        guard spans.count == expected else {
            return .broken(line: line, reason: "row has \(spans.count) fields, expected \(expected)", raw: raw)
        }
        func field(_ k: Int) -> ArraySlice<UInt8> { raw[spans[k]] }
        var row = RawRow(line: line, raw: raw)
        row.round = field(pos.round)
        if pos.value >= 0 { row.value = field(pos.value) }
        if pos.dd >= 0 { row.dailyDoubleValue = field(pos.dd) }
        row.category = field(pos.category)
        if pos.comments >= 0, !spans[pos.comments].isEmpty { row.comments = field(pos.comments) }
        row.clue = field(pos.clue)
        row.answer = field(pos.answer)
        row.airDate = field(pos.date)
        if pos.notes >= 0, !spans[pos.notes].isEmpty { row.notes = field(pos.notes) }
        return .row(row)
    }
}

/// Reads rows of one format from one input.
protocol RowReader {
    /// The next row, nil at the end; throws for an input that cannot be read at all.
    mutating func next() throws -> RowResult?
}

/// The column names of a header, trimmed and lowercased, mapped to their positions.
struct Header {
    let names: [String]
    let index: [String: Int]

    init(_ fields: [[UInt8]]) {
        names = fields.map { String(decoding: $0, as: UTF8.self).trimmingASCIISpace().lowercased() }
        var idx: [String: Int] = [:]
        for (k, n) in names.enumerated() where idx[n] == nil { idx[n] = k }
        index = idx
    }

    func position(_ candidates: String...) -> Int? {
        for c in candidates { if let p = index[c] { return p } }
        return nil
    }

    /// A JSON key for an extra column: snake_case of its name.
    static func key(_ name: String) -> String {
        var out = ""
        for ch in name {
            if ch.isLetter || ch.isNumber { out.append(ch) } else if !out.hasSuffix("_") { out.append("_") }
        }
        while out.hasSuffix("_") { out.removeLast() }
        return out.isEmpty ? "column" : out
    }
}

/// Where the Kaggle CSV columns are, from its header.
struct CSVLayout: Sendable {
    var show: Int?, date: Int?, round: Int?, category: Int?, value: Int?
    var clue = 0, answer = 0
    var expected = 0
    var extraColumns: [(Int, String)] = []

    /// Splits one record whose quoting the reader has checked into a row.
    func parse(_ raw: [UInt8], line: Int) -> RowResult {
        let fields = raw.withUnsafeBufferPointer { CSVRowReader.fieldSpans($0) }
        guard fields.count == expected else {
            return .broken(line: line, reason: "row has \(fields.count) fields, expected \(expected)", raw: raw)
        }
        func field(_ p: Int?) -> ArraySlice<UInt8>? {
            guard let p else { return nil }
            let f = fields[p]
            return f.doubled ? CSVRowReader.undoubled(raw[f.range]) : raw[f.range]
        }
        var row = RawRow(line: line, raw: raw)
        row.showNumber = field(show)
        row.airDate = field(date)
        row.round = field(round)
        row.category = field(category)
        row.value = field(value)
        row.clue = field(clue)
        row.answer = field(answer)
        for (p, key) in extraColumns { row.extra[key] = .string(String(decoding: field(p)!, as: UTF8.self)) }
        return .row(row)
    }
}

/// Follows RFC 4180 quoting across a record's physical lines, one byte at a time, without
/// going back over what it has seen: knows whether the record is complete, how many fields
/// it has, and whether its quoting is broken.
struct CSVScanner {
    /// Fields so far (a record has at least one).
    var fields = 1
    /// Inside a quoted field.
    var quoted = false
    /// Inside a quoted field, the last byte was a quote: the end of the field, or the first
    /// half of a doubled quote.
    var quotePending = false
    /// At the start of a field (a quote here opens a quoted field; elsewhere it is text).
    var fieldStart = true
    /// The quoting is broken: why.
    var error: String?
    /// The field in which the last quoted field opened (for messages).
    var openedIn = 0

    /// Scans one physical line (without its line break).
    mutating func feed(_ b: UnsafeBufferPointer<UInt8>) {
        guard error == nil else { return }
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            i += 1
            if quoted {
                if quotePending {
                    if c == UInt8(ascii: "\"") { quotePending = false; continue }
                    quoted = false
                    quotePending = false
                    if c == UInt8(ascii: ",") { fields += 1; fieldStart = true; continue }
                    error = "unexpected character after a closing quote in field \(fields)"
                    return
                }
                if c == UInt8(ascii: "\"") { quotePending = true; continue }
                // Fast path: skip ahead to the next quote.
                if let q = b[i..<n].firstIndex(of: UInt8(ascii: "\"")) { i = q } else { i = n }
                continue
            }
            if c == UInt8(ascii: ",") { fields += 1; fieldStart = true; continue }
            if fieldStart && c == UInt8(ascii: "\"") {
                quoted = true
                openedIn = fields
                fieldStart = false
                continue
            }
            fieldStart = false
        }
    }

    /// At the end of a physical line: true when the record ends here (else a quoted field
    /// goes on to the next line).
    mutating func endOfLine() -> Bool {
        if error != nil { return true }
        if quoted && quotePending {
            quoted = false
            quotePending = false
        }
        return !quoted
    }
}

/// RFC 4180 CSV: quoted fields with doubled quotes, fields that span lines, LF or CRLF.
/// A backslash is an ordinary character (the Kaggle CSV has `\"` inside quoted fields), and so
/// is a quote inside an unquoted field.
///
/// A broken row costs that row only: when a record that spans several physical lines turns
/// out broken (a stray quote at the start of a field opened a "quoted field" that swallowed
/// the next lines), only its first line is rejected and the lines after it are read again as
/// rows of their own. A quoted field may span at most `maxRecordBytes`; the scan never goes
/// back over a byte while it looks for a record's end, so an unclosed quote costs linear time.
struct CSVRowReader: RowReader {
    let lines: LineReader
    private var layout: CSVLayout?
    /// Physical lines to read again, after a broken multi-line record (next one at `replayAt`).
    private var replay: [(line: Int, text: [UInt8])] = []
    private var replayAt = 0
    static let maxRecordBytes = 1 << 16

    init(lines: LineReader) { self.lines = lines }

    /// Splits one record; `complete` is false while a quoted field is open, `error` says why
    /// the quoting is broken.
    static func split(_ text: [UInt8]) -> (fields: [[UInt8]], complete: Bool, error: String?) {
        var scan = CSVScanner()
        text.withUnsafeBufferPointer { scan.feed($0) }
        if let error = scan.error { return ([], true, error) }
        if !scan.endOfLine() { return ([], false, nil) }
        let spans = text.withUnsafeBufferPointer { fieldSpans($0) }
        return (spans.map { Array($0.doubled ? undoubled(text[$0.range]) : text[$0.range]) }, true, nil)
    }

    /// The fields of a record whose quoting is sound: each field's content range (inside the
    /// quotes of a quoted field) and whether it holds doubled quotes to undo.
    static func fieldSpans(_ b: UnsafeBufferPointer<UInt8>) -> [(range: Range<Int>, doubled: Bool)] {
        var out: [(range: Range<Int>, doubled: Bool)] = []
        out.reserveCapacity(8)
        var i = 0
        let n = b.count
        while true {
            if i < n && b[i] == UInt8(ascii: "\"") {
                i += 1
                let start = i
                var doubled = false
                while i < n {
                    if b[i] == UInt8(ascii: "\"") {
                        if i + 1 < n && b[i + 1] == UInt8(ascii: "\"") { doubled = true; i += 2; continue }
                        break
                    }
                    i += 1
                }
                out.append((start..<min(i, n), doubled))
                i += 1  // the closing quote
            } else {
                let start = i
                while i < n && b[i] != UInt8(ascii: ",") { i += 1 }
                out.append((start..<i, false))
            }
            if i >= n { return out }
            i += 1  // the comma
            if i == n { out.append((n..<n, false)); return out }
        }
    }

    /// A quoted field's content with each doubled quote made single.
    static func undoubled(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            out.append(c)
            i += (c == UInt8(ascii: "\"") && i + 1 < s.endIndex && s[i + 1] == UInt8(ascii: "\"")) ? 2 : 1
        }
        return out[...]
    }

    private mutating func physicalLine() throws -> (line: Int, text: [UInt8])? {
        if replayAt < replay.count {
            defer {
                replayAt += 1
                if replayAt == replay.count { replay.removeAll(keepingCapacity: true); replayAt = 0 }
            }
            return replay[replayAt]
        }
        guard let text = try lines.nextLine() else { return nil }
        return (lines.lineNumber, text)
    }

    /// Reads one logical record, joining physical lines while a quoted field is open. A broken
    /// record of several lines gives back all but its first line (see the type's comment).
    private mutating func record() throws -> (line: Int, text: [UInt8], error: String?, fields: Int)? {
        guard let (first, firstText) = try physicalLine() else { return nil }
        var scan = CSVScanner()
        firstText.withUnsafeBufferPointer { scan.feed($0) }
        if scan.endOfLine() { return (first, firstText, scan.error, scan.fields) }
        var text = firstText
        var joined: [(line: Int, text: [UInt8])] = []
        var endError: String?
        while true {
            guard let more = try physicalLine() else { endError = "unterminated quoted field"; break }
            joined.append(more)
            text.append(0x0A)
            text.append(contentsOf: more.text)
            more.text.withUnsafeBufferPointer { scan.feed($0) }
            if scan.endOfLine() { break }
            if text.count > CSVRowReader.maxRecordBytes { endError = "unterminated quoted field"; break }
        }
        let error = scan.error ?? endError
        let expected = layout?.expected ?? scan.fields
        if error == nil && scan.fields == expected { return (first, text, nil, scan.fields) }
        // Broken across lines: most likely a stray quote in the first line. Reject that line
        // alone; the others are rows of their own.
        if !joined.isEmpty {
            replay.insert(contentsOf: joined, at: replayAt)
            return (first, firstText, "a quote opens field \(scan.openedIn) and is not closed on this line", scan.fields)
        }
        return (first, text, error, scan.fields)
    }

    mutating func next() throws -> RowResult? {
        if layout == nil {
            while true {
                guard let h = try record() else { return nil }
                if h.text.isEmpty { continue }
                var text = h.text
                if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
                let split = CSVRowReader.split(text)
                if let error = split.error {
                    throw JBError.badRecord(source: lines.name, line: h.line, message: "not a Kaggle CSV header: \(error)")
                }
                let header = Header(split.fields)
                guard let clue = header.position("question", "clue"), let answer = header.position("answer") else {
                    throw JBError.badRecord(source: lines.name, line: h.line,
                                            message: "not a Kaggle CSV header: expected columns 'Question' and 'Answer' (got \(header.names.joined(separator: ", ")))")
                }
                var l = CSVLayout()
                (l.show, l.date, l.round, l.category, l.value) = (header.position("show number", "show_number"),
                    header.position("air date", "air_date"), header.position("round"), header.position("category"),
                    header.position("value"))
                l.clue = clue
                l.answer = answer
                l.expected = header.names.count
                let known = Set([l.show, l.date, l.round, l.category, l.value, clue, answer].compactMap { $0 })
                l.extraColumns = header.names.enumerated().filter { !known.contains($0.offset) && !$0.element.isEmpty }
                    .map { ($0.offset, Header.key($0.element)) }
                layout = l
                break
            }
        }
        while true {
            guard let r = try record() else { return nil }
            if r.text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if let error = r.error { return .broken(line: r.line, reason: error, raw: r.text) }
            let expected = layout!.expected
            guard r.fields == expected else {
                return .broken(line: r.line, reason: "row has \(r.fields) fields, expected \(expected)", raw: r.text)
            }
            return .csvRecord(line: r.line, raw: r.text, layout: layout!)
        }
    }
}

/// j-archive TSV: a header line, tab-separated fields, no quoting at all.
struct TSVRowReader: RowReader {
    let lines: LineReader
    private var header: Header?
    private var layout = TSVLayout()

    init(lines: LineReader) { self.lines = lines }

    static func split(_ b: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
        ranges(b).map { Array(b[$0]) }
    }

    /// The ranges of the tab-separated fields of a line.
    static func ranges(_ b: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        fields.reserveCapacity(9)
        var start = 0
        for i in 0..<b.count where b[i] == 0x09 {
            fields.append(start..<i)
            start = i + 1
        }
        fields.append(start..<b.count)
        return fields
    }

    mutating func next() throws -> RowResult? {
        if header == nil {
            guard let fields = try lines.withNextLine({ TSVRowReader.split($0) }) else { return nil }
            let h = Header(fields)
            // The j-archive names are reversed: `answer` is the clue, `question` the response.
            guard let r = h.position("round"), let clue = h.position("answer"), let answer = h.position("question"),
                  let category = h.position("category"), let date = h.position("air_date", "air date")
            else {
                throw JBError.badRecord(source: lines.name, line: lines.lineNumber,
                                        message: "not a j-archive TSV header: expected columns round, category, answer, question, air_date (got \(h.names.joined(separator: ", ")))")
            }
            let dd = h.position("daily_double_value"), comments = h.position("comments"), notes = h.position("notes")
            layout.pos = (r, h.position("clue_value", "value") ?? -1, dd ?? -1, category, comments ?? -1, clue, answer, date, notes ?? -1)
            layout.expected = h.names.count
            header = h
        }
        let layout = layout
        while true {
            let line = lines.lineNumber + 1
            guard let result = try lines.withNextLine({ buf -> RowResult? in
                buf.isEmpty ? nil : .tsvLine(line: line, raw: Array(buf), layout: layout)
            }) else { return nil }
            if let result { return result }
        }
    }
}

/// JSON Lines: one object per line, in jb's question layout or the Kaggle layout. A UTF-8 byte
/// order mark before the first line is skipped. Lines are parsed on the worker threads.
struct JSONLRowReader: RowReader {
    let lines: LineReader

    init(lines: LineReader) { self.lines = lines }

    mutating func next() throws -> RowResult? {
        while true {
            guard var text = try lines.nextLine() else { return nil }
            let line = lines.lineNumber
            if line == 1 && text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return .jsonText(line: line, raw: text, kaggleWrapping: false)
        }
    }
}

/// Maps a JSON object (Kaggle or jb layout) onto a raw row.
enum JSONRow {
    /// Parses one object's text into a row (on a worker thread).
    static func parse(_ raw: [UInt8], line: Int, kaggleWrapping: Bool) -> RowResult {
        let value: JSON
        do {
            value = try JSONParser.parse(raw)
        } catch {
            return .broken(line: line, reason: JSONLine.invalid(error), raw: raw)
        }
        guard case .object(let o) = value else {
            return .broken(line: line, reason: JSONLine.notAnObject(value), raw: raw)
        }
        return .row(make(o, line: line, raw: raw, kaggleWrapping: kaggleWrapping))
    }

    /// A field's text: strings as they are, numbers as written (a whole double as an integer
    /// when one holds it), booleans as `true`/`false`.
    static func bytes(_ v: JSON?) -> ArraySlice<UInt8>? {
        switch v {
        case .string(let s)?: return Array(s.utf8)[...]
        case .int(let i)?: return Array(String(i).utf8)[...]
        case .double(let d)?:
            if d == d.rounded(), let i = Int64(exactly: d) { return Array(String(i).utf8)[...] }
            return Array(String(d).utf8)[...]
        case .number(let text)?: return Array(text.utf8)[...]
        case .bool(let b)?: return Array(String(b).utf8)[...]
        default: return nil
        }
    }

    static func make(_ o: JSONObject, line: Int, raw: [UInt8], kaggleWrapping: Bool) -> RawRow {
        var row = RawRow(line: line, raw: raw)
        let jbLayout = o["clue"] != nil
        var used: Set<String> = ["show_number", "air_date", "round", "category", "value"]
        row.showNumber = bytes(o["show_number"])
        row.airDate = bytes(o["air_date"])
        row.round = bytes(o["round"])
        row.category = bytes(o["category"])
        row.value = bytes(o["value"])
        if jbLayout {
            row.clue = bytes(o["clue"])
            row.answer = bytes(o["answer"])
            row.id = o["id"]?.stringValue
            row.dailyDouble = o["daily_double"]?.boolValue
            row.media = o["media"]?.boolValue
            row.inferWager = false
            if let w = o["wager"], !w.isNull { row.dailyDoubleValue = bytes(w) }
            used.formUnion(["clue", "answer", "id", "daily_double", "media", "difficulty", "wager"])
        } else {
            row.clue = bytes(o["question"])
            row.answer = bytes(o["answer"])
            row.clueWrapped = kaggleWrapping
            used.formUnion(["question", "answer"])
        }
        for (k, v) in o where !used.contains(k) { row.extra[k] = v }
        return row
    }
}

/// Streams the elements of one top-level JSON array (the Kaggle JSON file, 129 MB) without
/// holding more than one element in memory: the reader only finds where each element ends
/// (scanning its block of input in place); elements are parsed on the worker threads. Line
/// numbers are those of each element's start. Text after the closing `]` is a rejected row.
struct JSONArrayRowReader: RowReader {
    let source: LineReader
    private var buffer = [UInt8](repeating: 0, count: 1 << 18)
    private var count = 0
    private var pos = 0
    private var line = 1
    private var started = false
    private var finished = false
    private var trailingChecked = false

    init(source: LineReader) { self.source = source }

    /// Makes sure a byte is available at `pos`; false at the end of input.
    private mutating func fill() throws -> Bool {
        if pos < count { return true }
        count = try buffer.withUnsafeMutableBytes { try source.readBytes(into: $0) }
        pos = 0
        return count > 0
    }

    /// The next byte that is not white space (consumed), or nil at the end.
    private mutating func nonSpace() throws -> UInt8? {
        while try fill() {
            let c = buffer[pos]
            pos += 1
            if c == 0x0A { line += 1; continue }
            if c == 0x20 || c == 0x0D || c == 0x09 { continue }
            return c
        }
        return nil
    }

    private func fail(_ message: String) -> JBError {
        .badRecord(source: source.name, line: line, message: message)
    }

    mutating func next() throws -> RowResult? {
        if finished { return try trailing() }
        if !started {
            guard var c = try nonSpace() else { throw fail("empty file: expected a JSON array") }
            if c == 0xEF {
                // A byte order mark.
                guard try nonSpace() == 0xBB, try nonSpace() == 0xBF, let d = try nonSpace() else {
                    throw fail("expected a JSON array ('[') at the start of the file")
                }
                c = d
            }
            guard c == UInt8(ascii: "[") else { throw fail("expected a JSON array ('[') at the start of the file") }
            started = true
            guard let d = try nonSpace() else { throw fail("unterminated JSON array") }
            if d == UInt8(ascii: "]") { finished = true; return try trailing() }
            pos -= 1
        } else {
            guard let c = try nonSpace() else { throw fail("unterminated JSON array: expected ',' or ']'") }
            if c == UInt8(ascii: "]") { finished = true; return try trailing() }
            guard c == UInt8(ascii: ",") else { throw fail("expected ',' or ']' between array elements") }
        }
        guard let first = try nonSpace() else { throw fail("unterminated JSON array") }
        let startLine = line
        var element: [UInt8] = [first]
        element.reserveCapacity(512)
        // Capture one element: track nesting and strings so brackets inside text don't count.
        var depth = (first == UInt8(ascii: "{") || first == UInt8(ascii: "[")) ? 1 : 0
        var inString = first == UInt8(ascii: "\"")
        var escaped = false
        if depth == 0 && !inString {
            // A scalar element: read up to the next ',' or ']'.
            scalar: while try fill() {
                let c = buffer[pos]
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "]") { break scalar }
                if c == 0x0A { line += 1 }
                element.append(c)
                pos += 1
            }
        } else {
            while depth > 0 || inString {
                guard try fill() else { throw fail("unterminated JSON element starting at line \(startLine)") }
                // Scan the rest of the block in place; copy what belongs to the element at once.
                let from = pos, n = count
                var done = false, lines = 0, end = from
                buffer.withUnsafeBufferPointer { b in
                    var i = from
                    while i < n {
                        let c = b[i]
                        i += 1
                        if inString {
                            if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                            else if c == 0x0A { lines += 1 }
                            continue
                        }
                        switch c {
                        case UInt8(ascii: "\""): inString = true
                        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                        case UInt8(ascii: "}"), UInt8(ascii: "]"):
                            depth -= 1
                            if depth == 0 { done = true }
                        case 0x0A: lines += 1
                        default: break
                        }
                        if done { break }
                    }
                    element.append(contentsOf: UnsafeBufferPointer(rebasing: b[from..<i]))
                    end = i
                }
                pos = end
                line += lines
                if done { break }
            }
        }
        return .jsonText(line: startLine, raw: element, kaggleWrapping: true)
    }

    /// After the closing `]`: nothing but white space may follow; anything else is one
    /// rejected row (the first 1,000 bytes of it kept), so it is counted and not lost silently.
    private mutating func trailing() throws -> RowResult? {
        if trailingChecked { return nil }
        trailingChecked = true
        guard let c = try nonSpace() else { return nil }
        let startLine = line
        var text: [UInt8] = [c]
        while text.count < 1000, try fill() {
            let take = min(count - pos, 1000 - text.count)
            text.append(contentsOf: buffer[pos..<(pos + take)])
            pos += take
        }
        // Read to the end, so the whole input was seen.
        while try fill() { pos = count }
        return .broken(line: startLine, reason: "unexpected text after the JSON array's closing ']'", raw: text)
    }
}
