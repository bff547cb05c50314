import JBCore

/// One JSON Lines record read without building it: a single validating pass over the bytes
/// finds the top-level members, so jb-grade decodes only the fields it reads (`answer`,
/// `response_text`, `error`, `clue`, `category`) and writes every other byte back unchanged,
/// with the `grade` member added (or replaced). That keeps unknown fields exactly as they
/// came (30-digit integers, key order, spacing inside values) and costs a fraction of parsing
/// and re-serialising the whole record.
struct RawRecord {
    /// A top-level member: where its key (without quotes) and its value lie in the line.
    struct Member {
        var key: Range<Int>
        var keyEscaped: Bool
        var value: Range<Int>
    }

    /// Why a line is not a JSON object, with the 1-based byte column (as `JSONParser` reports).
    struct Failure: Error {
        var message: String
        var column: Int
        /// The line is valid JSON but not an object, or holds bytes the fast scan leaves to the
        /// full parser (invalid UTF-8): use `JSONParser` for it.
        var useParser: Bool
    }

    let members: [Member]

    /// Scans `b`: a JSON object with optional surrounding space. Strings are checked for
    /// control characters and escapes, numbers and literals for their grammar, nesting for
    /// depth; text that is not valid UTF-8 is left to the full parser.
    init(_ b: UnsafeBufferPointer<UInt8>) throws(Failure) {
        var s = Scanner(b: b)
        s.skipSpace()
        guard s.i < b.count else { throw Failure(message: "unexpected end of line", column: s.i + 1, useParser: true) }
        guard b[s.i] == UInt8(ascii: "{") else { throw Failure(message: "not an object", column: s.i + 1, useParser: true) }
        s.i += 1
        var members: [Member] = []
        members.reserveCapacity(24)
        s.skipSpace()
        if s.i < b.count, b[s.i] == UInt8(ascii: "}") {
            s.i += 1
        } else {
            while true {
                s.skipSpace()
                guard s.i < b.count, b[s.i] == UInt8(ascii: "\"") else { throw s.fail("expected a string key") }
                let keyStart = s.i + 1
                let escaped = try s.string()
                let key = keyStart..<(s.i - 1)
                s.skipSpace()
                guard s.i < b.count, b[s.i] == UInt8(ascii: ":") else { throw s.fail("expected ':' after a key") }
                s.i += 1
                s.skipSpace()
                let valueStart = s.i
                try s.value(depth: 1)
                members.append(Member(key: key, keyEscaped: escaped, value: valueStart..<s.i))
                s.skipSpace()
                guard s.i < b.count else { throw s.fail("unexpected end of line") }
                if b[s.i] == UInt8(ascii: ",") { s.i += 1; continue }
                if b[s.i] == UInt8(ascii: "}") { s.i += 1; break }
                throw s.fail("expected ',' or '}' in an object")
            }
        }
        s.skipSpace()
        if s.i < b.count { throw s.fail("unexpected text after the JSON value") }
        self.members = members
    }

    /// The grade object's key, as bytes.
    static let gradeKey = Array(Grade.recordKey.utf8)

    /// The last member named `key` (JSON keeps the last of duplicate keys).
    func member<K: RecordKey>(_ key: K, in b: UnsafeBufferPointer<UInt8>) -> Member? {
        var name = key.rawValue
        return name.withUTF8 { want -> Member? in
            let n = want.count
            for m in members.reversed() {
                if m.keyEscaped {
                    if RawRecord.decodeString(b, m.key) == String(decoding: want, as: UTF8.self) { return m }
                    continue
                }
                guard m.key.count == n else { continue }
                var same = true
                for k in 0..<n where b[m.key.lowerBound + k] != want[k] { same = false; break }
                if same { return m }
            }
            return nil
        }
    }

    /// The JSON value of a member (decoded by the full parser: only for the few fields read).
    static func value(_ b: UnsafeBufferPointer<UInt8>, _ m: Member) -> JSON {
        let v = m.value
        if b[v.lowerBound] == UInt8(ascii: "\"") { return .string(decodeString(b, (v.lowerBound + 1)..<(v.upperBound - 1))) }
        if b[v.lowerBound] == UInt8(ascii: "n") { return .null }
        return (try? JSONParser.parse(UnsafeBufferPointer(rebasing: b[v]))) ?? .null
    }

    /// The text of a string's contents (between the quotes), escapes decoded.
    static func decodeString(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        var plain = true
        for k in r where b[k] == UInt8(ascii: "\\") { plain = false; break }
        if plain { return String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        quoted.append(contentsOf: b[r])
        quoted.append(UInt8(ascii: "\""))
        if case .string(let s)? = try? JSONParser.parse(quoted) { return s }
        return String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
    }

    /// Writes the record with `grade` as its last member, replacing a `grade` it had.
    func write(_ b: UnsafeBufferPointer<UInt8>, grade: Grade, into out: inout [UInt8]) {
        func isGrade(_ m: Member) -> Bool {
            if m.keyEscaped { return RawRecord.decodeString(b, m.key) == Grade.recordKey }
            return UnsafeBufferPointer(rebasing: b[m.key]).elementsEqual(RawRecord.gradeKey)
        }
        if !members.contains(where: isGrade), let last = members.last {
            // Everything up to the last value, as it came, then the grade.
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[..<last.value.upperBound]))
            out.append(UInt8(ascii: ","))
        } else {
            // Re-grading: the other members as they came, the old grade left out.
            out.append(UInt8(ascii: "{"))
            for m in members where !isGrade(m) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[(m.key.lowerBound - 1)..<m.value.upperBound]))
                out.append(UInt8(ascii: ","))
            }
        }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: RawRecord.gradeKey)
        out.append(contentsOf: #"":"#.utf8)
        grade.write(into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// The byte scanner behind `init`.
    private struct Scanner {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        func fail(_ message: String, useParser: Bool = false) -> Failure {
            Failure(message: message, column: i + 1, useParser: useParser)
        }

        mutating func skipSpace() {
            while i < b.count {
                let c = b[i]
                if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { break }
            }
        }

        mutating func value(depth: Int) throws(Failure) {
            guard i < b.count else { throw fail("unexpected end of line") }
            if depth > 512 { throw fail("nesting is too deep") }
            switch b[i] {
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "{"):
                i += 1
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return }
                while true {
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                    _ = try string()
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
                    i += 1
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    guard i < b.count else { throw fail("unexpected end of line") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return }
                    throw fail("expected ',' or '}' in an object")
                }
            case UInt8(ascii: "["):
                i += 1
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return }
                while true {
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    guard i < b.count else { throw fail("unexpected end of line") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return }
                    throw fail("expected ',' or ']' in an array")
                }
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw fail("unexpected character")
            }
        }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count else { throw fail("unexpected end of line") }
            let ok = word.withUTF8Buffer { w in (0..<n).allSatisfy { b[i + $0] == w[$0] } }
            guard ok else { throw fail("unexpected character") }
            i += n
        }

        mutating func number() throws(Failure) {
            if b[i] == UInt8(ascii: "-") { i += 1 }
            func digit(_ k: Int) -> Bool { k < b.count && b[k] >= 0x30 && b[k] <= 0x39 }
            guard digit(i) else { throw fail("bad number") }
            if b[i] == 0x30 { i += 1 } else { while digit(i) { i += 1 } }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard digit(i) else { throw fail("bad number") }
                while digit(i) { i += 1 }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard digit(i) else { throw fail("bad number") }
                while digit(i) { i += 1 }
            }
        }

        /// Past a string starting at `i` (the opening quote); true when it holds escapes.
        mutating func string() throws(Failure) -> Bool {
            i += 1
            var escaped = false
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; return escaped }
                if c == UInt8(ascii: "\\") {
                    escaped = true
                    guard i + 1 < b.count else { throw fail("unexpected end of line") }
                    switch b[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                    case UInt8(ascii: "u"):
                        guard i + 6 <= b.count else { throw fail("bad \\u escape") }
                        for k in (i + 2)..<(i + 6) {
                            let h = b[k]
                            guard (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66) else {
                                throw fail("bad \\u escape")
                            }
                        }
                        i += 6
                    default:
                        throw fail("bad escape")
                    }
                    continue
                }
                if c < 0x20 { throw fail("control character in string") }
                if c < 0x80 { i += 1; continue }
                // UTF-8: a lead byte and its continuation bytes, no overlong or surrogate forms.
                let need: Int
                if c >= 0xC2 && c <= 0xDF { need = 1 } else if c >= 0xE0 && c <= 0xEF { need = 2 } else if c >= 0xF0 && c <= 0xF4 { need = 3 } else {
                    throw fail("invalid UTF-8", useParser: true)
                }
                guard i + need < b.count else { throw fail("invalid UTF-8", useParser: true) }
                for k in 1...need where b[i + k] & 0xC0 != 0x80 { throw fail("invalid UTF-8", useParser: true) }
                if c == 0xE0, b[i + 1] < 0xA0 { throw fail("invalid UTF-8", useParser: true) }
                if c == 0xED, b[i + 1] > 0x9F { throw fail("invalid UTF-8", useParser: true) }
                if c == 0xF0, b[i + 1] < 0x90 { throw fail("invalid UTF-8", useParser: true) }
                if c == 0xF4, b[i + 1] > 0x8F { throw fail("invalid UTF-8", useParser: true) }
                i += need + 1
            }
            throw fail("unexpected end of line")
        }
    }
}
