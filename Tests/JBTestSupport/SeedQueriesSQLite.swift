import GRDB

extension SeedQueries {
    /// Runs `sql` on the SQLite database at `path`, each value normalised as `postgres(_:_:)`
    /// normalises PostgreSQL's, so the two engines' answers compare equal.
    public static func sqlite(_ path: String, _ sql: String) throws -> [[String]] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { v -> String in
                    switch v.storage {
                    case .null: return normalize(nil)
                    case .int64(let i): return normalize(String(i))
                    case .double(let d): return normalize(String(d))
                    case .string(let s): return normalize(s)
                    case .blob: return "BLOB"
                    }
                }
            }
        }
    }
}
