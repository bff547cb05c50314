import Foundation
import GRDB
import JBCore
import JBTestSupport
import Testing

/// Many machines, as docs/scaling.md runs them: shards of one pipeline started by GNU
/// parallel against one PostgreSQL server (results and response cache), one shard killed
/// with SIGKILL and retried as a scheduler would.
@Suite(.tools, .serialized, .enabled(if: ScalingPrerequisites.missing == nil, Comment(rawValue: ScalingPrerequisites.missing ?? "")))
struct ScalingEndToEndTests {

    static let models = "e2e/alpha,e2e/beta"

    func environment(_ server: FakeOpenRouter, _ extra: [String: String]) -> [String: String] {
        ToolRunner.environment([
            "OPENROUTER_API_KEY": "sk-or-v1-scaling-secret-abcdef", "OPENROUTER_BASE_URL": server.baseURL,
            "QUESTIONS": ToolRunner.packageRoot.appendingPathComponent("examples/questions.csv").path,
            "N": "30", "MODELS": Self.models, "RUN_ID": "sweep", "JB": ToolRunner.binDirectory.appendingPathComponent("jb").path,
            "PIPELINE": ToolRunner.packageRoot.appendingPathComponent("pipelines/sharded.yaml").path,
        ].merging(extra) { _, b in b })
    }

    /// Runs a shell command in `dir`, in the background.
    func start(_ script: String, in dir: URL, environment: [String: String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.environment = environment
        p.currentDirectoryURL = dir
        let log = dir.appendingPathComponent("parallel-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return p
    }

    func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async { c.resume(with: Result { try body() }) }
        }
    }

    static func lineCount(glob prefix: String, file: String, in dir: URL) -> Int {
        let runs = dir.appendingPathComponent("runs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.map { name -> Int in
            let text = (try? String(contentsOf: runs.appendingPathComponent(name).appendingPathComponent(file), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").count
        }.reduce(0, +)
    }

    /// Every file under `dir`, as text.
    static func allText(under dir: URL) -> String {
        var text = ""
        let e = FileManager.default.enumerator(atPath: dir.path)
        while let name = e?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) {
                text += String(decoding: data, as: UTF8.self)
            }
        }
        return text
    }

    @Test func threeShardsUnderGNUParallelOneKilledAndRetried() async throws {
        let pg = try #require(PostgresServer.shared)
        let socketURL = try pg.newDatabase("scale")
        let database = String(socketURL.split(separator: "?")[0].split(separator: "/").last ?? "")
        // Through TCP with the password in the URL: it must show up nowhere.
        let url = pg.passwordURL(database: database)
        let server = try FakeOpenRouter(latencyMs: 80)
        defer { server.stop() }
        let dir = ToolRunner.makeTemporaryDirectory()
        // The job a scheduler runs: one shard, its 0-based index as the argument. Its own
        // session, so that killing it kills the whole pipeline, as a scheduler does.
        let job = """
            #!/bin/sh
            echo $$ > "pid-$1"
            exec env JB_SHARD="$1/3" "$JB" run "$PIPELINE" --set query.api=openrouter --set query.concurrency=2 \\
                --set query.backoff=0.01 --out "runs/shard-$1-$$"
            """
        try job.write(to: dir.appendingPathComponent("shard.sh"), atomically: true, encoding: .utf8)
        chmod(dir.appendingPathComponent("shard.sh").path, 0o755)
        let env = environment(server, ["JB_DATABASE_URL": url, "JB_QUERY_CACHE": url])
        let parallel = try #require(ScalingPrerequisites.parallel)

        let first = try start("\(parallel) --will-cite -j 3 setsid -w ./shard.sh ::: 0 1 2", in: dir, environment: env)
        // Kill shard 1 (all of its processes) once it has some answers.
        let killed: Bool = try await offPool {
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline && first.isRunning {
                if Self.lineCount(glob: "shard-1-", file: "03-query.jsonl", in: dir) >= 3,
                   let text = try? String(contentsOf: dir.appendingPathComponent("pid-1"), encoding: .utf8),
                   let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                    kill(-pid, SIGKILL)
                    return true
                }
                usleep(2_000)
            }
            return false
        }
        try await offPool { first.waitUntilExit() }
        #expect(killed, "shard 1 finished before it could be killed")
        #expect(first.terminationStatus == 1, "one job failed (the killed one): \(Self.allText(under: dir).suffix(2000))")
        let cachedAfterKill = Int(try pg.psql(database, "SELECT count(*) FROM jb_response_cache")) ?? -1
        let sentBeforeRetry = server.requestCount
        // Requests in flight when shard 1 died: sent, never answered to it, never cached.
        let inFlight = sentBeforeRetry - cachedAfterKill
        #expect(inFlight >= 0 && inFlight <= 2, "in flight at the kill: \(inFlight)")

        // The scheduler runs the failed task again: the same command.
        let retry = try start("\(parallel) --will-cite -j 1 setsid -w ./shard.sh ::: 1", in: dir, environment: env)
        try await offPool { retry.waitUntilExit() }
        #expect(retry.terminationStatus == 0, "\(Self.allText(under: dir).suffix(3000))")

        // Every question answered exactly once per model.
        let pairs = try pg.psql(database, "SELECT count(*), count(DISTINCT (question_id, model)) FROM benchmark_results")
        #expect(pairs == "60|60", "rows and distinct (question, model) pairs: \(pairs)")
        // No request paid twice: each (model, question) was asked once, but for those in
        // flight at the kill.
        var asked: [String: Int] = [:]
        for r in server.requests { asked[r.model + "\u{0}" + r.content, default: 0] += 1 }
        #expect(asked.count == 60)
        #expect(server.requestCount == 60 + inFlight)
        #expect(asked.values.filter { $0 > 1 }.count <= inFlight)

        // The same pipeline unsharded, into SQLite, without a cache.
        let sqlite = dir.appendingPathComponent("one.db").path
        let whole = try await offPool {
            try ToolRunner.run("jb", ["run", ToolRunner.packageRoot.appendingPathComponent("pipelines/sharded.yaml").path,
                                      "--db", sqlite, "--set", "query.api=openrouter", "--set", "query.no_cache=true",
                                      "--out", dir.appendingPathComponent("runs/whole").path],
                               environment: self.environment(server, [:]), directory: dir)
        }
        #expect(whole.status == 0, "\(whole)")
        // The same rows, and the seed's columns answer the same SQL in both engines.
        let queries = [
            "SELECT id, question_text, correct_answer, category, value, difficulty_level, air_date, show_number, round FROM questions ORDER BY id",
            """
            SELECT id, benchmark_run_id, question_id, model_name, response_text, is_correct, confidence_score, tokens_generated
            FROM benchmark_results ORDER BY id
            """,
            "SELECT key, grade_mode, run_id, question_id, model, response_text, correct, extracted, method FROM benchmark_results ORDER BY key",
            "SELECT id, name, status, models_tested, benchmark_mode, sample_size, total_tokens FROM benchmark_runs ORDER BY id",
            """
            SELECT model_name, count(*), sum(CASE WHEN is_correct THEN 1 ELSE 0 END) FROM benchmark_results
            GROUP BY model_name ORDER BY model_name
            """,
        ]
        for sql in queries {
            let lite = try SeedQueries.sqlite(sqlite, sql)
            let post = try SeedQueries.postgres(socketURL, sql)
            #expect(!lite.isEmpty, "\(sql)")
            #expect(lite == post, "\(sql)")
        }
        // Metrics over every shard, from the shared database.
        let export = try ToolRunner.run("jb-store", ["export", url, "grades", "--run", "sweep"], environment: ["NO_COLOR": "1"])
        #expect(export.status == 0 && export.lines.count == 60, "\(export)")
        let metrics = try ToolRunner.run("jb-metrics", [], stdin: export.stdout)
        #expect(metrics.status == 0 && metrics.output.contains("\"group\":\"all\""), "\(metrics)")

        // The password is in no output, log, record, run.json or report.
        #expect(!Self.allText(under: dir).contains(PostgresServer.password))
        #expect(!whole.stderr.contains(PostgresServer.password) && !export.stderr.contains(PostgresServer.password))
        let runJSON = try String(contentsOf: dir.appendingPathComponent("runs/whole/run.json"), encoding: .utf8)
        #expect(runJSON.contains("one.db"))
    }
}

/// What the scaling test needs: a PostgreSQL server and GNU parallel.
enum ScalingPrerequisites {
    static let parallel = ["/usr/bin/parallel", "/usr/local/bin/parallel"].first { path in
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        // moreutils also has a `parallel`; only GNU's runs the recipes.
        let version = try? ToolRunner.runExternal(path, ["--version"])
        return version?.contains("GNU parallel") == true
    }

    /// Why the suite cannot run here, or nil.
    static var missing: String? {
        if let why = PostgresServer.unavailable { return why }
        if parallel == nil { return "scaling test skipped: GNU parallel is not installed (Debian: parallel; `make test` installs it as root)" }
        return nil
    }
}
