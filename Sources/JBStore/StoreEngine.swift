import JBCore

/// What jb-store does to a database, whichever engine holds it: a SQLite file, or
/// PostgreSQL when the name is a `postgres://` URL.
public enum StoreEngine {
    /// The name to show in messages: the URL without its password, or the path.
    public static func displayName(_ database: String) -> String {
        DatabaseURL.redacted(database)
    }

    /// Every stored run with its headline figures.
    public static func runs(_ database: String, busyTimeout: Double) throws -> [RunSummary] {
        if DatabaseURL.isPostgres(database) {
            return try PostgresStore(url: database, create: false).runs()
        }
        return try StoreDatabase(path: database, create: false, busyTimeout: busyTimeout).runs()
    }

    /// Writes the stored records of `kind` that `exporter` selects; returns how many.
    @discardableResult
    public static func export(_ kind: StoreExporter.Kind, from database: String, exporter: StoreExporter,
                              to writer: JSONLWriter, busyTimeout: Double) throws -> Int {
        if DatabaseURL.isPostgres(database) {
            return try PostgresStore(url: database, create: false).export(kind, exporter, to: writer)
        }
        let db = try StoreDatabase(path: database, create: false, busyTimeout: busyTimeout)
        return try exporter.export(kind, from: db, to: writer)
    }

    /// Copies the database consistently into a new SQLite file.
    public static func backup(_ database: String, to destination: String, overwrite: Bool, busyTimeout: Double) throws {
        if DatabaseURL.isPostgres(destination) {
            throw JBError.usage("backup writes a SQLite file; to copy records into PostgreSQL, pipe `jb-store export` into `jb-store load URL`")
        }
        if DatabaseURL.isPostgres(database) {
            return try PostgresStore(url: database, create: false).backup(to: destination, overwrite: overwrite)
        }
        try StoreDatabase(path: database, create: false, busyTimeout: busyTimeout).backup(to: destination, overwrite: overwrite)
    }

    /// The schema versions applied to the database.
    public static func schemaVersions(_ database: String) throws -> [String] {
        if DatabaseURL.isPostgres(database) {
            return try PostgresStore(url: database, create: false).schemaVersions()
        }
        return try StoreDatabase(path: database, create: false).schemaVersions()
    }
}
