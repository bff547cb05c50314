/// A JSON value, kept exactly enough to pass unknown fields through unchanged.
///
/// Integers that fit in 64 bits stay integers; other numbers are doubles, unless no double
/// holds their value exactly (a 30-digit integer, `1e400`, a 20-digit fraction): those keep
/// their text (`number`) and are written back as they came. Objects are unordered here and
/// written with sorted keys, so output is byte-stable.
public enum JSON: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    /// A number no `Int64` or `Double` holds exactly, as its JSON text (valid JSON number
    /// syntax, checked by the parser): passed through unchanged; read as the nearest double.
    case number(String)
    case string(String)
    case array([JSON])
    case object([String: JSON])
}

/// A JSON object: the shape of every jb record.
public typealias JSONObject = [String: JSON]

extension JSON {
    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, if this is an integer or a double with no fractional part.
    public var intValue: Int? {
        switch self {
        case .int(let i): return Int(exactly: i)
        case .double(let d): return d.rounded() == d && abs(d) < 9.0e15 ? Int(d) : nil
        case .number(let text): return Int(text)
        default: return nil
        }
    }

    /// The number as a double, if this is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .number(let text): return Double(text)
        default: return nil
        }
    }

    /// The boolean, if this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The object, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The array, if this is an array.
    public var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// True for `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A short name of the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double, .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Wraps an optional string, mapping nil to `null`.
    public init(_ value: String?) { self = value.map(JSON.string) ?? .null }
    /// Wraps an optional integer, mapping nil to `null`.
    public init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }
    /// Wraps an optional double, mapping nil (and non-finite values) to `null`.
    public init(_ value: Double?) {
        guard let v = value, v.isFinite else { self = .null; return }
        self = .double(v)
    }
    /// Wraps an optional boolean, mapping nil to `null`.
    public init(_ value: Bool?) { self = value.map(JSON.bool) ?? .null }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
