import Foundation
import JBCore
import JBHTTP

/// Where a catalogue came from.
public enum CatalogTier: String, Sendable, Equatable {
    /// Fetched from the API just now (and written to the cache).
    case live
    /// Read from a cache file younger than the TTL.
    case cache
    /// Read from a cache file older than the TTL (or from another base URL), because the API
    /// could not be asked or did not answer properly.
    case staleCache = "stale_cache"
    /// The catalogue compiled into jb.
    case builtIn = "built_in"
}

/// A line to show on stderr about how the catalogue was obtained.
public struct CatalogNote: Sendable, Equatable {
    /// Warnings are for a degraded answer (stale cache, built-in catalogue, corrupt cache).
    public var isWarning: Bool
    /// The text, a lowercase phrase.
    public var text: String
}

/// A catalogue and how it was obtained.
public struct CatalogLoad: Sendable {
    /// The models.
    public var catalog: ModelCatalog
    /// Which tier answered.
    public var tier: CatalogTier
    /// When the models were fetched (nil for the built-in catalogue).
    public var fetchedAt: Date?
    /// What to tell the user, in order; the last note names the tier.
    public var notes: [CatalogNote]
}

/// Loads the catalogue through the three tiers: live API → cache → built-in.
///
/// `load()` uses a fresh cache without asking the network; otherwise it asks the API (and
/// caches the answer); when the API fails it falls back to a stale cache, then to the
/// built-in catalogue. It never throws. `refresh()` always asks the API and throws on failure.
public struct CatalogLoader: Sendable {
    /// The API base URL, e.g. `https://openrouter.ai/api/v1` (the catalogue is `BASE/models`).
    public var baseURL: String
    /// Sent as a bearer token when set (`/models` is public on OpenRouter; other servers may want it).
    public var apiKey: String?
    /// The cache.
    public var cache: CatalogCache
    /// How long a cached catalogue counts as fresh, in seconds (default 24 h).
    public var maxAge: TimeInterval
    /// Never touch the network: use the cache at any age, else the built-in catalogue.
    public var offline: Bool
    /// Seconds before a request is abandoned.
    public var timeout: Double
    /// Extra attempts after a 5xx/408/429 answer or a network failure.
    public var retries: Int
    /// Seconds before the first retry (doubled each time).
    public var retryDelay: Double
    /// The HTTP client.
    public var client: any HTTPClient
    /// The clock.
    public var now: @Sendable () -> Date

    /// Creates a loader; only the base URL and cache are required.
    public init(baseURL: String, apiKey: String? = nil, cache: CatalogCache, maxAge: TimeInterval = ModelsSetting.cacheTTLHours.defaultValue * 3600,
                offline: Bool = ModelsSetting.offline.defaultValue, timeout: Double = ModelsSetting.timeoutSeconds.defaultValue, retries: Int = 1, retryDelay: Double = 1,
                client: any HTTPClient = makeDefaultHTTPClient(), now: @escaping @Sendable () -> Date = { Date() }) {
        var base = baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.cache = cache
        self.maxAge = maxAge
        self.offline = offline
        self.timeout = timeout
        self.retries = retries
        self.retryDelay = retryDelay
        self.client = client
        self.now = now
    }

    /// The catalogue URL, `BASE/models`.
    public var modelsURL: String { baseURL + "/models" }

    /// The catalogue from the best tier available; never fails.
    public func load() async -> CatalogLoad {
        var notes: [CatalogNote] = []
        var stale: CatalogCache.Entry?
        do {
            if let entry = try cache.read() {
                let age = entry.age(now: now())
                if Endpoint.normalized(entry.baseURL) == Endpoint.normalized(baseURL) && age <= maxAge && age > -300 {
                    notes.append(CatalogNote(isWarning: false, text: "catalogue from the cache (fetched \(Timestamp.format(entry.fetchedAt)), \(CatalogLoader.hours(age)) old): \(counted(entry.catalog.count, "model"))"))
                    return CatalogLoad(catalog: entry.catalog, tier: .cache, fetchedAt: entry.fetchedAt, notes: notes)
                }
                stale = entry
            }
        } catch {
            notes.append(CatalogNote(isWarning: true, text: "ignoring the cache \(cache.path): \(error.message)"))
        }
        let failure: String
        if offline {
            failure = "offline"
        } else {
            do {
                let (catalog, replies) = try await fetch()
                let fetchedAt = now()
                var text = "catalogue from the live API (\(baseURL)): \(counted(catalog.count, "model"))"
                do {
                    try cache.write(replies: replies, fetchedAt: fetchedAt, baseURL: baseURL)
                    text += ", cached in \(cache.path)"
                } catch {
                    notes.append(CatalogNote(isWarning: true, text: "cannot update the cache: \(CatalogLoader.describe(error))"))
                }
                notes.append(CatalogNote(isWarning: false, text: text))
                return CatalogLoad(catalog: catalog, tier: .live, fetchedAt: fetchedAt, notes: notes)
            } catch {
                failure = "the API is unavailable: " + CatalogLoader.describe(error)
            }
        }
        // Another server's catalogue (a cache file written before each base URL had its own)
        // is no stand-in: a model list is the server's own.
        if let stale, stale.baseURL.isEmpty || Endpoint.normalized(stale.baseURL) == Endpoint.normalized(baseURL) {
            let why = "older than \(CatalogLoader.hours(maxAge))"
            notes.append(CatalogNote(isWarning: true, text: "catalogue from the stale cache (fetched \(Timestamp.format(stale.fetchedAt)), \(why)): \(counted(stale.catalog.count, "model")); \(failure)"))
            return CatalogLoad(catalog: stale.catalog, tier: .staleCache, fetchedAt: stale.fetchedAt, notes: notes)
        }
        let builtIn = ModelCatalog.builtIn
        notes.append(CatalogNote(isWarning: true, text: "catalogue built into jb (captured \(ModelCatalog.builtInCapturedAt)): \(counted(builtIn.count, "model")); \(failure), and there is no usable cache"))
        return CatalogLoad(catalog: builtIn, tier: .builtIn, fetchedAt: nil, notes: notes)
    }

    /// Asks the API and replaces the cache; throws `JBError.unavailable` when the API fails and
    /// `JBError.cannotCreate` when the cache cannot be written.
    public func refresh() async throws -> CatalogLoad {
        let (catalog, replies) = try await fetch()
        let fetchedAt = now()
        try cache.write(replies: replies, fetchedAt: fetchedAt, baseURL: baseURL)
        let note = CatalogNote(isWarning: false, text: "catalogue from the live API (\(baseURL)): \(counted(catalog.count, "model")), cached in \(cache.path)")
        return CatalogLoad(catalog: catalog, tier: .live, fetchedAt: fetchedAt, notes: [note])
    }

    /// Fetches every page of `GET BASE/models`; returns the models and the raw reply bodies.
    public func fetch() async throws -> (ModelCatalog, [[UInt8]]) {
        var url = modelsURL
        var seen = Set<String>()
        var models: [ModelInfo] = []
        var replies: [[UInt8]] = []
        while seen.insert(url).inserted, replies.count < 100 {
            let body = try await get(url)
            let page: ModelCatalog.Page
            do {
                page = try ModelCatalog.decode(body)
            } catch {
                throw JBError.unavailable("GET \(url): the reply is not a model list: \(error.message)")
            }
            models += page.catalog.models
            replies.append(body)
            guard let next = page.next, let resolved = URL(string: next, relativeTo: URL(string: url)) else { break }
            url = resolved.absoluteString
        }
        guard !models.isEmpty else { throw JBError.unavailable("GET \(modelsURL): the reply lists no models") }
        return (ModelCatalog(models: models), replies)
    }

    private func get(_ url: String) async throws -> [UInt8] {
        var headers = [("Accept", "application/json")]
        if let apiKey { headers.append(("Authorization", "Bearer \(apiKey)")) }
        let request = HTTPRequestSpec(method: "GET", url: url, headers: headers, timeout: timeout)
        var attempt = 0
        while true {
            let failure: JBError
            let retryable: Bool
            do {
                let response = try await client.send(request)
                if (200..<300).contains(response.status) { return Array(response.body) }
                failure = CatalogLoader.httpError(url: url, response: response)
                retryable = CatalogLoader.retryableStatuses.contains(response.status)
            } catch let e as JBError where e.status == .unavailable {
                failure = e  // the network failed
                retryable = true
            }
            guard retryable, attempt < retries else { throw failure }
            try await Task.sleep(nanoseconds: UInt64(retryDelay * pow(2, Double(attempt)) * 1e9))
            attempt += 1
        }
    }

    static let retryableStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504, 524, 529]

    /// `GET URL: HTTP 503 (message)`, with the server's `error.message` when it sent one.
    static func httpError(url: String, response: HTTPResponseSpec) -> JBError {
        var text = "GET \(url): HTTP \(response.status)"
        if let json = try? JSONParser.parse(response.body), let o = json.objectValue,
           let message = o["error"]?.objectValue?["message"]?.stringValue ?? o["message"]?.stringValue {
            text += " (\(message.prefix(200)))"
        }
        if response.status == 401 || response.status == 403 { return .noPermission(text) }
        return .unavailable(text)
    }

    static func describe(_ error: Error) -> String {
        (error as? JBError)?.description ?? "\(error)"
    }

    /// `3 h`, `26 h`, `45 min`.
    static func hours(_ seconds: TimeInterval) -> String {
        if seconds < 3600 { return "\(max(0, Int(seconds / 60))) min" }
        let h = seconds / 3600
        return h == h.rounded() ? "\(Int(h)) h" : String(format: "%.1f h", h)
    }
}
