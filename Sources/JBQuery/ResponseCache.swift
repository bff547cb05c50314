import Foundation
import GRDB
import JBCore

/// The response cache: answers by content key, in SQLite, so a repeated run is free.
///
/// WAL mode with a busy timeout makes it safe for several jb-query processes to share one
/// file. Only answers are stored, never errors, and never an API key (the key is not part of
/// the content key, and no header is stored).
public final class ResponseCache: Sendable {
    private let pool: DatabasePool
    /// The database file.
    public let path: String

    /// `$XDG_CACHE_HOME/jb/responses.sqlite`, else `~/.cache/jb/responses.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return base + "/jb/responses.sqlite"
    }

    /// Opens (creating if needed) the cache at `path`.
    public init(path: String) throws {
        self.path = path
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var config = Configuration()
            config.busyMode = .timeout(30)
            pool = try ResponseCache.open(path: path, configuration: config)
            try pool.write { db in
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
        return "\(error)"
    }

    /// The cached payload for `key`, or nil.
    public func lookup(_ key: String) throws -> JSONObject? {
        do {
            let text = try pool.read { db in
                try String.fetchOne(db, sql: "SELECT payload FROM responses WHERE key = ?", arguments: [key])
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
            try pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO responses (key, model, payload, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [key, model, text, createdAt])
            }
        } catch {
            throw JBError.io(path: path, reason: "response cache: \(Self.describe(error))")
        }
    }

    /// Number of cached answers.
    public func count() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM responses") ?? 0 }
    }
}
