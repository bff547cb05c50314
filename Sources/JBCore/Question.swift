/// The canonical round names.
public enum Round: String, Sendable, CaseIterable, Codable {
    case jeopardy = "Jeopardy!"
    case doubleJeopardy = "Double Jeopardy!"
    case finalJeopardy = "Final Jeopardy!"
    case tiebreaker = "Tiebreaker"
    /// Only in a few special matches of the j-archive `extra_matches` file.
    case tripleJeopardy = "Triple Jeopardy!"

    /// Reads any spelling the data sets use: the canonical names, j-archive's `1`/`2`/`3`,
    /// `single`/`double`/`triple`/`final`, and short forms like `J`, `DJ`, `FJ`.
    public init?(parsing text: String) {
        let t = text.trimmingASCIISpace().lowercased()
        switch t {
        case "jeopardy!", "jeopardy", "1", "single", "j", "jeopardy round": self = .jeopardy
        case "double jeopardy!", "double jeopardy", "2", "double", "dj": self = .doubleJeopardy
        case "final jeopardy!", "final jeopardy", "3", "final", "fj": self = .finalJeopardy
        case "tiebreaker", "tie-breaker", "tiebreaker!", "tb": self = .tiebreaker
        case "triple jeopardy!", "triple jeopardy", "triple", "tj": self = .tripleJeopardy
        default: return nil
        }
    }

    /// The board values' step before the 2001-11-26 doubling (row 1 = one step), or nil
    /// for rounds without a board.
    public var classicStep: Int? {
        switch self {
        case .jeopardy: return 100
        case .doubleJeopardy: return 200
        case .tripleJeopardy: return 300
        case .finalJeopardy, .tiebreaker: return nil
        }
    }
}

/// A Jeopardy! clue: the record jb-ingest and jb-sample write.
///
/// Unknown fields read from input are kept in `extra` and written back unchanged.
public struct Question: Equatable, Sendable {
    /// Stable content id: see `Question.makeID`.
    public var id: String
    /// The show number, when the source has one.
    public var showNumber: Int?
    /// The air date, `YYYY-MM-DD`.
    public var airDate: String?
    /// The canonical round name.
    public var round: String
    /// The category as shown on the board.
    public var category: String
    /// The board value in dollars; nil for Final Jeopardy, Tiebreakers and unknown slots.
    public var value: Int?
    /// Whether the clue was a Daily Double; nil when the source cannot tell.
    public var dailyDouble: Bool?
    /// The contestant's Daily Double wager, when known.
    public var wager: Int?
    /// The clue text as read out.
    public var clue: String
    /// The correct response as the archive records it.
    public var answer: String
    /// True when the clue depends on a picture, audio or video.
    public var media: Bool
    /// Board row 1-5 (1 easiest) from the value, normalised across the 2001 doubling.
    public var difficulty: Int?
    /// Every other field, passed through unchanged.
    public var extra: JSONObject

    /// Creates a question.
    public init(id: String = "", showNumber: Int? = nil, airDate: String? = nil, round: String,
                category: String, value: Int? = nil, dailyDouble: Bool? = nil, wager: Int? = nil,
                clue: String, answer: String, media: Bool = false, difficulty: Int? = nil,
                extra: JSONObject = [:]) {
        self.id = id
        self.showNumber = showNumber
        self.airDate = airDate
        self.round = round
        self.category = category
        self.value = value
        self.dailyDouble = dailyDouble
        self.wager = wager
        self.clue = clue
        self.answer = answer
        self.media = media
        self.difficulty = difficulty
        self.extra = extra
    }

    /// A question record's keys.
    public enum Key: String, RecordKey {
        case id
        case showNumber = "show_number"
        case airDate = "air_date"
        case round, category, value
        case dailyDouble = "daily_double"
        case wager, clue, answer, media, difficulty
    }

    /// The keys this struct owns; everything else goes to `extra`.
    public static let knownKeys: Set<String> = Set(Key.names)

    /// Reads a question record; `fail` builds the located error.
    public init(json o: JSONObject, fail: @escaping (String) -> JBError) throws {
        let f = FieldReader(o, fail: fail)
        id = try f.string(Key.id)
        showNumber = try f.optionalInt(Key.showNumber)
        airDate = try f.optionalString(Key.airDate)
        round = try f.string(Key.round)
        category = try f.optionalString(Key.category) ?? ""
        value = try f.optionalInt(Key.value)
        dailyDouble = try f.optionalBool(Key.dailyDouble)
        wager = try f.optionalInt(Key.wager)
        clue = try f.string(Key.clue)
        answer = try f.string(Key.answer)
        media = try f.optionalBool(Key.media) ?? false
        difficulty = try f.optionalInt(Key.difficulty)
        extra = o.filter { !Question.knownKeys.contains($0.key) }
    }

    /// The record as JSON; `wager` appears only when known.
    public var json: JSONObject {
        var o = extra
        o[Key.id] = .string(id)
        o[Key.showNumber] = JSON(showNumber)
        o[Key.airDate] = JSON(airDate)
        o[Key.round] = .string(round)
        o[Key.category] = .string(category)
        o[Key.value] = JSON(value)
        o[Key.dailyDouble] = JSON(dailyDouble)
        if let wager { o[Key.wager] = .int(Int64(wager)) }
        o[Key.clue] = .string(clue)
        o[Key.answer] = .string(answer)
        o[Key.media] = .bool(media)
        o[Key.difficulty] = JSON(difficulty)
        return o
    }

    /// Appends the record's compact JSON, keys sorted, without building a dictionary: the
    /// same bytes as `JSONSerializer.writeObject(json)`, several times faster (jb-ingest's hot path).
    public func writeJSON(into out: inout [UInt8]) {
        var extras: [(key: String, value: JSON)] = []
        if !extra.isEmpty {
            extras = extra.filter { !Question.knownKeys.contains($0.key) }
                .sorted { JSONSerializer.utf8Less($0.key, $1.key) }
        }
        var next = 0
        var first = true
        @inline(__always) func key(_ k: StaticString) {
            // Extra fields whose names sort before this known one go first.
            while next < extras.count && extras[next].key.utf8.lexicographicallyPrecedes(
                UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount)) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONSerializer.writeString(extras[next].key, into: &out)
                out.append(UInt8(ascii: ":"))
                JSONSerializer.write(extras[next].value, into: &out)
                next += 1
            }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
            out.append(contentsOf: "\":".utf8)
        }
        @inline(__always) func int(_ v: Int?) {
            if let v { JSONSerializer.appendInteger(Int64(v), into: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(UInt8(ascii: "{"))
        key("air_date")
        if let airDate { JSONSerializer.writeString(airDate, into: &out) } else { out.append(contentsOf: "null".utf8) }
        key("answer"); JSONSerializer.writeString(answer, into: &out)
        key("category"); JSONSerializer.writeString(category, into: &out)
        key("clue"); JSONSerializer.writeString(clue, into: &out)
        key("daily_double")
        switch dailyDouble {
        case true?: out.append(contentsOf: "true".utf8)
        case false?: out.append(contentsOf: "false".utf8)
        case nil: out.append(contentsOf: "null".utf8)
        }
        key("difficulty"); int(difficulty)
        key("id"); JSONSerializer.writeString(id, into: &out)
        key("media"); out.append(contentsOf: (media ? "true" : "false").utf8)
        key("round"); JSONSerializer.writeString(round, into: &out)
        key("show_number"); int(showNumber)
        key("value"); int(value)
        if let wager { key("wager"); int(wager) }
        while next < extras.count {
            out.append(UInt8(ascii: ","))
            JSONSerializer.writeString(extras[next].key, into: &out)
            out.append(UInt8(ascii: ":"))
            JSONSerializer.write(extras[next].value, into: &out)
            next += 1
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The stable id of a clue: the first 16 hex digits of the SHA-256 of
    /// `air_date ␟ round ␟ key(category) ␟ key(clue)`, where `key` lowercases and keeps only
    /// letters and digits, so the same clue read from any format gets the same id. Media
    /// links, when the source has them, follow (`␟ link…`): picture clues that read the same
    /// but show different pictures stay distinct.
    public static func makeID(airDate: String?, round: String, category: String, clue: String,
                              mediaLinks: [String] = []) -> String {
        var key: [UInt8] = []
        key.reserveCapacity(category.utf8.count + clue.utf8.count + 40)
        key.append(contentsOf: (airDate ?? "").utf8)
        key.append(0x1F)
        key.append(contentsOf: round.utf8)
        key.append(0x1F)
        appendIDKey(category, to: &key)
        key.append(0x1F)
        appendIDKey(clue, to: &key)
        for link in mediaLinks {
            key.append(0x1F)
            key.append(contentsOf: link.utf8)
        }
        return ContentHash.shortHex(bytes: key)
    }

    /// Lowercase letters and digits only: the form of text that goes into an id.
    public static func idKey(_ text: String) -> String {
        var out: [UInt8] = []
        appendIDKey(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendIDKey(_ text: String, to out: inout [UInt8]) {
        var text = text
        let isASCII = text.withUTF8 { b in b.allSatisfy { $0 < 0x80 } }
        if isASCII {
            text.withUTF8 { b in
                for c in b {
                    if c >= 0x61 && c <= 0x7A || c >= 0x30 && c <= 0x39 {
                        out.append(c)
                    } else if c >= 0x41 && c <= 0x5A {
                        out.append(c | 0x20)
                    }
                }
            }
            return
        }
        // Rare: non-ASCII text, scalar by scalar with Unicode properties.
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let v = scalar.value
                if v >= 0x61 && v <= 0x7A || v >= 0x30 && v <= 0x39 {
                    scalars.append(scalar)
                } else if v >= 0x41 && v <= 0x5A {
                    scalars.append(Unicode.Scalar(v + 0x20)!)
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        out.append(contentsOf: String(scalars).utf8)
    }

    /// Board row 1-5 from a board value: values are divided by the round's step, which
    /// doubled on 2001-11-26. Nil for Final Jeopardy, Tiebreakers, unknown values and
    /// values that are not a board slot of that era.
    public static func difficulty(value: Int?, round: Round?, airDate: String?) -> Int? {
        guard let value, value > 0, let step = round?.classicStep else { return nil }
        let doubled = (airDate ?? "9999") >= "2001-11-26"
        let s = doubled ? step * 2 : step
        guard value % s == 0 else { return nil }
        let row = value / s
        return (1...5).contains(row) ? row : nil
    }
}

/// Reads typed fields from a record with located, specific errors.
public struct FieldReader {
    /// The record being read.
    public let object: JSONObject
    private let fail: (String) -> JBError

    /// Reads from `object`; `fail` builds an error located at the record.
    public init(_ object: JSONObject, fail: @escaping (String) -> JBError) {
        self.object = object
        self.fail = fail
    }

    /// A required string.
    public func string(_ key: String) throws -> String {
        guard let v = object[key] else { throw fail("missing field \"\(key)\"") }
        guard case .string(let s) = v else { throw fail("field \"\(key)\": expected a string, found \(v.typeName)") }
        return s
    }

    /// A string, or nil when absent or null.
    public func optionalString(_ key: String) throws -> String? {
        guard let v = object[key], !v.isNull else { return nil }
        guard case .string(let s) = v else { throw fail("field \"\(key)\": expected a string, found \(v.typeName)") }
        return s
    }

    /// An integer, or nil when absent or null.
    public func optionalInt(_ key: String) throws -> Int? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let i = v.intValue else { throw fail("field \"\(key)\": expected an integer, found \(v.typeName)") }
        return i
    }

    /// A number, or nil when absent or null.
    public func optionalDouble(_ key: String) throws -> Double? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let d = v.doubleValue else { throw fail("field \"\(key)\": expected a number, found \(v.typeName)") }
        return d
    }

    /// A boolean, or nil when absent or null.
    public func optionalBool(_ key: String) throws -> Bool? {
        guard let v = object[key], !v.isNull else { return nil }
        guard case .bool(let b) = v else { throw fail("field \"\(key)\": expected true or false, found \(v.typeName)") }
        return b
    }

    /// An object, or nil when absent or null.
    public func optionalObject(_ key: String) throws -> JSONObject? {
        guard let v = object[key], !v.isNull else { return nil }
        guard case .object(let o) = v else { throw fail("field \"\(key)\": expected an object, found \(v.typeName)") }
        return o
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and line breaks.
    public func trimmingASCIISpace() -> String {
        let u = utf8
        guard let first = u.firstIndex(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else { return "" }
        let last = u.lastIndex(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) })!
        return String(self[first...last])
    }
}
