import Foundation
import JBCore
import JBTestSupport
import Testing

/// jb-query against servers that are not OpenRouter (issue 21): the response cache tells
/// servers apart, `OPENROUTER_BASE_URL` is judged by its host like `--base-url`, the model a
/// server reports is kept, unknown costs are said to be unknown, and a `--stream` run served
/// from a plain run's cache says its time to first token is missing.
@Suite(.tools, .serialized) struct EndpointEndToEndTests {
    func questions(_ n: Int) -> Data {
        var text = ""
        for i in 0..<n {
            text += JSONSerializer.string(.object([
                "id": .string("ep\(i)"), "round": "Jeopardy!", "category": "ENDPOINTS", "value": 200,
                "clue": .string("Endpoint clue \(i) names Thing\(i)"), "answer": .string("Thing\(i)"),
                "air_date": "2010-01-01",
            ])) + "\n"
        }
        return Data(text.utf8)
    }

    func records(_ r: RunResult) throws -> [JSONObject] {
        try r.lines.map { try #require(try JSONParser.parse($0).objectValue) }
    }

    /// One model id asked of two servers through one cache file: each server answers its own
    /// requests, and asking the first again is served from the cache with the first's text.
    @Test func theResponseCacheKeepsServersApart() async throws {
        let local = try FakeOpenRouter { _ in .answer(text: "What is local?", cost: nil) }
        defer { local.stop() }
        let remote = try FakeOpenRouter { _ in .answer(text: "What is remote?") }
        defer { remote.stop() }
        let cache = ToolRunner.makeTemporaryDirectory().appendingPathComponent("responses.sqlite").path
        func ask(_ server: FakeOpenRouter) async throws -> [JSONObject] {
            let r = try await ToolRunner.runAsync("jb-query", ["--model", "openai/gpt-4o-mini", "--base-url", server.baseURL,
                                                               "--cache", cache, "--max-retries", "0"],
                                                  stdin: questions(3))
            #expect(r.status == 0, "\(r)")
            return try records(r)
        }
        let first = try await ask(local)
        #expect(first.allSatisfy { $0["response_text"] == "What is local?" && $0["cached"] == false })
        let second = try await ask(remote)
        #expect(second.allSatisfy { $0["response_text"] == "What is remote?" && $0["cached"] == false },
                "another server's answers must not come from the cache")
        #expect(remote.requestCount == 3)
        let again = try await ask(local)
        #expect(again.allSatisfy { $0["response_text"] == "What is local?" && $0["cached"] == true })
        #expect(local.requestCount == 3)
        // The record's key identifies the request, whoever answered it.
        #expect(Set(first.compactMap { $0["key"]?.stringValue }) == Set(second.compactMap { $0["key"]?.stringValue }))
    }

    /// `OPENROUTER_BASE_URL` naming another server is that server, as `--base-url` is: no
    /// OpenRouter key is demanded or sent, no OpenRouter-only fields, and the records say
    /// `openai-compatible`.
    @Test func openRouterBaseURLNamingAnotherServerIsThatServer() async throws {
        let server = try FakeOpenRouter { _ in .answer(text: "What is local?", cost: nil) }
        defer { server.stop() }
        for key in [nil, "sk-or-v1-endpoint-secret-123456"] {
            var env = ["OPENROUTER_BASE_URL": server.baseURL]
            if let key { env["OPENROUTER_API_KEY"] = key }
            let r = try await ToolRunner.runAsync("jb-query", ["--model", "local/model", "--no-cache", "--max-retries", "0"],
                                                  stdin: questions(1), environment: env)
            #expect(r.status == 0, "\(r)")
            #expect(try records(r).first?["provider"] == "openai-compatible")
            #expect(!r.stderr.contains("endpoint-secret") && !r.output.contains("endpoint-secret"))
        }
        #expect(server.requestCount == 2)
        for request in server.requests {
            #expect(request.authorization == nil, "the OpenRouter key went to another server")
            #expect(request.body["plugins"] == nil && request.body["provider"] == nil)
        }
    }

    /// The server's `model` is kept in `reported_model` (and in the cache), with one warning
    /// per model when it is not the one asked for; a dated version of it is no surprise.
    @Test func theReportedModelIsKeptAndADifferentOneIsNamed() async throws {
        let server = try FakeOpenRouter { _ in .answer(text: "What is it?", cost: nil) }
        defer { server.stop() }
        let cache = ToolRunner.makeTemporaryDirectory().appendingPathComponent("responses.sqlite").path
        let args = ["--model", "openai/gpt-4o-mini", "--base-url", server.baseURL, "--cache", cache, "--max-retries", "0"]
        for pass in 1...2 {
            let r = try await ToolRunner.runAsync("jb-query", args, stdin: questions(2))
            #expect(r.status == 0, "\(r)")
            let out = try records(r)
            #expect(out.count == 2)
            #expect(out.allSatisfy { $0["reported_model"] == "fake" && $0["cached"] == .bool(pass == 2) })
            #expect(r.stderr.contains("warning: openai/gpt-4o-mini: the server reported another model for its answers: \"fake\" (2 answers)"),
                    "\(r.stderr)")
        }
        let sim = try await ToolRunner.runAsync("jb-query", ["--model", "sim/good", "--no-cache"], stdin: questions(1))
        #expect(try records(sim).first?["reported_model"] == "sim/good")
        #expect(!sim.stderr.contains("reported another model"))
    }

    /// A server that reports no cost: the summary says the cost is unknown rather than
    /// $0.0000, and counts in the singular where there is one.
    @Test func unknownCostsAreNotZeroAndOneIsSingular() async throws {
        let server = try FakeOpenRouter { _ in .answer(text: "What is it?", cost: nil) }
        defer { server.stop() }
        let r = try await ToolRunner.runAsync("jb-query", ["--model", "local/model", "--base-url", server.baseURL, "--no-cache"],
                                              stdin: questions(1))
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("jb-query: 1 request: 1 answered, 0 errors, 0 retries, cost unknown"), "\(r.stderr)")
        #expect(!r.stderr.contains("$0.0000"))
        #expect(try records(r).first?["cost_usd"] == .null)
    }

    /// `--stream` after a plain run of the same requests: the cached answers have no time to
    /// first token, and the run says so; `--refresh` measures it.
    @Test func streamServedFromAPlainRunsCacheSaysTTFTIsMissing() async throws {
        let server = try FakeOpenRouter { r in
            r.stream ? .sse(FakeOpenRouter.sseAnswer("What is it?")) : .answer(text: "What is it?")
        }
        defer { server.stop() }
        let cache = ToolRunner.makeTemporaryDirectory().appendingPathComponent("responses.sqlite").path
        let args = ["--model", "local/model", "--base-url", server.baseURL, "--cache", cache]
        let plain = try await ToolRunner.runAsync("jb-query", args, stdin: questions(2))
        #expect(plain.status == 0, "\(plain)")
        let streamed = try await ToolRunner.runAsync("jb-query", args + ["--stream"], stdin: questions(2))
        #expect(streamed.status == 0, "\(streamed)")
        #expect(try records(streamed).allSatisfy { $0["cached"] == true && $0["ttft_ms"] == .null })
        #expect(streamed.stderr.contains("--stream: 2 answers came from the response cache, asked without streaming, so their ttft_ms is null"),
                "\(streamed.stderr)")
        let refreshed = try await ToolRunner.runAsync("jb-query", args + ["--stream", "--refresh"], stdin: questions(2))
        #expect(try records(refreshed).allSatisfy { $0["cached"] == false && $0["ttft_ms"]?.intValue != nil })
        #expect(!refreshed.stderr.contains("ttft_ms is null"))
    }
}
