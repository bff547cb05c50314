/// One line of a JSON Lines file read as a record: the one place that decides what a blank
/// line is, skips a UTF-8 byte order mark before the first line, and words a bad line
/// (`not valid JSON: … at column N`, `expected a JSON object, found …`). `JSONLReader`,
/// jb-store's loader and jb-query's resume scan all read their lines through it.
public enum JSONLine {
    /// The record on line `number` of `source`: nil for a blank line (spaces, tabs, a CR).
    public static func record(_ line: UnsafeBufferPointer<UInt8>, source: String, number: Int) -> Result<JSONObject?, JBError> {
        // A UTF-8 byte order mark before the first line is not part of the record.
        let line = number == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) ? UnsafeBufferPointer(rebasing: line[3...]) : line
        if isBlank(line) { return .success(nil) }
        do {
            let value = try JSONParser.parse(line)
            guard case .object(let o) = value else {
                return .failure(.badRecord(source: source, line: number, message: notAnObject(value)))
            }
            return .success(o)
        } catch {
            return .failure(.badRecord(source: source, line: number, message: invalid(error)))
        }
    }

    /// The same for a line held in an array slice.
    public static func record(_ line: ArraySlice<UInt8>, source: String, number: Int) -> Result<JSONObject?, JBError> {
        line.withUnsafeBufferPointer { record($0, source: source, number: number) }
    }

    /// Whether a line holds nothing but spaces, tabs and carriage returns.
    public static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in line where !(c == 0x20 || c == 0x09 || c == 0x0D) { return false }
        return true
    }

    /// How a line that does not parse is described.
    public static func invalid(_ error: JSONParser.Failure) -> String {
        "not valid JSON: \(error.message) at column \(error.column)"
    }

    /// How a line holding JSON other than an object is described.
    public static func notAnObject(_ value: JSON) -> String {
        "expected a JSON object, found \(value.typeName)"
    }
}
