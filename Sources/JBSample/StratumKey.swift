import JBCore

/// One thing to stratify by: a value derived from a question record, or any field of it.
public enum StratumKey: Equatable, Hashable, Sendable {
    /// The `category` field.
    case category
    /// The `round` field.
    case round
    /// The `difficulty` field (board row 1–5).
    case difficulty
    /// The `value` field (board value in dollars).
    case value
    /// The year of `air_date`.
    case year
    /// The decade of `air_date`, e.g. `1990s`.
    case decade
    /// Any other field of the record, by its exact name.
    case field(String)

    /// The derived keys, by name.
    public static let builtIn: [StratumKey] = [.category, .round, .difficulty, .value, .year, .decade]

    /// The label of a record that has no value for the key.
    public static let none = "(none)"

    /// Parses a name: a built-in key or a field name.
    public init(name: String) {
        switch name {
        case "category": self = .category
        case "round": self = .round
        case "difficulty": self = .difficulty
        case "value": self = .value
        case "year": self = .year
        case "decade": self = .decade
        default: self = .field(name)
        }
    }

    /// Parses `KEY[,KEY…]`; an empty key or a key given twice is a usage error.
    public static func parseList(_ text: String) throws -> [StratumKey] {
        var keys: [StratumKey] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = String(part).trimmingASCIISpace()
            guard !name.isEmpty else {
                throw JBError.usage("--stratify \"\(text)\": empty key (expected KEY[,KEY…], e.g. round,decade)")
            }
            let key = StratumKey(name: name)
            guard !keys.contains(key) else { throw JBError.usage("--stratify \"\(text)\": \"\(name)\" given twice") }
            keys.append(key)
        }
        return keys
    }

    /// The name as given on the command line.
    public var name: String {
        switch self {
        case .category: return "category"
        case .round: return "round"
        case .difficulty: return "difficulty"
        case .value: return "value"
        case .year: return "year"
        case .decade: return "decade"
        case .field(let f): return f
        }
    }

    /// The record field a `.field` key reads, or nil for the derived keys.
    public var fieldName: String? {
        if case .field(let f) = self { return f }
        return nil
    }

    /// The key's value for a record, as text: strings as they are, numbers and booleans in
    /// JSON form, `(none)` for a missing or null value.
    public func label(of record: JSONObject) -> String {
        switch self {
        case .category: return StratumKey.text(record["category"])
        case .round: return StratumKey.text(record["round"])
        case .difficulty: return StratumKey.text(record["difficulty"])
        case .value: return StratumKey.text(record["value"])
        case .year:
            guard let y = StratumKey.year(record) else { return StratumKey.none }
            return String(y)
        case .decade:
            guard let y = StratumKey.year(record) else { return StratumKey.none }
            return "\(y / 10 * 10)s"
        case .field(let f): return StratumKey.text(record[f])
        }
    }

    static func year(_ record: JSONObject) -> Int? {
        guard case .string(let date)? = record["air_date"], date.utf8.count >= 4 else { return nil }
        return Int(date.prefix(4))
    }

    static func text(_ value: JSON?) -> String {
        switch value {
        case nil, .null?: return none
        case .string(let s)?: return s
        case let v?: return v.compactText
        }
    }
}

/// Orders stratum labels: numbers numerically (so `value=200` comes before `value=1000`),
/// everything else byte-wise, `(none)` last.
func labelLess(_ a: [String], _ b: [String]) -> Bool {
    for (x, y) in zip(a, b) where x != y {
        if x == StratumKey.none { return false }
        if y == StratumKey.none { return true }
        if let i = Int(x), let j = Int(y) { return i < j }
        if let i = Int(x.dropLast()), let j = Int(y.dropLast()), x.hasSuffix("s"), y.hasSuffix("s") { return i < j }
        return x.utf8.lexicographicallyPrecedes(y.utf8)
    }
    return a.count < b.count
}
