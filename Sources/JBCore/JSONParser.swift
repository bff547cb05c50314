/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// Hand-written rather than Foundation's `JSONSerialization` because jb needs integer
/// fidelity, exact error columns and speed on half a million lines.
public struct JSONParser {
    /// Why a text is not JSON, and where (1-based byte column).
    public struct Failure: Error, Equatable, Sendable {
        public var message: String
        public var column: Int
    }

    /// Parses one complete JSON value; trailing non-space bytes are an error.
    public static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> JSON {
        let array = ContiguousArray(bytes)
        return try array.withUnsafeBufferPointer { (buf) throws(Failure) -> JSON in
            var p = JSONParser(buf)
            p.skipSpace()
            let v = try p.value(depth: 0)
            p.skipSpace()
            if p.i < buf.count { throw p.fail("unexpected text after the JSON value") }
            return v
        }
    }

    /// Parses a string of JSON text.
    public static func parse(_ text: String) throws(Failure) -> JSON {
        try parse(Array(text.utf8))
    }

    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0
    private static let maxDepth = 512

    private init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    private func fail(_ message: String) -> Failure { Failure(message: message, column: i + 1) }

    private mutating func skipSpace() {
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { break }
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSON {
        guard i < b.count else { throw fail("unexpected end of line") }
        if depth > JSONParser.maxDepth { throw fail("nesting is too deep") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character \(JSONParser.describe(b[i]))")
        }
    }

    private static func describe(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x" + String(c, radix: 16, uppercase: true)
    }

    private mutating func literal(_ word: String) throws(Failure) {
        for c in word.utf8 {
            guard i < b.count, b[i] == c else { throw fail("invalid literal") }
            i += 1
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> JSON {
        i += 1
        // Room for a typical record's fields at once: growing a dictionary key by key cost a
        // fifth of the time of reading records.
        var result = JSONObject(minimumCapacity: 8)
        skipSpace()
        if i < b.count && b[i] == UInt8(ascii: "}") { i += 1; return .object(result) }
        while true {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let key = try string()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
            i += 1
            skipSpace()
            result[key] = try value(depth: depth + 1)
            skipSpace()
            guard i < b.count else { throw fail("unterminated object") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return .object(result) }
            throw fail("expected ',' or '}' in object")
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSON {
        i += 1
        var result: [JSON] = []
        skipSpace()
        if i < b.count && b[i] == UInt8(ascii: "]") { i += 1; return .array(result) }
        while true {
            skipSpace()
            result.append(try value(depth: depth + 1))
            skipSpace()
            guard i < b.count else { throw fail("unterminated array") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(result) }
            throw fail("expected ',' or ']' in array")
        }
    }

    private mutating func string() throws(Failure) -> String {
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("control character in string") }
            i += 1
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < b.count else { break }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    if i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                i -= 1
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= b.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    private mutating func number() throws(Failure) -> JSON {
        let start = i
        var isInteger = true
        var digits = 0
        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { throw fail("invalid number") }
        if b[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) { i += 1; digits += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { throw fail("invalid number") }
            while i < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) { i += 1; digits += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            isInteger = false
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { throw fail("invalid number") }
            while i < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) { i += 1 }
        }
        let span = UnsafeBufferPointer(rebasing: b[start..<i])
        if isInteger && digits <= 18 { return .int(JSONParser.smallInteger(span)) }
        let text = String(decoding: span, as: UTF8.self)
        if isInteger, let v = Int64(text) { return .int(v) }
        return JSONParser.number(text, digits: digits)
    }

    /// An integer of at most 18 digits (always fits in `Int64`), without making a string.
    @inline(__always)
    static func smallInteger(_ span: UnsafeBufferPointer<UInt8>) -> Int64 {
        var k = 0
        let negative = span[0] == UInt8(ascii: "-")
        if negative { k = 1 }
        var v: Int64 = 0
        while k < span.count {
            v = v &* 10 &+ Int64(span[k] &- UInt8(ascii: "0"))
            k += 1
        }
        return negative ? -v : v
    }

    /// A number that is not a 64-bit integer: a double when the double holds exactly the value
    /// the text says, else the text itself (`.number`), so no digit is lost on the way through.
    static func number(_ text: String, digits: Int) -> JSON {
        guard let d = Double(text), d.isFinite else { return .number(text) }
        // Up to 15 significant digits in the normal range always come back from a double.
        if digits <= 15 && (d == 0 || abs(d) >= Double.leastNormalMagnitude) {
            if d == 0 && JSONParser.hasNonZeroDigit(text) { return .number(text) }
            return .double(d)
        }
        return JSONParser.sameDecimal(text, "\(d)") ? .double(d) : .number(text)
    }

    static func hasNonZeroDigit(_ text: String) -> Bool {
        for c in text.utf8 {
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { return false }
            if c >= UInt8(ascii: "1") && c <= UInt8(ascii: "9") { return true }
        }
        return false
    }

    /// True when two decimal number texts denote the same value: same sign, same significant
    /// digits, same decimal exponent.
    static func sameDecimal(_ a: String, _ b: String) -> Bool {
        func normal(_ s: String) -> (negative: Bool, digits: [UInt8], exponent: Int)? {
            var negative = false, digits: [UInt8] = [], exponent = 0, pointSeen = false
            var u = Substring(s).utf8[...]
            if u.first == UInt8(ascii: "-") { negative = true; u = u.dropFirst() }
            var expText = Substring("")
            if let e = u.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
                expText = Substring(u[u.index(after: e)...])
                u = u[..<e]
            }
            var leading = true
            for c in u {
                if c == UInt8(ascii: ".") { pointSeen = true; continue }
                if leading && c == UInt8(ascii: "0") {
                    if pointSeen { exponent -= 1 }
                    continue
                }
                leading = false
                digits.append(c)
                if !pointSeen { exponent += 1 }
            }
            while digits.last == UInt8(ascii: "0") { digits.removeLast() }
            if !expText.isEmpty {
                guard let e = Int(expText.hasPrefix("+") ? expText.dropFirst() : expText) else { return nil }
                exponent += e
            }
            if digits.isEmpty { return (false, [], 0) }
            return (negative, digits, exponent)
        }
        guard let x = normal(a), let y = normal(b) else { return false }
        return x.negative == y.negative && x.digits == y.digits && x.exponent == y.exponent
    }
}
