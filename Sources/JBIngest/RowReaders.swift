import JBCore

/// What a row reader yields: a row, or a line that could not be split into one.
enum RowResult {
    case row(RawRow)
    case broken(line: Int, reason: String, raw: [UInt8])
    /// A TSV line not yet split: splitting happens on a worker thread (`TSVLayout.parse`).
    case tsvLine(line: Int, raw: [UInt8], layout: TSVLayout)

    /// The row, splitting a deferred TSV line first.
    var resolved: RowResult {
        if case .tsvLine(let line, let raw, let layout) = self { return layout.parse(raw, line: line) }
        return self
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

/// RFC 4180 CSV: quoted fields with doubled quotes, fields that span lines, LF or CRLF.
/// A backslash is an ordinary character (the Kaggle CSV has `\"` inside quoted fields).
struct CSVRowReader: RowReader {
    let lines: LineReader
    private var header: Header?
    private var columns: (show: Int?, date: Int?, round: Int?, category: Int?, value: Int?, clue: Int, answer: Int)?
    private var extraColumns: [(Int, String)] = []

    init(lines: LineReader) { self.lines = lines }

    /// Splits one record; nil fields means the quoting is broken.
    static func split(_ text: [UInt8]) -> (fields: [[UInt8]], complete: Bool, error: String?) {
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var i = 0
        let n = text.count
        while true {
            field.removeAll(keepingCapacity: true)
            if i < n && text[i] == UInt8(ascii: "\"") {
                i += 1
                var closed = false
                while i < n {
                    let c = text[i]
                    if c == UInt8(ascii: "\"") {
                        if i + 1 < n && text[i + 1] == UInt8(ascii: "\"") {
                            field.append(c)
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    field.append(c)
                    i += 1
                }
                if !closed { return (fields, false, nil) }
                if i < n && text[i] != UInt8(ascii: ",") {
                    return (fields, true, "unexpected character after a closing quote in field \(fields.count + 1)")
                }
            } else {
                while i < n && text[i] != UInt8(ascii: ",") {
                    field.append(text[i])
                    i += 1
                }
            }
            fields.append(field)
            if i >= n { return (fields, true, nil) }
            i += 1  // the comma
            if i == n { fields.append([]); return (fields, true, nil) }
        }
    }

    /// Reads one logical record, joining physical lines while a quote is open.
    private mutating func record() throws -> (line: Int, text: [UInt8], fields: [[UInt8]], error: String?)? {
        guard var text = try lines.nextLine() else { return nil }
        let first = lines.lineNumber
        while true {
            let (fields, complete, error) = CSVRowReader.split(text)
            if complete { return (first, text, fields, error) }
            guard let more = try lines.nextLine() else {
                return (first, text, fields, "unterminated quoted field")
            }
            text.append(0x0A)
            text.append(contentsOf: more)
            if text.count > 1 << 20 { return (first, text, fields, "unterminated quoted field") }
        }
    }

    mutating func next() throws -> RowResult? {
        if columns == nil {
            while true {
                guard let h = try record() else { return nil }
                if h.text.isEmpty { continue }
                var fields = h.fields
                if let f = fields.first, f.starts(with: [0xEF, 0xBB, 0xBF]) { fields[0] = Array(f.dropFirst(3)) }
                let header = Header(fields)
                guard let clue = header.position("question", "clue"), let answer = header.position("answer") else {
                    throw JBError.badRecord(source: lines.name, line: h.line,
                                            message: "not a Kaggle CSV header: expected columns 'Question' and 'Answer' (got \(header.names.joined(separator: ", ")))")
                }
                let cols = (header.position("show number", "show_number"), header.position("air date", "air_date"),
                            header.position("round"), header.position("category"), header.position("value"), clue, answer)
                columns = cols
                let known = Set([cols.0, cols.1, cols.2, cols.3, cols.4, cols.5, cols.6].compactMap { $0 })
                extraColumns = header.names.enumerated().filter { !known.contains($0.offset) && !$0.element.isEmpty }
                    .map { ($0.offset, Header.key($0.element)) }
                self.header = header
                break
            }
        }
        while true {
            guard let r = try record() else { return nil }
            let raw = r.text
            if r.text.isEmpty || r.text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if let error = r.error { return .broken(line: r.line, reason: error, raw: raw) }
            let expected = header!.names.count
            guard r.fields.count == expected else {
                return .broken(line: r.line, reason: "row has \(r.fields.count) fields, expected \(expected)", raw: raw)
            }
            let c = columns!
            var row = RawRow(line: r.line, raw: raw)
            func field(_ p: Int?) -> ArraySlice<UInt8>? { p.map { r.fields[$0][...] } }
            row.showNumber = field(c.show)
            row.airDate = field(c.date)
            row.round = field(c.round)
            row.category = field(c.category)
            row.value = field(c.value)
            row.clue = field(c.clue)
            row.answer = field(c.answer)
            for (p, key) in extraColumns { row.extra[key] = .string(String(decoding: r.fields[p], as: UTF8.self)) }
            return .row(row)
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

/// JSON Lines: one object per line, in jb's question layout or the Kaggle layout.
struct JSONLRowReader: RowReader {
    let lines: LineReader

    init(lines: LineReader) { self.lines = lines }

    mutating func next() throws -> RowResult? {
        while true {
            guard let text = try lines.nextLine() else { return nil }
            let line = lines.lineNumber
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let raw = text
            let value: JSON
            do {
                value = try JSONParser.parse(text)
            } catch {
                return .broken(line: line, reason: "not valid JSON: \(error.message) at column \(error.column)", raw: raw)
            }
            guard case .object(let o) = value else {
                return .broken(line: line, reason: "expected a JSON object, found \(value.typeName)", raw: raw)
            }
            return .row(JSONRow.make(o, line: line, raw: raw, kaggleWrapping: false))
        }
    }
}

/// Maps a JSON object (Kaggle or jb layout) onto a raw row.
enum JSONRow {
    static func bytes(_ v: JSON?) -> ArraySlice<UInt8>? {
        switch v {
        case .string(let s)?: return Array(s.utf8)[...]
        case .int(let i)?: return Array(String(i).utf8)[...]
        case .double(let d)?: return Array((d == d.rounded() ? String(Int64(d)) : String(d)).utf8)[...]
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

/// Streams the elements of one top-level JSON array (the Kaggle JSON file, 50+ MB) without
/// holding more than one element in memory. Line numbers are those of each element's start.
struct JSONArrayRowReader: RowReader {
    let source: LineReader
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var count = 0
    private var pos = 0
    private var line = 1
    private var started = false
    private var finished = false

    init(source: LineReader) { self.source = source }

    private mutating func byte() throws -> UInt8? {
        if pos == count {
            count = try buffer.withUnsafeMutableBytes { try source.readBytes(into: $0) }
            pos = 0
            if count == 0 { return nil }
        }
        let c = buffer[pos]
        pos += 1
        if c == 0x0A { line += 1 }
        return c
    }

    private mutating func nonSpace() throws -> UInt8? {
        while let c = try byte() {
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { continue }
            if c == 0xEF || c == 0xBB || c == 0xBF { continue }  // a byte order mark
            return c
        }
        return nil
    }

    private func fail(_ message: String) -> JBError {
        .badRecord(source: source.name, line: line, message: message)
    }

    mutating func next() throws -> RowResult? {
        if finished { return nil }
        if !started {
            guard let c = try nonSpace() else { throw fail("empty file: expected a JSON array") }
            guard c == UInt8(ascii: "[") else { throw fail("expected a JSON array ('[') at the start of the file") }
            started = true
            guard let d = try nonSpace() else { throw fail("unterminated JSON array") }
            if d == UInt8(ascii: "]") { finished = true; return nil }
            pos -= 1
            if d == 0x0A { line -= 1 }
        } else {
            guard let c = try nonSpace() else { throw fail("unterminated JSON array: expected ',' or ']'") }
            if c == UInt8(ascii: "]") { finished = true; return nil }
            guard c == UInt8(ascii: ",") else { throw fail("expected ',' or ']' between array elements") }
        }
        guard let first = try nonSpace() else { throw fail("unterminated JSON array") }
        let startLine = line
        var element: [UInt8] = [first]
        // Capture one element: track nesting and strings so brackets inside text don't count.
        var depth = (first == UInt8(ascii: "{") || first == UInt8(ascii: "[")) ? 1 : 0
        var inString = first == UInt8(ascii: "\"")
        var escaped = false
        if depth == 0 && !inString {
            // A scalar element: read up to the next ',' or ']'.
            while let c = try byte() {
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "]") { pos -= 1; break }
                element.append(c)
            }
        } else {
            while depth > 0 || inString {
                guard let c = try byte() else { throw fail("unterminated JSON element starting at line \(startLine)") }
                element.append(c)
                if inString {
                    if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch c {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
            }
        }
        let raw = element
        let value: JSON
        do {
            value = try JSONParser.parse(element)
        } catch {
            return .broken(line: startLine, reason: "not valid JSON: \(error.message)", raw: raw)
        }
        guard case .object(let o) = value else {
            return .broken(line: startLine, reason: "expected a JSON object, found \(value.typeName)", raw: raw)
        }
        return .row(JSONRow.make(o, line: startLine, raw: raw, kaggleWrapping: true))
    }
}
