import Foundation
import GRDB
import JBCore

/// A jb results database: a SQLite file in WAL mode (readers never wait for a load, and a
/// load never waits for readers), migrated to the current schema when opened.
public final class StoreDatabase {
    /// The path as given, for messages.
    public let path: String
    let pool: DatabasePool

    /// Opens (and with `create`, creates) the database at `path`, waiting up to
    /// `busyTimeout` seconds for another writer's lock.
    public init(path: String, create: Bool, busyTimeout: Double = StoreSetting.busyTimeout.defaultValue) throws {
        self.path = path
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw JBError.cannotOpen(path: path, reason: "no such database")
        }
        var config = Configuration()
        config.busyMode = .timeout(max(0, busyTimeout))
        config.label = "jb-store"
        do {
            let migrator = StoreSchema.migrator
            // A reader opens read-only, so it never needs the write lock a load may hold;
            // only a database that needs migrating is reopened for writing.
            if !create {
                var readOnly = config
                readOnly.readonly = true
                let reader = try DatabasePool(path: path, configuration: readOnly)
                let (applied, newer) = try reader.read { db in
                    (try migrator.appliedMigrations(db), try migrator.hasBeenSuperseded(db))
                }
                if newer { throw StoreDatabase.newerSchema(path) }
                if applied == StoreSchema.versions {
                    pool = reader
                    return
                }
                try reader.close()
            }
            pool = try DatabasePool(path: path, configuration: config)
            let (applied, newer) = try pool.read { db in
                (try migrator.appliedMigrations(db), try migrator.hasBeenSuperseded(db))
            }
            if newer { throw StoreDatabase.newerSchema(path) }
            if applied != StoreSchema.versions {
                try migrator.migrate(pool)
                try pool.write(StoreSchema.refreshAllRuns)
            }
        } catch let error as JBError {
            throw error
        } catch {
            throw StoreDatabase.describe(error, path: path, opening: true, create: create)
        }
    }

    static func newerSchema(_ path: String) -> JBError {
        .cannotOpen(path: path, reason: "the database was made by a newer jb-store; upgrade jb-store to use it")
    }

    /// The schema versions applied to this database, oldest first.
    public func schemaVersions() throws -> [String] {
        try run { db in try StoreSchema.migrator.appliedMigrations(db) }
    }

    /// Runs a read in a consistent snapshot, mapping SQLite errors to `JBError`.
    func run<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as JBError {
            throw error
        } catch {
            throw StoreDatabase.describe(error, path: path, opening: false, create: false)
        }
    }

    /// Every run with its headline figures.
    public func runs() throws -> [RunSummary] {
        try run(RunSummary.all)
    }

    /// Copies the whole database, consistently even while a load is running, into `destination`
    /// with SQLite's online backup API.
    public func backup(to destination: String, overwrite: Bool) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination) {
            guard overwrite else {
                throw JBError.cannotCreate(path: destination, reason: "file exists (use --force to replace it)")
            }
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: destination + suffix) }
        }
        let target: DatabaseQueue
        do {
            target = try DatabaseQueue(path: destination)
        } catch {
            throw JBError.cannotCreate(path: destination, reason: StoreDatabase.sqliteMessage(error))
        }
        do {
            try pool.backup(to: target)
        } catch {
            try? target.close()
            for suffix in ["", "-wal", "-shm", "-journal"] { try? fm.removeItem(atPath: destination + suffix) }
            throw StoreDatabase.describe(error, path: path, opening: false, create: false)
        }
        try? target.close()
    }

    /// The SQLite message of an error, without GRDB's decoration.
    static func sqliteMessage(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return "\(error)"
    }

    /// A clear `JBError` for a SQLite failure on the database at `path`.
    static func describe(_ error: Error, path: String, opening: Bool, create: Bool) -> JBError {
        guard let e = error as? DatabaseError else {
            return .internal("\(path): \(error)")
        }
        switch e.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            let reason = "not a valid SQLite database (file is corrupt or of another kind)"
            return create ? .cannotCreate(path: path, reason: reason) : .cannotOpen(path: path, reason: reason)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .io(path: path, reason: "database is locked by another process")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            let reason = sqliteMessage(e)
            return opening && !create ? .cannotOpen(path: path, reason: reason) : .cannotCreate(path: path, reason: reason)
        case .SQLITE_FULL:
            return .io(path: path, reason: "disk full")
        default:
            return .io(path: path, reason: sqliteMessage(e))
        }
    }

    /// The environment a run is first loaded from, as a JSON object's text.
    static func environment(db: Database) throws -> String {
        var u = utsname()
        uname(&u)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
        }
        let sqlite = try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? ""
        let env: JSONObject = [
            "host": .string(field(u.nodename)), "os": .string("\(field(u.sysname)) \(field(u.release))"),
            "machine": .string(field(u.machine)), "sqlite": .string(sqlite), "loader": "jb-store",
            "schema": .string(StoreSchema.versions.last!),
        ]
        return JSONSerializer.string(.object(env))
    }
}
