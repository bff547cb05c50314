import Foundation
import JBChat
import JBCore
import JBHTTP
import JBTestSupport
import Testing
@testable import JBQuery

@Suite("QueryRunner against the fake OpenRouter", .tools, .serialized)
struct QueryRunnerTests {
    func config(_ server: FakeOpenRouter, output: String, models: [String] = ["test/model"]) -> QueryConfig {
        var c = QueryConfig()
        c.models = models
        c.baseURL = server.baseURL
        c.apiKey = "sk-or-v1-test-secret-0123456789"
        c.provider = OpenRouterProvider()
        c.outputPath = output
        c.cachePath = nil
        c.retry.backoff = 0.01
        c.timeout = 5
        c.concurrency = 8
        c.runID = "test-run"
        return c
    }

    @Test func everyQuestionAnsweredOrRecordedDespiteFaults() async throws {
        // Each question's first attempt fails in a different way; the second succeeds, except
        // question 9 (always 500) and question 10 (400: never retried).
        let server = try FakeOpenRouter { r in
            let n = Int(r.prompt.components(separatedBy: "Topic").last?.split(separator: " ").first ?? "") ?? -1
            if n == 9 { return .status(500, body: #"{"error":{"code":500,"message":"Internal Server Error"}}"#) }
            if n == 10 { return .status(400, body: #"{"error":{"message":"Provider returned error","code":400,"metadata":{"raw":"{}","provider_name":"Anthropic"}},"user_id":"org_x"}"#) }
            guard r.repeatIndex == 0 else { return .answer(text: "What is \(n)?", leadingWhitespace: 77) }
            switch n {
            case 0: return .status(429, body: #"{"error":{"code":429,"message":"Rate limit exceeded"}}"#, retryAfter: "0")
            case 1: return .status(429, body: #"{"error":{"code":"429","message":"Rate limit exceeded"}}"#)
            case 2: return .status(502, body: "<html>bad gateway</html>")
            case 3: return .body200("{\"choices\": [")
            case 4: return .truncated(#"{"id":"gen-1","choices":[{"message":{"content":"What"#)
            case 5: return .body200(#"{"error":{"code":429,"message":"Rate limit exceeded upstream"},"choices":[{"message":{"content":null}}]}"#)
            case 6: return .body200(#"{"choices":[{"finish_reason":"error","error":{"code":502,"message":"provider died"},"message":{"content":"partial"}}]}"#)
            case 7: return .status(503, body: #"{"error":{"message":"temporarily unavailable"}}"#, retryAfter: "1")
            default: return .answer(text: "What is \(n)?", leadingWhitespace: 55)
            }
        }
        defer { server.stop() }
        let input = TestData.questionsFile(12)
        let out = TestData.tempPath("responses.jsonl")
        var c = config(server, output: out)
        c.retry.maxRetries = 2
        let summary = try await QueryRunner(config: c).run(inputs: [input])
        let records = TestData.records(out)
        #expect(records.count == 12)
        #expect(Set(records.compactMap { $0["key"]?.stringValue }).count == 12)
        #expect(summary.answered == 10 && summary.errors == 2)
        let byClue = Dictionary(uniqueKeysWithValues: records.map { ($0["clue"]!.stringValue!, $0) })
        for n in 0..<9 {
            let r = byClue["Clue number \(n) is about Topic\(n) and nothing else"]!
            #expect(r["response_text"] == .string("What is \(n)?"), "question \(n)")
            #expect(r["attempts"] == .int(n == 8 ? 1 : 2), "question \(n)")
            #expect(r["error"] == .null)
            #expect(r["cost_source"] == "api")
            #expect(r["source"] == "unit-test")
        }
        let e9 = byClue["Clue number 9 is about Topic9 and nothing else"]!
        #expect(e9["attempts"] == 3)
        #expect(e9["error"]?.objectValue?["status"] == 500)
        #expect(e9["response_text"] == .null)
        let e10 = byClue["Clue number 10 is about Topic10 and nothing else"]!
        #expect(e10["attempts"] == 1)
        #expect(e10["error"]?.objectValue?["status"] == 400)
        // No request sent more often than its documented retries allow.
        var sends: [String: Int] = [:]
        for r in server.requests { sends[r.content, default: 0] += 1 }
        #expect(sends.values.max()! <= 3)
        let expectedSends: Int = 8 * 2 + 1 + 3 + 1 + 1
        #expect(server.requests.count == expectedSends)
        // The key never reaches a record.
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(!text.contains("sk-or-v1-test-secret"))
        #expect(server.requests.allSatisfy { $0.authorization == "Bearer sk-or-v1-test-secret-0123456789" })
    }

    @Test func timeoutsAreRetriedThenRecorded() async throws {
        let server = try FakeOpenRouter { r in r.repeatIndex == 0 ? .hang : .answer(text: "What is late?") }
        defer { server.stop() }
        let out = TestData.tempPath("r.jsonl")
        var c = config(server, output: out)
        c.timeout = 0.3
        try await QueryRunner(config: c).run(inputs: [TestData.questionsFile(3)])
        let records = TestData.records(out)
        #expect(records.count == 3)
        for r in records {
            #expect(r["attempts"] == 2)
            #expect(r["response_text"] == "What is late?")
        }
    }

    @Test func resumeSkipsKeysAlreadyWritten() async throws {
        let server = try FakeOpenRouter()
        defer { server.stop() }
        let input = TestData.questionsFile(10)
        let out = TestData.tempPath("r.jsonl")
        try await QueryRunner(config: config(server, output: out)).run(inputs: [input])
        // Keep 4 records and half a line, as a killed run would leave.
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        let partial = lines.prefix(4).joined(separator: "\n") + "\n" + lines[4].prefix(30)
        try partial.write(toFile: out, atomically: true, encoding: .utf8)
        let before = server.requestCount
        let s = try await QueryRunner(config: config(server, output: out)).run(inputs: [input])
        #expect(s.skipped == 4 && s.answered == 6)
        #expect(server.requestCount - before == 6)
        let records = TestData.records(out)
        #expect(records.count == 10)
        #expect(Set(records.compactMap { $0["key"]?.stringValue }).count == 10)
        #expect(records.allSatisfy { $0["run_id"] == "test-run" })
    }

    @Test func retryErrorsAsksOnlyTheFailures() async throws {
        let failing = ManagedFlag(true)
        let server = try FakeOpenRouter { r in
            failing.value && r.prompt.contains("Topic3 ") ? .status(404, body: #"{"error":{"code":404,"message":"No endpoints found"}}"#)
                : .answer(text: "What is it?")
        }
        defer { server.stop() }
        let input = TestData.questionsFile(5)
        let out = TestData.tempPath("r.jsonl")
        try await QueryRunner(config: config(server, output: out)).run(inputs: [input])
        #expect(TestData.records(out).filter { $0["error"] != .null }.count == 1)
        failing.value = false
        let before = server.requestCount
        var c = config(server, output: out)
        c.retryErrors = true
        try await QueryRunner(config: c).run(inputs: [input])
        #expect(server.requestCount - before == 1)
        let records = TestData.records(out)
        #expect(records.count == 5)
        #expect(records.allSatisfy { $0["error"] == .null })
    }

    @Test func cacheHitsAreFreeAndSendNothing() async throws {
        let server = try FakeOpenRouter()
        defer { server.stop() }
        let input = TestData.questionsFile(6)
        var c = config(server, output: TestData.tempPath("a.jsonl"))
        c.cachePath = TestData.tempPath("cache.sqlite")
        try await QueryRunner(config: c).run(inputs: [input])
        #expect(server.requestCount == 6)
        let out2 = TestData.tempPath("b.jsonl")
        c.outputPath = out2
        let s = try await QueryRunner(config: c).run(inputs: [input])
        #expect(server.requestCount == 6)
        #expect(s.cached == 6 && s.spent == 0)
        let records = TestData.records(out2)
        #expect(records.count == 6)
        for r in records {
            #expect(r["cached"] == true)
            #expect(r["cost_usd"]?.doubleValue == 0)
            #expect(r["attempts"] == 0)
            #expect(r["cost_source"] == "cache")
        }
        // --refresh asks again.
        c.refresh = true
        c.outputPath = TestData.tempPath("c.jsonl")
        try await QueryRunner(config: c).run(inputs: [input])
        #expect(server.requestCount == 12)
    }

    @Test func twoRunsShareOneCache() async throws {
        let server = try FakeOpenRouter(latencyMs: 5)
        defer { server.stop() }
        let cachePath = TestData.tempPath("shared.sqlite")
        var a = config(server, output: TestData.tempPath("a.jsonl"), models: ["m/one"])
        a.cachePath = cachePath
        var b = a
        b.models = ["m/two"]
        b.outputPath = TestData.tempPath("b.jsonl")
        let input = TestData.questionsFile(30)
        let runA = QueryRunner(config: a), runB = QueryRunner(config: b)
        async let ra = runA.run(inputs: [input])
        async let rb = runB.run(inputs: [input])
        let (sa, sb) = try await (ra, rb)
        #expect(sa.answered == 30 && sb.answered == 30)
        #expect(try ResponseCache(path: cachePath).count() == 60)
        var both = a
        both.models = ["m/one", "m/two"]
        both.outputPath = TestData.tempPath("c.jsonl")
        let s = try await QueryRunner(config: both).run(inputs: [input])
        #expect(s.cached == 60 && server.requestCount == 60)
    }

    @Test func budgetIsNeverPassedAndTheRunResumes() async throws {
        let server = try FakeOpenRouter(latencyMs: 20) { _ in .answer(text: "What is it?", promptTokens: 30, completionTokens: 10, cost: nil) }
        defer { server.stop() }
        let input = TestData.questionsFile(20)
        let out = TestData.tempPath("r.jsonl")
        var c = config(server, output: out)
        // $1 per 1,000 prompt tokens, $0 per completion token: $0.03 a request.
        c.priceBook = PricingFile(prices: ["test/model": ModelPrice(prompt: Decimal(string: "0.001")!, completion: 0)])
        c.params.maxTokens = 16
        c.maxCost = Decimal(string: "0.5")!
        c.concurrency = 4
        await #expect(throws: JBError.self) { try await QueryRunner(config: c).run(inputs: [input]) }
        let records = TestData.records(out)
        let spent = records.compactMap { $0["cost_usd"]?.doubleValue }.reduce(0, +)
        #expect(spent <= 0.5 + 1e-9)
        #expect(records.count >= 8 && records.count < 20)
        #expect(records.allSatisfy { $0["cost_source"] == "pricing" })
        // Resuming with a larger budget finishes the rest, asking nothing twice.
        c.maxCost = 100
        try await QueryRunner(config: c).run(inputs: [input])
        #expect(TestData.records(out).count == 20)
        #expect(server.requestCount == 20)
    }

    @Test func connectionsAreReused() async throws {
        let server = try FakeOpenRouter(latencyMs: 5)
        defer { server.stop() }
        var c = config(server, output: TestData.tempPath("r.jsonl"))
        c.concurrency = 4
        try await QueryRunner(config: c).run(inputs: [TestData.questionsFile(60)])
        #expect(server.requestCount == 60)
        #expect(server.connectionCount <= 8, "\(server.connectionCount) connections for 60 requests")
    }

    @Test func rateLimitsCutConcurrencyAndEveryoneWaitsForRetryAfter() async throws {
        let server = try FakeOpenRouter { r in
            r.repeatIndex == 0 && r.prompt.contains("Topic0 ")
                ? .status(429, body: #"{"error":{"code":429,"message":"Rate limit exceeded"}}"#, retryAfter: "1")
                : .answer(text: "What is it?")
        }
        defer { server.stop() }
        var c = config(server, output: TestData.tempPath("r.jsonl"))
        c.concurrency = 1
        c.retry.backoff = 0
        try await QueryRunner(config: c).run(inputs: [TestData.questionsFile(3)])
        let times = server.requests.map(\.time)
        #expect(times.count == 4)
        // The retry, and the requests after it, waited the second the server asked for.
        #expect(times[1] - times[0] >= 0.95)
    }

    @Test func rpmIsRespected() async throws {
        let server = try FakeOpenRouter()
        defer { server.stop() }
        var c = config(server, output: TestData.tempPath("r.jsonl"))
        c.rpm = 600  // one every 100 ms; at most 60 per 6 s, 10 per second
        c.concurrency = 16
        let summary = try await QueryRunner(config: c).run(inputs: [TestData.questionsFile(15)])
        #expect(summary.answered == 15, "\(summary)")
        let times = server.requests.map(\.time).sorted()
        #expect(times.count == 15)
        guard times.count == 15 else { return }
        // 15 requests at one per 101 ms take at least 1.4 s from the first to the last, and no
        // window of 6 requests is shorter than 5 intervals (less a little arrival jitter).
        #expect(times[14] - times[0] >= 1.35)
        for i in 0..<(times.count - 6) {
            #expect(times[i + 6] - times[i] >= 0.5, "6 requests within \(times[i + 6] - times[i]) s")
        }
    }

    @Test func noCreditsStopsTheWholeRun() async throws {
        let server = try FakeOpenRouter(latencyMs: 5) { r in
            r.prompt.contains("Topic5 ") ? .status(402, body: #"{"error":{"code":402,"message":"Insufficient credits. Add more using https://openrouter.ai/credits","metadata":{}}}"#)
                : .answer(text: "What is it?")
        }
        defer { server.stop() }
        let out = TestData.tempPath("r.jsonl")
        var c = config(server, output: out)
        c.concurrency = 1
        do {
            try await QueryRunner(config: c).run(inputs: [TestData.questionsFile(30)])
            Issue.record("expected the run to stop")
        } catch let e as JBError {
            #expect(e.status == .noPermission)
            #expect(e.message.contains("402"))
        }
        #expect(server.requestCount == 6)
        #expect(TestData.records(out).count == 5)
    }

    @Test func streamingWithCommentsSplitEventsAndMidStreamErrors() async throws {
        let server = try FakeOpenRouter { r in
            #expect(r.stream)
            return .sse(FakeOpenRouter.sseAnswer("What is Helium?", midStreamError: r.repeatIndex == 0 && r.prompt.contains("Topic1 ")))
        }
        defer { server.stop() }
        let out = TestData.tempPath("r.jsonl")
        var c = config(server, output: out)
        c.stream = true
        try await QueryRunner(config: c).run(inputs: [TestData.questionsFile(3)])
        let records = TestData.records(out)
        #expect(records.count == 3)
        for r in records {
            #expect(r["response_text"] == "What is Helium?")
            #expect(r["finish_reason"] == "stop")
            #expect(r["tokens"] == ["prompt": 12, "completion": 6])
            #expect(r["cost_usd"] == .double(0.00002))
            #expect(r["ttft_ms"]?.intValue != nil)
            #expect(r["upstream_provider"] == "FakeProvider")
        }
        #expect(records.filter { $0["attempts"] == 2 }.count == 1)
    }

    @Test func openAICompatibleServersGetOnlyStandardFields() async throws {
        let server = try FakeOpenRouter()
        defer { server.stop() }
        var c = config(server, output: TestData.tempPath("r.jsonl"))
        c.provider = OpenAICompatibleProvider()
        c.apiKey = nil
        c.params = GenerationParams(temperature: 0, maxTokens: 32, seed: 7, topP: 1)
        try await QueryRunner(config: c).run(inputs: [TestData.questionsFile(1)])
        let body = server.requests[0].body
        #expect(Set(body.keys) == ["model", "messages", "temperature", "max_tokens", "seed", "top_p"])
        #expect(server.requests[0].authorization == nil)
        let r = TestData.records(c.outputPath!)[0]
        #expect(r["provider"] == "openai-compatible")
        let params = try #require(r["params"]?.objectValue)
        #expect(params["temperature"]?.doubleValue == 0 && params["top_p"]?.doubleValue == 1)
        #expect(params["max_tokens"] == 32 && params["seed"] == 7 && params.count == 4)
    }

    /// The reported model is the one asked for when it is the same id, a dated version of it,
    /// or the id without its OpenRouter variant; anything else is another model (issue 21).
    @Test func whenTheReportedModelIsTheOneAskedFor() {
        #expect(ReportedModels.sameModel(asked: "openai/gpt-4o-mini", reported: "openai/gpt-4o-mini"))
        #expect(ReportedModels.sameModel(asked: "openai/gpt-4o-mini", reported: "openai/gpt-4o-mini-2024-07-18"))
        #expect(ReportedModels.sameModel(asked: "meta-llama/llama-3.1-8b-instruct:free", reported: "meta-llama/llama-3.1-8b-instruct"))
        #expect(ReportedModels.sameModel(asked: "llama3.2:1b", reported: "llama3.2:1b"))
        #expect(!ReportedModels.sameModel(asked: "llama3.2:1b", reported: "llama3.2"))
        #expect(!ReportedModels.sameModel(asked: "openai/gpt-4o-mini", reported: "smollm2"))
        #expect(!ReportedModels.sameModel(asked: "openai/gpt-4o", reported: "openai/gpt-4o-mini"),
                "gpt-4o-mini is not a dated gpt-4o")
    }

    /// A server that reports no cost (llama.cpp, Ollama, …): the spend is unknown, not $0.0000;
    /// one of something is singular (issue 21).
    @Test func costIsUnknownRatherThanZeroAndCountsAgree() {
        var s = QuerySummary()
        s.requests = 1
        s.answered = 1
        s.unknownCost = 1
        #expect(s.costText == "cost unknown")
        #expect(s.line(elapsed: .seconds(1))
                == "1 request: 1 answered, 0 errors, 0 retries, cost unknown (the server reports none; give --pricing FILE), 1.0 s")
        s.requests = 3
        s.answered = 3
        s.spent = Decimal(string: "0.0012")!
        #expect(s.costText == "$0.0012 + 1 answer of unknown cost")
        s.unknownCost = 0
        s.retries = 1
        s.errors = 1
        #expect(s.costText == "$0.0012")
        #expect(s.line(elapsed: .seconds(2)) == "3 requests: 3 answered, 1 error, 1 retry, $0.0012 spent, 2.0 s")
        s.cached = 3
        s.spent = 0
        #expect(s.costText == "$0.0000", "answers from the cache cost nothing, and that is known")
    }
}

/// A flag tests flip while a server runs.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var v: Bool
    init(_ v: Bool) { self.v = v }
    var value: Bool {
        get { lock.withLock { v } }
        set { lock.withLock { v = newValue } }
    }
}
