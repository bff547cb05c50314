import Foundation
import JBCore
import JBTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A benchmark run is one thing: its budget holds across interruptions and resumes, its
/// estimate matches what it spends, each model keeps its own pace, the README's OpenRouter
/// run works with the catalogue built into jb, and runs compare on a leaderboard across runs.
/// Every model here is the fake OpenRouter on 127.0.0.1 or a simulated one.
@Suite(.tools, .serialized) struct RunEndToEndTests {
    static let key = "sk-or-v1-run-e2e-secret-0123456789"

    /// `jb ARGS` in `directory`.
    static func jb(_ args: [String], in directory: URL, env: [String: String] = [:]) throws -> RunResult {
        try ToolRunner.run("jb", args, environment: ["OPENROUTER_API_KEY": key].merging(env) { _, b in b }, directory: directory)
    }

    static func lines(_ url: URL) -> [String] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    static func records(_ url: URL) -> [[String: Any]] {
        lines(url).compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    static func runJSON(_ dir: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("run.json"))) as? [String: Any] ?? [:]
    }

    static func spent(_ url: URL) -> Double {
        records(url).reduce(0) { $0 + (($1["cost_usd"] as? Double) ?? 0) }
    }

    /// A pipeline asking the fake server: ingest the example questions, sample, query, grade.
    static func pipeline(server: FakeOpenRouter, models: [String], n: Int, query extra: String) -> String {
        """
        name: e2e
        seed: 5
        stages:
          - name: ingest
            tool: jb-ingest
            args: ["\(ToolRunner.packageRoot.path)/examples/questions.csv"]
          - name: sample
            tool: jb-sample
            args: {n: \(n)}
          - name: query
            tool: jb-query
            args:
              model: [\(models.joined(separator: ", "))]
              base_url: "\(server.baseURL)"
              api: openrouter
              pricing: prices.json
              no_cache: true
        \(extra)
          - name: grade
            tool: jb-grade
            args: {mode: lenient}
        """
    }

    /// Runs `jb ARGS` in the background and sends SIGINT once `file` holds `lines` lines.
    static func interrupt(_ args: [String], in dir: URL, whenLines n: Int, of file: URL) throws -> Int32 {
        let p = Process()
        p.executableURL = ToolRunner.binDirectory.appendingPathComponent("jb")
        p.arguments = args
        p.environment = ToolRunner.environment(["OPENROUTER_API_KEY": key])
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        let began = Date()
        while lines(file).count < n && p.isRunning && Date().timeIntervalSince(began) < 60 { usleep(5_000) }
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// Interrupted twice and resumed twice, a run never spends more than its `max_cost` in
    /// all: each resumed jb-query counts what its output file already cost.
    @Test func budgetHoldsAcrossInterruptionsAndResumes() throws {
        // Every answer costs $0.001 (the API's figure); the prices file makes each request's
        // reservation larger than that, as real prices do.
        let server = try FakeOpenRouter(latencyMs: 120) { r in .answer(text: FakeOpenRouter.defaultAnswer(r), cost: 0.001) }
        defer { server.stop() }
        let dir = ToolRunner.makeTemporaryDirectory()
        try Data(#"{"e2e/model": {"prompt": 0.00001, "completion": 0.0001}}"#.utf8).write(to: dir.appendingPathComponent("prices.json"))
        let text = RunEndToEndTests.pipeline(server: server, models: ["e2e/model"], n: 40, query: """
                  max_tokens: 10
                  max_cost: "0.010"
                  concurrency: 2
            """)
        try Data(text.utf8).write(to: dir.appendingPathComponent("budget.yaml"))
        let out = dir.appendingPathComponent("run")
        let query = out.appendingPathComponent("03-query.jsonl")

        let first = try RunEndToEndTests.interrupt(["run", "budget.yaml", "--out", out.path], in: dir, whenLines: 2, of: query)
        #expect(first == 130)
        let afterFirst = RunEndToEndTests.lines(query).count
        #expect(afterFirst >= 2 && afterFirst < 10, "\(afterFirst) answers before the first interrupt")
        let second = try RunEndToEndTests.interrupt(["run", "--resume", out.path], in: dir, whenLines: afterFirst + 2, of: query)
        #expect(second == 130)
        let afterSecond = RunEndToEndTests.lines(query).count
        #expect(afterSecond > afterFirst, "the first resume made progress")
        #expect(RunEndToEndTests.spent(query) <= 0.010 + 1e-9)

        let last = try RunEndToEndTests.jb(["run", "--resume", out.path], in: dir)
        #expect(last.status == 1, "the budget stops the run: \(last)")
        #expect(last.stderr.contains("budget reached"), "\(last)")
        #expect(last.stderr.contains("by earlier invocations on this -o file"), "\(last)")
        let spent = RunEndToEndTests.spent(query)
        #expect(spent <= 0.010 + 1e-9, "spent $\(spent) of a $0.010 budget over three invocations")
        // It went on until the budget, not further: $0.001 a request, a reservation of ~$0.002.
        #expect(spent >= 0.007 - 1e-9, "spent $\(spent): the budget was used, not given up early")
        // Nothing was paid twice: every request sent is a line of the file.
        #expect(server.requestCount == RunEndToEndTests.lines(query).count)
        let run = try RunEndToEndTests.runJSON(out)
        #expect((run["resumed_at"] as? [Any])?.count == 2)
        #expect(!String(decoding: try Data(contentsOf: out.appendingPathComponent("run.log")), as: UTF8.self).contains(RunEndToEndTests.key))
    }

    /// `jb run FILE --estimate` prices every query stage, model and epoch before anything is
    /// sent, and the run then spends within the estimate's token assumption.
    @Test func estimateMatchesWhatTheRunSpends() throws {
        // Replies as a real API gives them: tokens near the estimator's characters/4 and a
        // short reply of 7 to 13 tokens; no cost figure, so jb prices the tokens itself.
        let server = try FakeOpenRouter(latencyMs: 5) { r in
            let chars = r.content.utf8.count
            return .answer(text: FakeOpenRouter.defaultAnswer(r), promptTokens: Int(Double(chars) / 3.7) + 9,
                           completionTokens: 7 + (chars % 7), cost: nil)
        }
        defer { server.stop() }
        let dir = ToolRunner.makeTemporaryDirectory()
        try Data(#"{"e2e/a": {"prompt": 0.000001, "completion": 0.000004}, "e2e/b": {"prompt": 0.000003, "completion": 0.000015}}"#.utf8)
            .write(to: dir.appendingPathComponent("prices.json"))
        let text = RunEndToEndTests.pipeline(server: server, models: ["e2e/a", "e2e/b"], n: 30, query: """
                  epochs: 2
            """)
        try Data(text.utf8).write(to: dir.appendingPathComponent("est.yaml"))
        let estimate = try RunEndToEndTests.jb(["run", "est.yaml", "--estimate"], in: dir)
        #expect(estimate.status == 0, "\(estimate)")
        #expect(server.requestCount == 0, "the estimate sent nothing")
        #expect(estimate.output.contains("stage 'query'"), "\(estimate)")
        #expect(estimate.output.contains("e2e/a") && estimate.output.contains("e2e/b"))
        // 30 questions × 2 models × 2 epochs.
        #expect(estimate.output.contains(" 120 "), "\(estimate.output)")
        let line = estimate.lines.first { $0.hasPrefix("pipeline total: $") } ?? ""
        let estimated = Double(line.dropFirst("pipeline total: $".count).prefix { $0 == "." || $0.isNumber }) ?? 0
        #expect(estimated > 0, "\(estimate.output)")
        let tight = try RunEndToEndTests.jb(["run", "est.yaml", "--estimate", "--set", "query.max_cost=0.00001"], in: dir)
        #expect(tight.output.contains("the estimate passes this stage's max_cost $0.00001:"), "\(tight)")

        let run = try RunEndToEndTests.jb(["run", "est.yaml", "--out", "r"], in: dir)
        #expect(run.status == 0, "\(run)")
        let query = dir.appendingPathComponent("r/03-query.jsonl")
        #expect(RunEndToEndTests.lines(query).count == 120)
        let spent = RunEndToEndTests.spent(query)
        #expect(abs(spent - estimated) <= 0.25 * estimated, "estimated $\(estimated), spent $\(spent)")
    }

    /// A model's own `--model-rpm` paces that model alone: its requests are never closer
    /// than 60/R seconds, while the other model is asked at full speed.
    @Test func aModelsOwnRateIsKeptWhileAnotherRunsAtFullSpeed() throws {
        let server = try FakeOpenRouter(latencyMs: 20)
        defer { server.stop() }
        var input = ""
        for i in 0..<12 {
            input += JSONSerializer.string(.object([
                "id": .string(String(format: "%016x", i)), "round": "Jeopardy!", "category": "E2E", "value": 400,
                "clue": .string("Paced clue \(i) names Thing\(i)"), "answer": .string("Thing\(i)"),
                "air_date": "2010-01-01", "show_number": 1, "daily_double": false, "media": false, "difficulty": 1,
            ])) + "\n"
        }
        let r = try ToolRunner.run("jb-query", ["--model", "slow/model", "--model", "fast/model", "--model-rpm", "slow/model=240",
                                                "--concurrency", "4", "--base-url", server.baseURL, "--api", "openrouter", "--no-cache"],
                                   stdin: Data(input.utf8), environment: ["OPENROUTER_API_KEY": RunEndToEndTests.key])
        #expect(r.status == 0, "\(r)")
        #expect(r.lines.count == 24)
        let slow = server.requests.filter { $0.model == "slow/model" }.map(\.time).sorted()
        let fast = server.requests.filter { $0.model == "fast/model" }.map(\.time).sorted()
        #expect(slow.count == 12 && fast.count == 12)
        // 240 a minute: one every 0.25 s. Times are taken on arrival, so one late arrival
        // (a machine busy with other tests) shortens the next gap: each gap may lose 0.1 s, but
        // no 4 requests arrive closer than 3 intervals (less 0.1 s).
        for (a, b) in zip(slow, slow.dropFirst()) { #expect(b - a >= 0.25 - 0.1, "slow requests \(b - a) s apart") }
        for i in 0..<max(0, slow.count - 3) {
            #expect(slow[i + 3] - slow[i] >= 3 * 0.25 - 0.1, "4 slow requests within \(slow[i + 3] - slow[i]) s")
        }
        // The fast model is done long before the slow one: it did not wait for its pace.
        #expect(fast.last! - fast.first! < 1.0, "fast model took \(fast.last! - fast.first!) s")
        #expect(slow.last! - slow.first! >= 11 * 0.25 - 0.05)
        #expect(fast.last! < slow.last! - 1.5)
        let bad = try ToolRunner.run("jb-query", ["--model", "a/b", "--model-rpm", "a/b"], stdin: Data(input.utf8))
        #expect(bad.status == 64 && bad.stderr.contains("--model-rpm a/b: expected MODEL=VALUE"), "\(bad)")
    }

    /// The README's "A real run through OpenRouter", word for word, against the fake server:
    /// the pipeline's default models are priced by the catalogue built into jb, its budget
    /// holds, and every stage, report and the SQLite sink finish.
    @Test func readmeOpenRouterRunWorksWithTheBuiltInCatalogue() throws {
        let server = try FakeOpenRouter()
        defer { server.stop() }
        let dir = ToolRunner.makeTemporaryDirectory()
        for name in ["pipelines", "examples"] {
            try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent(name),
                                                       withDestinationURL: ToolRunner.packageRoot.appendingPathComponent(name))
        }
        let readme = try String(contentsOf: ToolRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("jb run pipelines/openrouter.yaml --dry-run") && readme.contains("\njb run pipelines/openrouter.yaml\n"))
        // The fake server stands in for OpenRouter (as a proxy of it would: JB_QUERY_API says
        // so), and a fresh response cache makes every answer come from it.
        let env = ["OPENROUTER_BASE_URL": server.baseURL, "JB_QUERY_API": "openrouter",
                   "XDG_CACHE_HOME": dir.appendingPathComponent("cache").path]
        let dry = try RunEndToEndTests.jb(["run", "pipelines/openrouter.yaml", "--dry-run"], in: dir, env: env)
        #expect(dry.status == 0, "\(dry)")
        let run = try RunEndToEndTests.jb(["run", "pipelines/openrouter.yaml"], in: dir, env: env)
        #expect(run.status == 0, "\(run)")
        #expect(!run.stderr.contains(RunEndToEndTests.key))
        let folder = dir.appendingPathComponent(run.output.trimmingCharacters(in: .whitespacesAndNewlines))
        let responses = RunEndToEndTests.records(folder.appendingPathComponent("03-query.jsonl"))
        #expect(responses.count == 120, "40 questions × 3 models")
        #expect(Set(responses.compactMap { $0["model"] as? String })
            == ["openai/gpt-4o-mini", "anthropic/claude-haiku-4.5", "google/gemini-2.5-flash-lite"])
        #expect(responses.allSatisfy { $0["error"] is NSNull })
        #expect(Set(server.requests.map(\.model)).count == 3)
        for file in ["report.txt", "report.md", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("results.db").path))
        let resume = try RunEndToEndTests.jb(["run", "--resume", "runs/openrouter/latest"], in: dir, env: env)
        #expect(resume.status == 0 && resume.stderr.contains("nothing to resume"), "\(resume)")
    }

    /// A preset sets the sample size and is recorded with the build in run.json; `--clock`
    /// makes jb-query's default run id reproducible.
    @Test func presetsBuildAndClockAreRecorded() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let root = ToolRunner.packageRoot
        let dry = try ToolRunner.run("jb", ["run", "pipelines/demo.yaml", "--set", "preset=quick", "--dry-run", "--out", dir.appendingPathComponent("x").path],
                                     directory: root)
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.output.contains("jb-sample -n 50"), "\(dry.output)")
        #expect(dry.output.contains(#""benchmark_mode":"quick""#) && dry.output.contains(#""sample_size":50"#))
        let explicit = try ToolRunner.run("jb", ["run", "pipelines/demo.yaml", "--set", "preset=comprehensive", "--set", "sample.n=12",
                                                 "--dry-run", "--out", dir.appendingPathComponent("y").path], directory: root)
        #expect(explicit.output.contains("jb-sample -n 12") && explicit.output.contains(#""benchmark_mode":"comprehensive""#))
        let bad = try ToolRunner.run("jb", ["run", "pipelines/demo.yaml", "--set", "preset=huge", "--dry-run"], directory: root)
        #expect(bad.status == 64, "\(bad)")

        let out = dir.appendingPathComponent("run")
        let run = try ToolRunner.run("jb", ["run", "pipelines/demo.yaml", "--set", "preset=quick", "--set", "sample.n=6", "--out", out.path],
                                     directory: root)
        #expect(run.status == 0, "\(run)")
        let record = try RunEndToEndTests.runJSON(out)
        #expect(record["benchmark_mode"] as? String == "quick" && record["sample_size"] as? Int == 6)
        let build = record["build"] as? [String: Any]
        let version = try ToolRunner.run("jb", ["--version"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.hasPrefix("0.1.0 (commit "), "\(version)")
        #expect(build?["version"] as? String == "0.1.0")
        let commit = (build?["commit"] as? String) ?? "unknown"
        #expect(version == "0.1.0 (commit \(commit))", "run.json and --version name the same build")

        // --clock: the same command gives the same run id.
        let q = ["--model", "sim/good", "--clock", "2026-01-01T00:00:00Z", "--no-cache", "\(root.path)/Tests/JBEndToEndTests/Golden/jb-query/sim-two-models/stdin.jsonl"]
        let a = try ToolRunner.run("jb-query", q), b = try ToolRunner.run("jb-query", q)
        #expect(a.status == 0 && b.status == 0, "\(a)\n\(b)")
        func ids(_ r: RunResult) -> Set<String> {
            Set(r.lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["run_id"] as? String })
        }
        #expect(ids(a).count == 1 && ids(a) == ids(b), "\(ids(a)) \(ids(b))")
        #expect(ids(a).first?.hasPrefix("20260101T000000Z-") == true)
    }

    /// Three runs, two on the same sample and one on another: the leaderboard across runs
    /// ranks together only rows asked the same questions, compares the two samples on their
    /// common questions with the count shown, and keeps each run's row and each model's history.
    @Test func leaderboardAcrossRunsRanksOnlyWhatCompares() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let root = ToolRunner.packageRoot
        let runs = [("r1", ["--set", "query.no_cache=true"]),
                    ("r2", ["--set", "query.model=[sim/good, sim/weak]", "--set", "query.no_cache=true"]),
                    ("r3", ["--set", "seed=3", "--set", "query.no_cache=true"])]
        for (name, extra) in runs {
            let r = try ToolRunner.run("jb", ["run", "pipelines/demo.yaml", "--out", dir.appendingPathComponent(name).path] + extra,
                                       environment: ["SOURCE_DATE_EPOCH": "1700000000"], directory: root)
            #expect(r.status == 0, "\(r)")
        }
        let paths = runs.map { dir.appendingPathComponent($0.0).path }
        let text = try ToolRunner.run("jb-report", ["--runs", "--format", "terminal", "--width", "120"] + paths)
        #expect(text.status == 0, "\(text)")
        let t = text.output
        #expect(t.contains("The models were asked different questions: 2 question sets"), "\(t)")
        #expect(t.contains("Question set A: 30 questions, runs r1, r2 — ranked together"), "\(t)")
        #expect(t.contains("Question set B: 30 questions, run r3 — ranked together"), "\(t)")
        #expect(t.contains("Sets A and B, paired on the"), "\(t)")
        #expect(t.contains("History of sim/good"), "\(t)")
        // Set A's table holds r1's three rows and r2's two, and nothing of r3.
        let setA = t.components(separatedBy: "Question set A").last!.components(separatedBy: "Question set B").first!
        let rows = setA.split(separator: "\n").dropFirst().map { $0.split(separator: " ").map(String.init) }
        #expect(rows.filter { $0.contains("r1") }.count == 3 && rows.filter { $0.contains("r2") }.count == 2, "\(setA)")
        #expect(!rows.contains { $0.contains("r3") }, "\(setA)")

        let html = dir.appendingPathComponent("leaderboard.html")
        let h = try ToolRunner.run("jb-report", ["--runs", "-o", html.path] + paths)
        #expect(h.status == 0, "\(h)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("Ranked together: every row was asked these 30 questions."))
        #expect(page.contains("Paired: each row scored on the"))
        #expect(page.contains("History of sim/good"))
        #expect(page.contains("class=\"warning\""))
        let markdown = try ToolRunner.run("jb-report", ["--runs", "--format", "markdown"] + paths)
        #expect(markdown.status == 0 && markdown.output.contains("## Question set B"), "\(markdown)")
        // One run alone: a single set, everything ranked together.
        let one = try ToolRunner.run("jb-report", ["--runs", "--format", "terminal", paths[0]])
        #expect(one.output.contains("all rows are ranked together"), "\(one)")
        let none = try ToolRunner.run("jb-report", ["--runs", dir.path])
        #expect(none.status == 66, "\(none)")
    }
}
