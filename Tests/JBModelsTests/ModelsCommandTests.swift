import Foundation
import JBCore
import JBModels
import JBTestSupport
import Testing

/// Runs a built tool off the cooperative thread pool: `ToolRunner.run` blocks until the tool
/// exits, and a blocked pool thread would starve the fake server the tool is talking to.
func run(_ tool: String, _ arguments: [String], environment: [String: String]) async throws -> RunResult {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try ToolRunner.run(tool, arguments, environment: environment) })
        }
    }
}

/// Runs the built `jb-models` against a fake API on 127.0.0.1, as a user would.
@Suite(.tools) struct ModelsCommandTests {
    /// An environment with its own cache folder and the fake server as base URL.
    static func environment(_ server: CatalogServer?, cacheHome: String) -> [String: String] {
        // A generous timeout: in a full parallel test run the in-process server may be slow to answer.
        var env = ["XDG_CACHE_HOME": cacheHome, "JB_MODELS_TIMEOUT_SECONDS": "60"]
        if let server { env["OPENROUTER_BASE_URL"] = server.baseURL }
        return env
    }

    static func records(_ r: RunResult) throws -> [JSONObject] {
        try r.lines.map { try #require(try JSONParser.parse($0).objectValue) }
    }

    @Test(.enabled(if: Fixtures.data(Fixtures.newer) != nil && Fixtures.data(Fixtures.older) != nil, "needs ../shared/fixtures/openrouter/models"))
    func refreshListSearchInfoAndCacheAgainstTheNewerReply() async throws {
        let body = try #require(Fixtures.data(Fixtures.newer))
        let server = try await CatalogServer.start(.body(body))
        defer { Task { await server.stop() } }
        let home = ToolRunner.makeTemporaryDirectory().path
        let env = Self.environment(server, cacheHome: home)

        let refresh = try await run("jb-models", ["refresh"], environment: env)
        #expect(refresh.status == 0, "\(refresh)")
        #expect(refresh.stdout.isEmpty)
        #expect(refresh.stderr == "jb-models: catalogue from the live API (\(server.baseURL)): 414 models, cached in \(home)/jb/\(CatalogCache.fileName(baseURL: server.baseURL))\n")

        // stdout is not a terminal here, so the answer is JSON Lines; the fresh cache answers.
        let list = try await run("jb-models", ["list", "--provider", "anthropic", "--max-price", "3"], environment: env)
        #expect(list.status == 0, "\(list)")
        #expect(list.stderr.hasPrefix("jb-models: catalogue from the cache (fetched "))
        let anthropic = try Self.records(list)
        #expect(!anthropic.isEmpty)
        #expect(anthropic.allSatisfy { $0["provider"] == "anthropic" && ($0["completion_price_per_million"]?.doubleValue ?? 99) <= 3 })
        #expect(server.requested.count == 1)

        let free = try Self.records(try await run("jb-models", ["list", "--free"], environment: env))
        #expect(free.count >= 17)
        #expect(free.allSatisfy { $0["free"] == .bool(true) && $0["prompt_price_per_million"]?.doubleValue == 0 })

        let search = try Self.records(try await run("jb-models", ["search", "LLAMA"], environment: env))
        #expect(!search.isEmpty)
        #expect(search.allSatisfy { JSON.object($0).compactText.lowercased().contains("llama") })

        let info = try await run("jb-models", ["info", "anthropic/claude-sonnet-4"], environment: env)
        let record = try #require(try Self.records(info).first)
        #expect(record["prompt_price_per_million"]?.doubleValue == 3)
        #expect(record["completion_price_per_million"]?.doubleValue == 15)
        #expect(record["context_length"] == .int(1_000_000))

        let table = try await run("jb-models", ["info", "--table", "openai/gpt-4o-mini"], environment: env)
        #expect(table.lines.contains { $0.hasPrefix("prompt price ") && $0.hasSuffix(" $0.15 per million tokens") }, "\(table)")
        #expect(table.lines.contains { $0.hasPrefix("context length ") && $0.hasSuffix(" 128,000 tokens") })

        let unknown = try await run("jb-models", ["info", "openai/gpt4o-mini"], environment: env)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasSuffix("jb-models: error: unknown model \"openai/gpt4o-mini\"; closest: openai/gpt-4o-mini, openai/gpt-4o-mini:batch, openai/gpt-4o-mini-2024-07-18, openai/gpt-5-mini, openai/gpt-4.1-mini\n"), "\(unknown)")

        let status = try Self.records(try await run("jb-models", ["cache", "status"], environment: env))
        #expect(status.first?["fresh"] == .bool(true))
        #expect(status.first?["models"] == .int(414))
        #expect(status.first?["base_url"] == .string(server.baseURL))

        let clear = try await run("jb-models", ["cache", "clear"], environment: env)
        #expect(clear.stderr == "jb-models: removed \(home)/jb/\(CatalogCache.fileName(baseURL: server.baseURL))\n")
        #expect(try Self.records(try await run("jb-models", ["cache", "status", "--json"], environment: env)).first?["exists"] == .bool(false))
    }

    @Test func theOlderReplyWorksToo() async throws {
        guard let body = Fixtures.data(Fixtures.older) else { return }
        let server = try await CatalogServer.start(.body(body))
        defer { Task { await server.stop() } }
        let env = Self.environment(server, cacheHome: ToolRunner.makeTemporaryDirectory().path)
        let list = try await run("jb-models", ["list", "--free"], environment: env)
        #expect(list.status == 0, "\(list)")
        #expect(list.stderr.hasPrefix("jb-models: catalogue from the live API"))
        #expect(try Self.records(list).count >= 68)
    }

    /// Each base URL keeps its own catalogue (issue 21): listing a local server's one model
    /// does not replace OpenRouter's, and OpenRouter offline never answers with it.
    @Test func eachBaseURLKeepsItsOwnCatalogue() async throws {
        let local = try await CatalogServer.start(.body(Data(#"{"data":[{"id":"smollm2","name":"Local"}]}"#.utf8)))
        defer { Task { await local.stop() } }
        let other = try await CatalogServer.start(.body(Data(#"{"data":[{"id":"other/model","name":"Other"}]}"#.utf8)))
        defer { Task { await other.stop() } }
        let home = ToolRunner.makeTemporaryDirectory().path
        var env = Self.environment(nil, cacheHome: home)
        env["OPENROUTER_API_KEY"] = "sk-or-v1-models-never-sent-123456"
        for (server, id) in [(local, "smollm2"), (other, "other/model")] {
            let r = try await run("jb-models", ["list", "--base-url", server.baseURL], environment: env)
            #expect(r.status == 0, "\(r)")
            #expect(try Self.records(r).map { $0["id"] } == [.string(id)])
        }
        for (server, id) in [(local, "smollm2"), (other, "other/model")] {
            let cached = try await run("jb-models", ["list", "--offline", "--base-url", server.baseURL], environment: env)
            #expect(cached.stderr.hasPrefix("jb-models: catalogue from the cache"), "\(cached)")
            #expect(try Self.records(cached).map { $0["id"] } == [.string(id)])
        }
        let openRouter = try await run("jb-models", ["info", "openai/gpt-4o-mini", "--json", "--offline",
                                                     "--base-url", "https://openrouter.ai/api/v1"], environment: env)
        #expect(openRouter.status == 0, "\(openRouter)")
        #expect(openRouter.stderr.contains("catalogue built into jb"), "\(openRouter)")
        #expect(local.authorizations == [nil] && other.authorizations == [nil], "the OpenRouter key went to another server")
        #expect(CatalogCache.fileName(baseURL: "https://openrouter.ai/api/v1/") == "models.json")
        #expect(CatalogCache.fileName(baseURL: local.baseURL) != CatalogCache.fileName(baseURL: other.baseURL))
    }

    @Test func aBrokenAPIFallsBackAndSaysSo() async throws {
        let server = try await CatalogServer.start(.body(Data(#"{"data":[{"id":"cached/model","name":"Cached"}]}"#.utf8)))
        defer { Task { await server.stop() } }
        let home = ToolRunner.makeTemporaryDirectory().path
        let env = Self.environment(server, cacheHome: home)

        server.set(.status(503, #"{"error":{"code":503,"message":"down for maintenance"}}"#))
        let builtIn = try await run("jb-models", ["search", "gpt-4o-mini"], environment: env)
        #expect(builtIn.status == 0, "\(builtIn)")
        #expect(builtIn.stderr == "jb-models: warning: catalogue built into jb (captured 2026-08-19): 414 models; the API is unavailable: GET \(server.baseURL)/models: HTTP 503 (down for maintenance), and there is no usable cache\n")
        #expect(try Self.records(builtIn).contains { $0["id"] == "openai/gpt-4o-mini" })

        server.set(.body(Data(#"{"data":[{"id":"cached/model","name":"Cached"}]}"#.utf8)))
        #expect(try await run("jb-models", ["refresh"], environment: env).status == 0)
        server.set(.body(Data("<html>gateway</html>".utf8)))
        // --ttl 0: any cache is stale, so the API is asked, fails, and the stale cache answers.
        let stale = try await run("jb-models", ["list", "--ttl", "0"], environment: env)
        #expect(stale.status == 0)
        #expect(stale.stderr.contains("jb-models: warning: catalogue from the stale cache (fetched "))
        #expect(stale.stderr.contains("older than 0 min): 1 model; the API is unavailable: GET \(server.baseURL)/models: the reply is not a model list: not JSON"))
        #expect(try Self.records(stale).map { $0["id"] } == ["cached/model"])

        let refresh = try await run("jb-models", ["refresh"], environment: env)
        #expect(refresh.status == 69)
        #expect(refresh.stderr.hasPrefix("jb-models: error: GET \(server.baseURL)/models: the reply is not a model list: not JSON"))

        // A corrupt cache file: a warning, then the API (still broken) → the built-in catalogue.
        try Data("{\"format\":\"jb-models-cache/1\",\"fetch".utf8).write(to: URL(fileURLWithPath: home + "/jb/" + CatalogCache.fileName(baseURL: server.baseURL)))
        let corrupt = try await run("jb-models", ["info", "openai/gpt-4o-mini", "--json"], environment: env)
        #expect(corrupt.status == 0, "\(corrupt)")
        #expect(corrupt.stderr.hasPrefix("jb-models: warning: ignoring the cache \(home)/jb/\(CatalogCache.fileName(baseURL: server.baseURL)): not JSON"))
        #expect(corrupt.stderr.contains("jb-models: warning: catalogue built into jb (captured 2026-08-19)"))
        #expect(try Self.records(corrupt).first?["id"] == "openai/gpt-4o-mini")

        let quiet = try await run("jb-models", ["list", "--quiet", "--provider", "openai"], environment: env)
        #expect(quiet.stderr.isEmpty)
        #expect(!quiet.stdout.isEmpty)
    }

    @Test func theKeyNeverShowsEvenWhenTheServerEchoesIt() async throws {
        let key = "sk-or-v1-0123456789abcdef-secret"
        let server = try await CatalogServer.start(.status(401, #"{"error":{"code":401,"message":"bad key \#(key)"}}"#))
        defer { Task { await server.stop() } }
        var env = Self.environment(server, cacheHome: ToolRunner.makeTemporaryDirectory().path)
        env["OPENROUTER_API_KEY"] = key
        let refresh = try await run("jb-models", ["refresh"], environment: env)
        #expect(refresh.status == 77)
        #expect(refresh.stderr.hasPrefix("jb-models: error: GET \(server.baseURL)/models: HTTP 401 (bad key "), "\(refresh)")
        #expect(!refresh.stderr.contains(key))
        let config = try await run("jb-models", ["list", "--print-config"], environment: env)
        #expect(!config.output.contains(key))
        let list = try await run("jb-models", ["list", "--provider", "openai"], environment: env)
        #expect(list.status == 0)
        #expect(!list.stderr.contains(key) && !list.output.contains(key))
    }

    @Test func badFlagsAreUsageErrors() async throws {
        let env = Self.environment(nil, cacheHome: ToolRunner.makeTemporaryDirectory().path)
        let both = try await run("jb-models", ["list", "--json", "--table", "--offline"], environment: env)
        #expect(both.status == 64)
        let ttl = try await run("jb-models", ["list", "--ttl=-1", "--offline"], environment: env)
        #expect(ttl.status == 64)
        #expect(ttl.stderr == "jb-models: error: --ttl -1: expected hours from 0 to 1000000\n")
        let url = try await run("jb-models", ["list", "--base-url", "ftp://x"], environment: env)
        #expect(url.status == 64)
        #expect(url.stderr == "jb-models: error: --base-url ftp://x: expected an http(s) URL\n")
        var fromEnvironment = env
        fromEnvironment["JB_MODELS_CACHE_TTL_HOURS"] = "1e7"
        let big = try await run("jb-models", ["list", "--offline"], environment: fromEnvironment)
        #expect(big.status == 64)
        #expect(big.stderr == "jb-models: error: models.cache_ttl_hours = \"1e7\" (from environment ($JB_MODELS_CACHE_TTL_HOURS)): expected hours from 0 to 1000000\n")
    }
}
