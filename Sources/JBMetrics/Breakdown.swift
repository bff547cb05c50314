import JBCore

/// One `--by` breakdown: the field whose values split a model's records into groups.
///
/// `year` and `decade` are derived from `air_date` (`1998`, `1990s`); any other name is a
/// record field, and a dotted name reaches into objects (`grade.method`, `params.temperature`)
/// unless the record has a top-level field with the dotted name itself. A record without the
/// field falls in the group whose value is null (`field=null`). Fields joined with `+`
/// (`round+difficulty`) cross: the group value is the array of the fields' values.
public struct Breakdown: Sendable, Equatable {
    /// The name given to `--by`.
    public var field: String
    /// The fields it crosses (one, unless the name joins several with `+`).
    public var parts: [String]

    /// A breakdown by `field`; an empty name is a usage error.
    public init(_ field: String) throws {
        let f = field.trimmingASCIISpace()
        let parts = f.split(separator: "+", omittingEmptySubsequences: false).map { String($0).trimmingASCIISpace() }
        guard !f.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw JBError.usage("--by \"\(field)\": expected a field name, e.g. --by category or --by round+difficulty")
        }
        self.field = parts.joined(separator: "+")
        self.parts = parts
    }

    /// The group value of a record: normalised so that `200` and `200.0` are one group; an
    /// array of values for a crossed breakdown.
    public func value(of record: JSONObject) -> JSON {
        if parts.count == 1 { return Self.value(of: record, field: field) }
        return .array(parts.map { Self.value(of: record, field: $0) })
    }

    static func value(of record: JSONObject, field: String) -> JSON {
        switch field {
        case "year":
            guard let y = Self.year(record["air_date"]) else { return .null }
            return .int(Int64(y))
        case "decade":
            guard let y = Self.year(record["air_date"]) else { return .null }
            return .string("\(y - y % 10)s")
        default:
            return Self.normalise(Self.lookup(field, in: record) ?? .null)
        }
    }

    static func year(_ v: JSON?) -> Int? {
        guard let s = v?.stringValue, s.utf8.count >= 4 else { return nil }
        let digits = s.utf8.prefix(4)
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    static func lookup(_ path: String, in record: JSONObject) -> JSON? {
        if let v = record[path] { return v }
        guard path.contains(".") else { return nil }
        var current: JSON = .object(record)
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard case .object(let o) = current, let next = o[String(part)] else { return nil }
            current = next
        }
        return current
    }

    static func normalise(_ v: JSON) -> JSON {
        if case .double(let d) = v, let i = v.intValue, Double(i) == d { return .int(Int64(i)) }
        return v
    }

    /// The `group` field of a group: `field=text`, where a crossed breakdown joins its values'
    /// texts with `+` as its name joins the fields (`round+difficulty=Jeopardy!+2`).
    public func group(_ v: JSON) -> String {
        if parts.count > 1, case .array(let values) = v {
            return field + "=" + values.map(Self.text).joined(separator: "+")
        }
        return field + "=" + Self.text(v)
    }

    /// The text of a group value in the `group` field: strings as they are, `null` for none,
    /// numbers and booleans as JSON writes them, arrays and objects as compact JSON.
    public static func text(_ v: JSON) -> String {
        if case .string(let s) = v { return s }
        return v.compactText
    }

    /// The order groups are written in: numbers (ascending), strings (byte order), false,
    /// true, arrays (element by element) and objects (by their JSON text), and null last.
    public static func precedes(_ a: JSON, _ b: JSON) -> Bool {
        func rank(_ v: JSON) -> Int {
            switch v {
            case .int, .double, .number: return 0
            case .string: return 1
            case .bool: return 2
            case .array, .object: return 3
            case .null: return 4
            }
        }
        let ra = rank(a), rb = rank(b)
        if ra != rb { return ra < rb }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.bool(let x), .bool(let y)): return !x && y
        case (.int(let x), .int(let y)): return x < y
        case (.array(let x), .array(let y)):
            for (u, v) in zip(x, y) where u != v { return precedes(u, v) }
            return x.count < y.count
        default:
            if ra == 0 {
                let x = a.doubleValue!, y = b.doubleValue!
                if x != y { return x < y }
            }
            return a.compactText.utf8.lexicographicallyPrecedes(b.compactText.utf8)
        }
    }
}
