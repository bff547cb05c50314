import GRDB
import GRDBSQLite
import JBCore

/// Writes stored records back out as JSON Lines, exactly as they were loaded (canonical
/// text, every field kept), in the order they were first loaded.
public struct StoreExporter {
    /// What to export.
    public enum Kind: String, Sendable, CaseIterable {
        case questions, responses, grades, metrics
    }

    /// Only records of this run (questions: those asked in it).
    public var run: String?
    /// Only records of these models (questions: those asked of them).
    public var models: [String] = []
    /// Only grades in this mode (grades only).
    public var mode: String?

    public init(run: String? = nil, models: [String] = [], mode: String? = nil) {
        self.run = run
        self.models = models
        self.mode = mode
    }

    /// Writes every matching record of `kind` from `database` to `writer`, from one
    /// consistent snapshot (a load running meanwhile is either in or out, batch by batch).
    /// Returns the number of records written.
    @discardableResult
    public func export(_ kind: Kind, from database: StoreDatabase, to writer: JSONLWriter) throws -> Int {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let run {
            conditions.append("run_id = ?")
            arguments.append(run)
        }
        if !models.isEmpty {
            conditions.append("model IN (\(Array(repeating: "?", count: models.count).joined(separator: ", ")))")
            arguments += models.map { $0 as DatabaseValueConvertible? }
        }
        let sql: String
        switch kind {
        case .questions:
            let filter = conditions.isEmpty ? ""
                : " WHERE id IN (SELECT question_id FROM benchmark_results WHERE \(conditions.joined(separator: " AND ")))"
            sql = "SELECT record FROM questions\(filter) ORDER BY rowid"
        case .responses:
            // A response graded in several modes has a row per mode: write it once.
            let filter = conditions.isEmpty ? "" : " WHERE \(conditions.joined(separator: " AND "))"
            sql = "SELECT record, min(rowid) AS first FROM benchmark_results\(filter) GROUP BY key ORDER BY first"
        case .grades:
            conditions.insert("grade_mode <> ''", at: 0)
            if let mode {
                conditions.append("grade_mode = ?")
                arguments.append(mode)
            }
            sql = "SELECT record, grade FROM benchmark_results WHERE \(conditions.joined(separator: " AND ")) ORDER BY rowid"
        case .metrics:
            let filter = conditions.isEmpty ? "" : " WHERE \(conditions.joined(separator: " AND "))"
            sql = "SELECT record FROM model_performance\(filter) ORDER BY rowid"
        }
        return try database.run { db in
            var count = 0
            var line: [UInt8] = []
            let statement = try db.makeStatement(sql: sql)
            statement.setUncheckedArguments(StatementArguments(arguments))
            // Stepped through SQLite's C API: each stored text is written from SQLite's own
            // buffer, without a row object or a string made of it.
            let h = statement.sqliteStatement
            func column(_ k: Int32) -> UnsafeBufferPointer<UInt8>? {
                guard let p = sqlite3_column_text(h, k) else { return nil }
                return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, k)))
            }
            while true {
                let rc = sqlite3_step(h)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc),
                                        message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
                }
                guard let text = column(0) else {
                    throw JBError.internal("\(database.path): a stored record has no text")
                }
                if kind == .grades, let gradeText = column(1) {
                    line.removeAll(keepingCapacity: true)
                    if !StoreExporter.splice(text, key: "grade", value: gradeText, into: &line) {
                        guard case .object(var record) = try JSONParser.parse(text),
                              let grade = try? JSONParser.parse(gradeText) else {
                            throw JBError.internal("\(database.path): a stored grade is not a JSON object")
                        }
                        record["grade"] = grade
                        line.removeAll(keepingCapacity: true)
                        JSONSerializer.writeObject(record, into: &line)
                    }
                    try writer.writeLine(line)
                } else {
                    try writer.writeLine(text)
                }
                count += 1
            }
            return count
        }
    }

    /// Writes the compact, key-sorted JSON object `object` (a stored record's canonical text)
    /// with `"key":value` added in its place among the keys, the same bytes as parsing the
    /// object, adding the field and writing it again, at a fraction of the cost. False (and
    /// nothing certain in `out`) when the text is not of the plain shape this needs: a key
    /// with an escape in it, or one equal to `key`.
    static func splice(_ b: UnsafeBufferPointer<UInt8>, key: StaticString, value: UnsafeBufferPointer<UInt8>,
                       into out: inout [UInt8]) -> Bool {
        let k = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        guard b.count >= 2, b.first == UInt8(ascii: "{"), b.last == UInt8(ascii: "}") else { return false }
        var i = 1
        var insertAt = b.count - 1
        let n = b.count - 1
        scan: while i < n {
            // A key.
            guard b[i] == UInt8(ascii: "\"") else { return false }
            let keyStart = i + 1
            var j = keyStart
            while j < n && b[j] != UInt8(ascii: "\"") {
                if b[j] == UInt8(ascii: "\\") { return false }
                j += 1
            }
            guard j < n else { return false }
            let name = b[keyStart..<j]
            if name.elementsEqual(k) { return false }
            if !name.lexicographicallyPrecedes(k) { insertAt = i; break scan }
            i = j + 1
            guard i < n, b[i] == UInt8(ascii: ":") else { return false }
            i += 1
            // Its value: up to the comma at depth 0.
            var depth = 0, inString = false, escaped = false
            while i < n {
                let c = b[i]
                if inString {
                    if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                } else if c == UInt8(ascii: "\"") {
                    inString = true
                } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    depth += 1
                } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                } else if c == UInt8(ascii: ",") && depth == 0 {
                    break
                }
                i += 1
            }
            if i >= n { break scan }
            i += 1  // the comma
        }
        out.reserveCapacity(b.count + value.count + key.utf8CodeUnitCount + 4)
        out.append(contentsOf: b[0..<insertAt])
        if insertAt > 1 && insertAt == n { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: k)
        out.append(contentsOf: "\":".utf8)
        out.append(contentsOf: value)
        if insertAt < n { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: b[insertAt...])
        return true
    }
}
