import Foundation
import JBCore
#if canImport(Glibc)
import Glibc
#endif

/// The catalogue cache: one file per base URL under `$XDG_CACHE_HOME/jb/` (default
/// `~/.cache/jb/`) — `models.json` for OpenRouter, `models-<host>-<12 hex digits>.json` for
/// any other server — holding the raw `GET /models` replies with the fetch time and base URL:
///
///     {"format":"jb-models-cache/1","fetched_at":"2026-11-29T15:26:19Z",
///      "base_url":"https://openrouter.ai/api/v1","replies":[<reply page 1>, …]}
///
/// The replies are stored byte for byte, so a later jb that reads more fields needs no refresh.
public struct CatalogCache: Sendable {
    /// The folder holding the cache file.
    public let directory: String
    /// The file name inside `directory`: the base URL's own.
    public let fileName: String

    /// OpenRouter's file name inside `directory`.
    public static let openRouterFileName = "models.json"
    static let format = "jb-models-cache/1"

    /// The cache of `baseURL`'s catalogue in `directory` (OpenRouter's when nil).
    public init(directory: String, baseURL: String? = nil) {
        self.directory = directory
        fileName = baseURL.map(CatalogCache.fileName(baseURL:)) ?? CatalogCache.openRouterFileName
    }

    /// The default folder: `$XDG_CACHE_HOME/jb`, else `$HOME/.cache/jb`.
    public init(environment: [String: String], baseURL: String? = nil) {
        self.init(directory: CacheFolder.path(environment: environment), baseURL: baseURL)
    }

    /// `models.json` for OpenRouter; for another server `models-<host>-<hash>.json`, the hash
    /// of its normalised base URL, so a local server's one-model catalogue never stands in
    /// for OpenRouter's (issue 21) and each server's list stays cached on its own.
    public static func fileName(baseURL: String) -> String {
        let base = Endpoint.normalized(baseURL)
        if base == Endpoint.openRouterBaseURL { return openRouterFileName }
        let host = (URL(string: base)?.host ?? "server").map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "-" }
        return "models-\(String(host.prefix(40)))-\(ContentHash.shortHex(base, length: 12)).json"
    }

    /// The cache file's path.
    public var path: String { directory + "/" + fileName }

    /// What a readable cache file holds.
    public struct Entry: Sendable {
        /// The models.
        public var catalog: ModelCatalog
        /// When they were fetched.
        public var fetchedAt: Date
        /// The base URL they were fetched from.
        public var baseURL: String
        /// The file's size in bytes.
        public var byteCount: Int

        /// Seconds since the fetch (negative if the clock went back).
        public func age(now: Date) -> TimeInterval { now.timeIntervalSince(fetchedAt) }
    }

    /// Reads the cache: nil when there is no file; a `CatalogFormatError` when it is corrupt
    /// (truncated, not JSON, not a cache file, no models).
    public func read() throws(CatalogFormatError) -> Entry? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogFormatError(message: "cannot be read")
        }
        let json: JSON
        do {
            json = try JSONParser.parse(data)
        } catch {
            throw CatalogFormatError(message: "not JSON (byte \(error.column): \(error.message))")
        }
        guard let o = json.objectValue, o["format"]?.stringValue == CatalogCache.format else {
            throw CatalogFormatError(message: "not a jb-models cache file (no \"format\": \"\(CatalogCache.format)\")")
        }
        guard let stamp = o["fetched_at"]?.stringValue, let fetchedAt = Timestamp.parse(stamp) else {
            throw CatalogFormatError(message: "no valid \"fetched_at\" time")
        }
        guard let replies = o["replies"]?.arrayValue, !replies.isEmpty else {
            throw CatalogFormatError(message: "no \"replies\"")
        }
        var models: [ModelInfo] = []
        for reply in replies { models += try ModelCatalog.decode(reply).catalog.models }
        guard !models.isEmpty else { throw CatalogFormatError(message: "holds no models") }
        return Entry(catalog: ModelCatalog(models: models), fetchedAt: fetchedAt,
                     baseURL: o["base_url"]?.stringValue ?? "", byteCount: data.count)
    }

    /// Replaces the cache with `replies` (raw reply bodies, each already checked to be a model
    /// list), atomically: a reader sees the old file or the new one, never half of one.
    public func write(replies: [[UInt8]], fetchedAt: Date, baseURL: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JBError.cannotCreate(path: directory, reason: "cannot create the cache folder")
        }
        var out: [UInt8] = []
        out.append(contentsOf: "{\"format\":".utf8)
        JSONSerializer.writeString(CatalogCache.format, into: &out)
        out.append(contentsOf: ",\"fetched_at\":".utf8)
        JSONSerializer.writeString(Timestamp.format(fetchedAt), into: &out)
        out.append(contentsOf: ",\"base_url\":".utf8)
        JSONSerializer.writeString(baseURL, into: &out)
        out.append(contentsOf: ",\"replies\":[\n".utf8)
        for (k, reply) in replies.enumerated() {
            if k > 0 { out.append(contentsOf: ",\n".utf8) }
            out.append(contentsOf: reply)
        }
        out.append(contentsOf: "\n]}\n".utf8)
        try AtomicFile.write(bytes: out, to: path)
    }

    /// What `jb-models cache status` reports.
    public struct Status: Sendable {
        /// The cache file's path.
        public var path: String
        /// Whether the file exists.
        public var exists: Bool
        /// The readable content, if any.
        public var entry: Entry?
        /// Why an existing file cannot be used.
        public var problem: String?
        /// Seconds since the fetch.
        public var ageSeconds: TimeInterval?
        /// The TTL in seconds.
        public var maxAge: TimeInterval
        /// Readable, younger than the TTL.
        public var fresh: Bool

        /// The JSON record (documented in docs/jb-models.md).
        public var record: JSONObject {
            var r: JSONObject = ["path": .string(path), "exists": .bool(exists), "fresh": .bool(fresh),
                                 "ttl_hours": .double(maxAge / 3600), "error": JSON(problem),
                                 "fetched_at": .null, "age_hours": .null, "base_url": .null, "models": .null, "bytes": .null]
            if let entry {
                r["fetched_at"] = .string(Timestamp.format(entry.fetchedAt))
                r["age_hours"] = .double(((ageSeconds ?? 0) / 3600 * 100).rounded() / 100)
                r["base_url"] = .string(entry.baseURL)
                r["models"] = JSON(entry.catalog.count)
                r["bytes"] = JSON(entry.byteCount)
            }
            return r
        }
    }

    /// The cache's state at `now` with a TTL of `maxAge` seconds.
    public func status(now: Date, maxAge: TimeInterval) -> Status {
        let exists = FileManager.default.fileExists(atPath: path)
        var s = Status(path: path, exists: exists, maxAge: maxAge, fresh: false)
        do {
            if let e = try read() {
                s.entry = e
                s.ageSeconds = e.age(now: now)
                s.fresh = e.age(now: now) <= maxAge && e.age(now: now) > -300
            }
        } catch {
            s.problem = error.message
        }
        return s
    }

    /// Deletes the cache file; returns whether there was one.
    @discardableResult
    public func clear() throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw JBError.io(path: path, reason: "cannot delete the cache file")
        }
        return true
    }
}
