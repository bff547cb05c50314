import Foundation
import JBCore
@testable import JBModels
import JBTestSupport
import Testing

/// The three tiers against a real HTTP server on 127.0.0.1 serving the real fixture replies.
///
/// The generous request timeout is for full test runs on small machines: tests elsewhere that
/// block a cooperative thread while a tool runs can hold up the in-process server for seconds.
@Suite(.tools) struct CatalogLoaderTests {
    static func loader(_ server: CatalogServer?, cache: CatalogCache, clock: TestClock, ttlHours: Double = 24,
                       offline: Bool = false, retries: Int = 0) -> CatalogLoader {
        CatalogLoader(baseURL: server?.baseURL ?? "http://127.0.0.1:9/api/v1", cache: cache, maxAge: ttlHours * 3600,
                      offline: offline, timeout: 60, retries: retries, retryDelay: 0.01, now: { clock.now })
    }

    @Test(.enabled(if: Fixtures.data(Fixtures.newer) != nil && Fixtures.data(Fixtures.older) != nil, "needs ../shared/fixtures/openrouter/models"), arguments: [(Fixtures.newer, 414), (Fixtures.older, 321)])
    func liveThenCacheThenLiveAgainAfterTheTTL(_ fixture: String, _ count: Int) async throws {
        let body = try #require(Fixtures.data(fixture))
        let server = try await CatalogServer.start(.body(body))
        defer { Task { await server.stop() } }
        let cache = CatalogCache(directory: temporaryCacheDirectory())
        let clock = TestClock()
        let loader = Self.loader(server, cache: cache, clock: clock)

        let first = await loader.load()
        #expect(first.tier == .live)
        #expect(first.catalog.count == count)
        #expect(first.notes.last?.text.hasPrefix("catalogue from the live API (\(server.baseURL)): \(count) models, cached in ") == true)
        #expect(server.requested == ["/api/v1/models"])
        #expect(try cache.read()?.catalog.count == count)

        clock.advance(hours: 23.9)
        let second = await loader.load()
        #expect(second.tier == .cache)
        #expect(second.catalog.count == count)
        #expect(second.notes.last?.isWarning == false)
        #expect(server.requested.count == 1, "a fresh cache must not touch the network")

        clock.advance(hours: 0.2)  // now 24.1 h old: expired
        let third = await loader.load()
        #expect(third.tier == .live)
        #expect(server.requested.count == 2)
        #expect(try cache.read()?.fetchedAt == clock.now)
    }

    @Test(arguments: [
        CatalogServer.Reply.status(503, #"{"error":{"code":503,"message":"no provider available"}}"#),
        CatalogServer.Reply.status(500, "Internal Server Error"),
        CatalogServer.Reply.body(Data("<html><body>cloudflare says hi</body></html>".utf8)),
        CatalogServer.Reply.body(Data(#"{"data":"nope"}"#.utf8)),
        CatalogServer.Reply.body(Data(#"{"data":[]}"#.utf8)),
        CatalogServer.Reply.body(Data(#"{"data":[{"id":"a/b"},"#.utf8)),
    ])
    func aFailingAPIFallsBackToTheStaleCacheThenToTheBuiltInCatalogue(_ failure: CatalogServer.Reply) async throws {
        let server = try await CatalogServer.start(.body(Data(#"{"data":[{"id":"cached/model","pricing":{"prompt":"0","completion":"0"}}]}"#.utf8)))
        defer { Task { await server.stop() } }
        let cache = CatalogCache(directory: temporaryCacheDirectory())
        let clock = TestClock()
        let loader = Self.loader(server, cache: cache, clock: clock, ttlHours: 1)

        // No cache and a broken API: the built-in catalogue, with a warning saying why.
        server.set(failure)
        let builtIn = await loader.load()
        #expect(builtIn.tier == .builtIn)
        #expect(builtIn.catalog.count == 414)
        let warning = try #require(builtIn.notes.last)
        #expect(warning.isWarning)
        #expect(warning.text.hasPrefix("catalogue built into jb (captured 2026-08-19): 414 models; the API is unavailable: GET \(server.baseURL)/models: "))
        #expect(warning.text.hasSuffix(", and there is no usable cache"))
        #expect(try cache.read() == nil, "a bad reply is never cached")

        // A good answer is cached; once stale and the API broken again, the stale cache answers.
        server.set(.body(Data(#"{"data":[{"id":"cached/model","pricing":{"prompt":"0","completion":"0"}}]}"#.utf8)))
        #expect(await loader.load().tier == .live)
        clock.advance(hours: 2)
        server.set(failure)
        let stale = await loader.load()
        #expect(stale.tier == .staleCache)
        #expect(stale.catalog.models.map(\.id) == ["cached/model"])
        #expect(stale.notes.last?.isWarning == true)
        #expect(stale.notes.last?.text.hasPrefix("catalogue from the stale cache (fetched 2026-09-21T14:13:20Z, older than 1 h): 1 model; the API is unavailable: GET ") == true)
        #expect(try cache.read()?.catalog.models.map(\.id) == ["cached/model"], "the stale cache is kept")
    }

    @Test func errorMessagesSayWhatTheServerSaid() async throws {
        let server = try await CatalogServer.start(.status(503, #"{"error":{"code":503,"message":"no provider available"}}"#))
        defer { Task { await server.stop() } }
        let loader = Self.loader(server, cache: CatalogCache(directory: temporaryCacheDirectory()), clock: TestClock())
        await #expect(throws: JBError.unavailable("GET \(server.baseURL)/models: HTTP 503 (no provider available)")) {
            try await loader.refresh()
        }
        server.set(.body(Data("<html>".utf8)))
        await #expect(throws: JBError.unavailable("GET \(server.baseURL)/models: the reply is not a model list: not JSON (byte 1: unexpected character '<')")) {
            try await loader.refresh()
        }
        server.set(.status(401, #"{"error":{"code":401,"message":"No auth credentials found"}}"#))
        await #expect(throws: JBError.noPermission("GET \(server.baseURL)/models: HTTP 401 (No auth credentials found)")) {
            try await loader.refresh()
        }
    }

    @Test func aServerErrorIsRetriedOnceButAClientErrorIsNot() async throws {
        let server = try await CatalogServer.start(.status(502, "bad gateway"))
        defer { Task { await server.stop() } }
        let loader = Self.loader(server, cache: CatalogCache(directory: temporaryCacheDirectory()), clock: TestClock(), retries: 1)
        #expect(await loader.load().tier == .builtIn)
        #expect(server.requested.count == 2)
        server.set(.status(404, "{}"))
        #expect(await loader.load().tier == .builtIn)
        #expect(server.requested.count == 3)
    }

    @Test func anUnreachableServerFallsBackToTheBuiltInCatalogue() async throws {
        // Port 9 (discard) on 127.0.0.1 has no listener: the connection is refused at once.
        let loader = Self.loader(nil, cache: CatalogCache(directory: temporaryCacheDirectory()), clock: TestClock())
        let result = await loader.load()
        #expect(result.tier == .builtIn)
        #expect(result.notes.last?.text.contains("the API is unavailable: 127.0.0.1:9") == true)
    }

    @Test(.enabled(if: Fixtures.data(Fixtures.newer) != nil && Fixtures.data(Fixtures.older) != nil, "needs ../shared/fixtures/openrouter/models"))
    func aCorruptCacheIsIgnoredWithAWarningAndReplaced() async throws {
        let body = try #require(Fixtures.data(Fixtures.older))
        let server = try await CatalogServer.start(.status(503, "{}"))
        defer { Task { await server.stop() } }
        let cache = CatalogCache(directory: temporaryCacheDirectory())
        try FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true)
        let half = Data(#"{"format":"jb-models-cache/1","fetched_at":"2026-09-21T10:00:00Z","replies":[{"data":[{"id":"a/"#.utf8)
        try half.write(to: URL(fileURLWithPath: cache.path))
        let loader = Self.loader(server, cache: cache, clock: TestClock())

        let degraded = await loader.load()
        #expect(degraded.tier == .builtIn)
        #expect(degraded.notes.count == 2)
        #expect(degraded.notes[0] == CatalogNote(isWarning: true, text: "ignoring the cache \(cache.path): not JSON (byte 96: unterminated string)"))

        server.set(.body(body))
        let live = await loader.load()
        #expect(live.tier == .live)
        #expect(live.catalog.count == 321)
        #expect(try cache.read()?.catalog.count == 321)
    }

    @Test func offlineUsesTheCacheAtAnyAgeAndNeverTheNetwork() async throws {
        let server = try await CatalogServer.start(.body(Data(#"{"data":[{"id":"a/b"}]}"#.utf8)))
        defer { Task { await server.stop() } }
        let cache = CatalogCache(directory: temporaryCacheDirectory())
        let clock = TestClock()
        let offline = Self.loader(server, cache: cache, clock: clock, offline: true)
        let none = await offline.load()
        #expect(none.tier == .builtIn)
        #expect(none.notes.last?.text.hasSuffix("414 models; offline, and there is no usable cache") == true)
        _ = try await Self.loader(server, cache: cache, clock: clock).refresh()
        clock.advance(hours: 100)
        let stale = await offline.load()
        #expect(stale.tier == .staleCache)
        #expect(stale.catalog.models.map(\.id) == ["a/b"])
        #expect(server.requested.count == 1)
    }

    @Test func aCacheFromAnotherServerIsNotFresh() async throws {
        let server = try await CatalogServer.start(.body(Data(#"{"data":[{"id":"new/model"}]}"#.utf8)))
        defer { Task { await server.stop() } }
        let cache = CatalogCache(directory: temporaryCacheDirectory())
        let clock = TestClock()
        try cache.write(replies: [Array(#"{"data":[{"id":"other/model"}]}"#.utf8)], fetchedAt: clock.now, baseURL: "http://elsewhere/v1")
        let result = await Self.loader(server, cache: cache, clock: clock).load()
        #expect(result.tier == .live)
        #expect(result.catalog.models.map(\.id) == ["new/model"])
    }

    @Test func followsPagesWhenTheServerPages() async throws {
        let pages = [
            Data(#"{"data":[{"id":"a/one"},{"id":"a/two"}],"total_count":3,"links":{"next":"/api/v1/models?offset=1"}}"#.utf8),
            Data(#"{"data":[{"id":"b/three"}],"total_count":3,"links":{"next":null}}"#.utf8),
        ]
        let server = try await CatalogServer.start(.pages(pages))
        defer { Task { await server.stop() } }
        let cache = CatalogCache(directory: temporaryCacheDirectory())
        let result = await Self.loader(server, cache: cache, clock: TestClock()).load()
        #expect(result.tier == .live)
        #expect(result.catalog.models.map(\.id) == ["a/one", "a/two", "b/three"])
        #expect(server.requested == ["/api/v1/models", "/api/v1/models?offset=1"])
        #expect(try cache.read()?.catalog.count == 3)
    }

    @Test func sendsTheKeyOnlyWhenSet() async throws {
        let recorder = HTTPClientRecorder()
        let withKey = CatalogLoader(baseURL: "http://h/api/v1/", apiKey: "sk-or-v1-test", cache: CatalogCache(directory: temporaryCacheDirectory()),
                                    retries: 0, client: recorder)
        #expect(withKey.modelsURL == "http://h/api/v1/models")
        _ = try? await withKey.refresh()
        let without = CatalogLoader(baseURL: "http://h/api/v1", apiKey: "", cache: withKey.cache, retries: 0, client: recorder)
        _ = try? await without.refresh()
        let sent = recorder.requests
        #expect(sent.count == 2)
        #expect(sent[0].headers.contains { $0.0 == "Authorization" && $0.1 == "Bearer sk-or-v1-test" })
        #expect(!sent[1].headers.contains { $0.0 == "Authorization" })
    }
}

import JBHTTP

/// Records requests and answers each with a one-model reply.
class HTTPClientRecorder: HTTPClient, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [HTTPRequestSpec] = []
    var requests: [HTTPRequestSpec] { lock.withLock { sent } }
    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        lock.withLock { sent.append(request) }
        return HTTPResponseSpec(status: 200, headers: [:], body: Data(#"{"data":[{"id":"a/b"}]}"#.utf8))
    }
}
