import Foundation
import GRDB
import JBCore
import JBPostgres

/// The response cache: answers by content key, in SQLite, so a repeated run is free.
///
/// WAL mode with a busy timeout makes it safe for several jb-query processes to share one
/// file. Only answers are stored, never errors, and never an API key (the key is not part of
/// the content key, and no header is stored).
///
/// Given a `postgres://` URL instead of a file, the same table lives in PostgreSQL, so
/// shards on many machines share one cache and never pay twice for the same request (the
/// key is computed the same way; only where it is kept differs).
public final class ResponseCache: Sendable {
    private let pool: DatabasePool?
    private let postgres: PostgresCache?
    /// The database file, or the URL without its password.
    public let path: String

    /// `responses.sqlite` in jb's cache folder (`CacheFolder`).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        CacheFolder.path(environment: environment) + "/responses.sqlite"
    }

    /// Opens (creating if needed) the cache at `path`.
    public init(path: String) throws {
        if DatabaseURL.isPostgres(path) {
            self.path = DatabaseURL.redacted(path)
            pool = nil
            do {
                postgres = try PostgresCache(url: path)
            } catch {
                throw JBError.cannotCreate(path: self.path, reason: "cannot open the response cache (\(Self.describe(error))); use --no-cache or --cache FILE")
            }
            return
        }
        postgres = nil
        self.path = path
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var config = Configuration()
            config.busyMode = .timeout(30)
            // In WAL mode, NORMAL syncs at checkpoints, not at every commit: a stored answer
            // survives the process being killed (it is in the WAL before its line is
            // written), and only a power cut can lose the last ones, as it can the output
            // lines, which are not synced either. FULL cost an fsync per answer: 170 µs, more
            // than the rest of a simulated request.
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            let opened = try ResponseCache.open(path: path, configuration: config)
            pool = opened
            try opened.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS responses (
                        key TEXT PRIMARY KEY NOT NULL,
                        model TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    )
                    """)
            }
        } catch let e as JBError {
            throw e
        } catch {
            throw JBError.cannotCreate(path: path, reason: "cannot open the response cache (\(Self.describe(error))); use --no-cache or --cache FILE")
        }
    }

    /// Opens the pool, retrying while another process holds the lock: switching a new file to
    /// WAL mode returns "database is locked" at once, without waiting for the busy timeout,
    /// when two processes create the cache at the same moment.
    static func open(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
                attempt += 1
                if attempt >= 100 { throw e }
                usleep(UInt32(20_000 + (attempt % 5) * 7_000))
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "SQLite error \(e.resultCode.rawValue)" }
        if let e = error as? PGError { return e.message }
        return "\(error)"
    }

    /// The cached payload for `key`, or nil.
    public func lookup(_ key: String) throws -> JSONObject? {
        do {
            if let postgres { return try postgres.lookup(key) }
            guard let pool else { return nil }
            let text = try pool.read { db in
                try String.fetchOne(db.cachedStatement(sql: "SELECT payload FROM responses WHERE key = ?"), arguments: [key])
            }
            guard let text, let o = try? JSONParser.parse(text).objectValue else { return nil }
            return o
        } catch {
            throw JBError.io(path: path, reason: "response cache: \(Self.describe(error))")
        }
    }

    /// Stores (or replaces) the payload for `key`.
    public func store(key: String, model: String, payload: JSONObject, createdAt: String) throws {
        let text = JSONSerializer.string(.object(payload))
        do {
            if let postgres { return try postgres.store(key: key, model: model, payload: text, createdAt: createdAt) }
            try pool?.write { db in
                try db.cachedStatement(sql: "INSERT OR REPLACE INTO responses (key, model, payload, created_at) VALUES (?, ?, ?, ?)")
                    .execute(arguments: [key, model, text, createdAt])
            }
        } catch {
            throw JBError.io(path: path, reason: "response cache: \(Self.describe(error))")
        }
    }

    /// Number of cached answers.
    public func count() throws -> Int {
        if let postgres { return try postgres.count() }
        return try pool?.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM responses") ?? 0 } ?? 0
    }
}

/// The cache's table in PostgreSQL (`jb_response_cache`), over one connection that the
/// query's tasks take turns on (a lookup is a fraction of a millisecond; a request is
/// hundreds).
final class PostgresCache: @unchecked Sendable {
    private let connection: PGConnection
    private let lock = NSLock()

    init(url: String) throws {
        connection = try PGConnection(url: url, applicationName: "jb-query")
        // Two machines starting at once both try to create it: the second waits for the
        // first's transaction and then finds it there.
        try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock(7413, -2)")
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS jb_response_cache (
                    key text PRIMARY KEY,
                    model text NOT NULL,
                    payload text NOT NULL,
                    created_at text NOT NULL
                )
                """)
        }
    }

    func lookup(_ key: String) throws -> JSONObject? {
        let text = try lock.withLock {
            try connection.execute("SELECT payload FROM jb_response_cache WHERE key = $1", [key]).scalar
        }
        guard let text, let o = try? JSONParser.parse(text).objectValue else { return nil }
        return o
    }

    func store(key: String, model: String, payload: String, createdAt: String) throws {
        // A payload is JSON text: a NUL inside a string is escaped, so PostgreSQL's text
        // type (which cannot hold NUL) takes it as it is.
        try lock.withLock {
            _ = try connection.execute("""
                INSERT INTO jb_response_cache (key, model, payload, created_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (key) DO UPDATE SET model = excluded.model, payload = excluded.payload,
                                                created_at = excluded.created_at
                """, [key, model, payload, createdAt])
        }
    }

    func count() throws -> Int {
        try lock.withLock { Int(try connection.execute("SELECT count(*) FROM jb_response_cache").scalar ?? "0") ?? 0 }
    }
}
