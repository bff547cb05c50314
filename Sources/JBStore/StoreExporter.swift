import GRDB
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
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            while let row = try rows.next() {
                let text: String = row[0]
                if kind == .grades, let gradeText: String = row[1] {
                    guard case .object(var record) = try JSONParser.parse(text),
                          let grade = try? JSONParser.parse(gradeText) else {
                        throw JBError.internal("\(database.path): a stored grade is not a JSON object")
                    }
                    record["grade"] = grade
                    try writer.write(record)
                } else {
                    try writer.writeLine(text.utf8)
                }
                count += 1
            }
            return count
        }
    }
}
