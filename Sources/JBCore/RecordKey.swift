/// The JSON keys of one record kind, each written once (as the case's raw value): readers,
/// writers and jb-store's columns all name a field through it.
public protocol RecordKey: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

extension RecordKey {
    /// Every key's name, in declaration order.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// Every key's name, sorted as jb writes keys (byte-wise UTF-8).
    public static var sortedNames: [String] { names.sorted { JSONSerializer.utf8Less($0, $1) } }
}

extension Dictionary where Key == String, Value == JSON {
    /// The field named by a record key.
    @inlinable
    public subscript<K: RecordKey>(_ key: K) -> JSON? {
        get { self[key.rawValue] }
        set { self[key.rawValue] = newValue }
    }
}

extension FieldReader {
    /// A required string.
    public func string<K: RecordKey>(_ key: K) throws -> String { try string(key.rawValue) }
    /// A string, or nil when absent or null.
    public func optionalString<K: RecordKey>(_ key: K) throws -> String? { try optionalString(key.rawValue) }
    /// An integer, or nil when absent or null.
    public func optionalInt<K: RecordKey>(_ key: K) throws -> Int? { try optionalInt(key.rawValue) }
    /// A number, or nil when absent or null.
    public func optionalDouble<K: RecordKey>(_ key: K) throws -> Double? { try optionalDouble(key.rawValue) }
    /// A boolean, or nil when absent or null.
    public func optionalBool<K: RecordKey>(_ key: K) throws -> Bool? { try optionalBool(key.rawValue) }
    /// An object, or nil when absent or null.
    public func optionalObject<K: RecordKey>(_ key: K) throws -> JSONObject? { try optionalObject(key.rawValue) }
}
