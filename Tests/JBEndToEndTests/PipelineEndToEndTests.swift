import Foundation
import JBTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the pipelines in `pipelines/` with the built tools, as a user would from the
/// repository: `jb run`, its `--dry-run` script under `sh`, a failing stage, a bad pipeline
/// file, and an interrupted run resumed.
@Suite(.tools, .serialized) struct PipelineEndToEndTests {
    /// A fresh scratch folder.
    static func scratch() -> URL { ToolRunner.makeTemporaryDirectory() }

    /// Fixed clock, fixed run id, no response cache: two runs give the same bytes.
    static let reproducible = ["--set", "query.run_id=e2e", "--set", "query.no_cache=true"]
    static let env = ["SOURCE_DATE_EPOCH": "1700000000"]

    /// The tools a pipeline needs, or nil (with a note) when one is still a placeholder.
    static func toolsReady(_ tools: [String]) -> Bool {
        for tool in ["jb"] + tools {
            let exe = ToolRunner.binDirectory.appendingPathComponent(tool).path
            guard FileManager.default.isExecutableFile(atPath: exe) else {
                FileHandle.standardError.write(Data("skipping: \(tool) is not built (\(exe))\n".utf8))
                return false
            }
            let r = try? ToolRunner.run(tool, ["--help"])
            if r?.output.contains("not built yet") ?? true {
                FileHandle.standardError.write(Data("skipping: \(tool) is still a placeholder (not built yet)\n".utf8))
                return false
            }
        }
        return true
    }

    static let demoTools = ["jb-ingest", "jb-sample", "jb-query", "jb-grade", "jb-metrics", "jb-report"]

    /// `jb run` from the repository root (the pipelines name files in examples/).
    static func jb(_ args: [String], env extra: [String: String] = [:]) throws -> RunResult {
        try ToolRunner.run("jb", args, environment: env.merging(extra) { _, b in b }, directory: ToolRunner.packageRoot)
    }

    /// Runs a script with sh from the repository root, as a user would paste it.
    static func sh(_ script: String) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = [script]
        p.environment = ToolRunner.environment(env)
        p.currentDirectoryURL = ToolRunner.packageRoot
        let err = ToolRunner.makeTemporaryDirectory().appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    static func lines(_ url: URL) -> [String] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    static func runJSON(_ dir: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("run.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test func demoRunMatchesItsDryRunScript() throws {
        guard PipelineEndToEndTests.toolsReady(PipelineEndToEndTests.demoTools) else { return }
        let dir = PipelineEndToEndTests.scratch()
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        let run = try PipelineEndToEndTests.jb(["run", "pipelines/demo.yaml", "--out", a.path] + PipelineEndToEndTests.reproducible)
        #expect(run.status == 0, "\(run)")
        #expect(run.output == a.path + "\n")
        #expect(run.stderr.contains("[query] jb-query:"), "stages' stderr is shown with their names: \(run)")
        let stages = ["01-ingest", "02-sample", "03-query", "04-grade", "05-metrics"]
        #expect(stages.map { PipelineEndToEndTests.lines(a.appendingPathComponent("\($0).jsonl")).count } == [42, 30, 90, 90,
            PipelineEndToEndTests.lines(a.appendingPathComponent("05-metrics.jsonl")).count])
        for report in ["report.txt", "report.md", "report.html"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: a.appendingPathComponent(report).path)[.size] as? Int) ?? 0
            #expect(size > 0, "\(report)")
        }
        let record = try PipelineEndToEndTests.runJSON(a)
        #expect(record["status"] as? Int == 0)
        #expect((record["stages"] as? [[String: Any]])?.map { $0["status"] as? Int } == [0, 0, 0, 0, 0])
        #expect((record["seeds"] as? [String: Int]) == ["pipeline": 7, "sample": 7, "query": 7])
        #expect((record["tools"] as? [String: Any])?.keys.sorted() == (["jb"] + PipelineEndToEndTests.demoTools).sorted())

        let dry = try PipelineEndToEndTests.jb(["run", "pipelines/demo.yaml", "--out", b.path, "--dry-run"] + PipelineEndToEndTests.reproducible)
        #expect(dry.status == 0, "\(dry)")
        let script = dir.appendingPathComponent("demo.sh")
        try dry.stdout.write(to: script)
        let sh = try PipelineEndToEndTests.sh(script.path)
        #expect(sh.status == 0, "\(sh.stderr)")
        for stage in stages {
            let x = try Data(contentsOf: a.appendingPathComponent("\(stage).jsonl"))
            let y = try Data(contentsOf: b.appendingPathComponent("\(stage).jsonl"))
            #expect(x == y, "\(stage).jsonl differs between jb run and its --dry-run script")
        }
        for report in ["report.txt", "report.md", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: b.appendingPathComponent(report).path), "\(report)")
        }

        // Re-grade that run in jeopardy mode, and list the flips.
        guard PipelineEndToEndTests.toolsReady([]) else { return }
        let r = dir.appendingPathComponent("r")
        let regrade = try PipelineEndToEndTests.jb(["run", "pipelines/regrade.yaml", "--out", r.path], env: ["RUN": a.path])
        #expect(regrade.status == 0, "\(regrade)")
        let regraded = PipelineEndToEndTests.lines(r.appendingPathComponent("01-regrade.jsonl"))
        #expect(regraded.count == 90)
        #expect(regraded.allSatisfy { $0.contains("\"mode\":\"jeopardy\"") })
        #expect(FileManager.default.fileExists(atPath: r.appendingPathComponent("03-flips.jsonl").path))
        #expect(FileManager.default.fileExists(atPath: r.appendingPathComponent("report.html").path))
    }

    @Test func compareRunsWithoutAKey() throws {
        guard PipelineEndToEndTests.toolsReady(PipelineEndToEndTests.demoTools) else { return }
        let out = PipelineEndToEndTests.scratch().appendingPathComponent("c")
        let run = try PipelineEndToEndTests.jb(["run", "pipelines/compare.yaml", "--out", out.path] + PipelineEndToEndTests.reproducible)
        #expect(run.status == 0, "\(run)")
        let metrics = PipelineEndToEndTests.lines(out.appendingPathComponent("05-metrics.jsonl"))
        #expect(metrics.contains { $0.contains("\"kind\":\"comparison\"") }, "a paired comparison of the two models")
        #expect(PipelineEndToEndTests.lines(out.appendingPathComponent("03-query.jsonl")).count == 80)
    }

    @Test func sinkLoadsTheRunIntoSQLite() throws {
        guard PipelineEndToEndTests.toolsReady(PipelineEndToEndTests.demoTools + ["jb-store"]) else { return }
        let dir = PipelineEndToEndTests.scratch()
        let db = dir.appendingPathComponent("results.db")
        let run = try PipelineEndToEndTests.jb(["run", "pipelines/demo.yaml", "--out", dir.appendingPathComponent("s").path,
                                                "--set", "sink.db=\(db.path)", "--set", "report.formats=markdown"])
        #expect(run.status == 0, "\(run)")
        let export = try ToolRunner.run("jb-store", ["export", db.path, "grades"])
        #expect(export.status == 0, "\(export)")
        #expect(export.lines.count == 90)
    }

    @Test func everyPipelineIsValidAndOpenRouterDryRuns() throws {
        guard PipelineEndToEndTests.toolsReady([]) else { return }
        let files = try FileManager.default.contentsOfDirectory(atPath: ToolRunner.packageRoot.appendingPathComponent("pipelines").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "pipelines/" + $0 }
        #expect(files == ["pipelines/compare.yaml", "pipelines/demo.yaml", "pipelines/openrouter.yaml", "pipelines/regrade.yaml",
                          "pipelines/sharded.yaml"])
        let validate = try PipelineEndToEndTests.jb(["validate"] + files)
        #expect(validate.status == 0, "\(validate)")
        // The real run needs OPENROUTER_API_KEY and the network; its script needs neither.
        let dry = try PipelineEndToEndTests.jb(["run", "pipelines/openrouter.yaml", "--dry-run", "--out", "runs/x"])
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.output.contains("jb-query --models openai/gpt-4o-mini,"), "\(dry.output)")
        #expect(dry.output.contains("stage sink jb-store load results.db \"$run/04-grade.jsonl\" \"$run/05-metrics.jsonl\""))
    }

    /// Every model an example pipeline names by default (jb-query's `--model`/`--models`,
    /// jb-grade's `--judge`) is in the catalogue built into jb: the pipelines work out of the
    /// box, even with no network to fetch the live catalogue.
    @Test func examplePipelinesNameModelsOfTheBuiltInCatalogue() throws {
        guard PipelineEndToEndTests.toolsReady(["jb-models"]) else { return }
        let dir = ToolRunner.packageRoot.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(!files.isEmpty)
        var models: Set<String> = []
        for f in files {
            let dry = try PipelineEndToEndTests.jb(["run", "pipelines/" + f, "--dry-run", "--out", "runs/x"])
            #expect(dry.status == 0, "\(dry)")
            let words = dry.output.split(whereSeparator: { $0 == " " || $0 == "\n" })
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
            for (k, w) in words.enumerated().dropLast() where ["--model", "--models", "--judge"].contains(w) {
                for m in words[k + 1].split(separator: ",").map(String.init) where !m.hasPrefix("sim/") { models.insert(m) }
            }
        }
        #expect(models.contains("openai/gpt-4o-mini"), "the OpenRouter pipeline's models were found: \(models)")
        for m in models.sorted() {
            let r = try ToolRunner.run("jb-models", ["info", "--offline", m])
            #expect(r.status == 0, "a pipeline names \(m), which the built-in catalogue lacks: \(r)")
        }
        // And the check can fail: a model the catalogue lacks is refused.
        let missing = try ToolRunner.run("jb-models", ["info", "--offline", "anthropic/claude-3.5-haiku"])
        #expect(missing.status != 0, "\(missing)")
    }

    @Test func badPipelineFileGivesLineAndColumn() throws {
        guard PipelineEndToEndTests.toolsReady([]) else { return }
        let dir = PipelineEndToEndTests.scratch()
        let file = dir.appendingPathComponent("bad.yaml")
        try Data("""
            name: bad
            stages:
              - name: ingest
                tool: jb-ingest
                agrs: [examples/questions.csv]
              - name: sample
                tool: jb-sample
                args: {n: "${SAMPLE_SIZE}"}
            report: [terminal, pdf]
            """.utf8).write(to: file)
        for args in [["validate", file.path], ["run", file.path]] {
            let r = try PipelineEndToEndTests.jb(args)
            #expect(r.status == 78, "\(r)")
            #expect(r.stderr == """
                jb: \(file.path):5:5: error: stage 'ingest': unknown key 'agrs' (expected name, tool, args, input, output)
                jb: \(file.path):8:15: error: environment variable SAMPLE_SIZE is not set (write ${SAMPLE_SIZE:-default} to give a default)
                jb: \(file.path):9:20: error: report: unknown format 'pdf' (expected terminal, markdown, html, csv, json)

                """, "\(r)")
            #expect(r.output.isEmpty)
        }
    }

    @Test func failingStageStopsTheRunWithItsStatus() throws {
        guard PipelineEndToEndTests.toolsReady(["jb-ingest", "jb-sample"]) else { return }
        let dir = PipelineEndToEndTests.scratch()
        let good = try ToolRunner.run("jb-ingest", ["examples/questions.csv"], directory: ToolRunner.packageRoot).lines[0]
        try Data("\(good)\nnot json\n".utf8).write(to: dir.appendingPathComponent("bad.jsonl"))
        let file = dir.appendingPathComponent("fail.yaml")
        try Data("""
            stages:
              - {name: sample, tool: jb-sample, input: \(dir.path)/bad.jsonl, args: {n: 1}}
              - {name: copy, tool: cat}
            """.utf8).write(to: file)
        let out = dir.appendingPathComponent("r")
        let r = try PipelineEndToEndTests.jb(["run", file.path, "--out", out.path])
        #expect(r.status == 65, "\(r)")
        #expect(r.stderr.contains("[sample] jb-sample: <stdin>:2: error:"), "\(r)")
        #expect(r.stderr.contains("jb: error: 'sample' failed with status 65; see \(out.path)/run.log; continue with: jb run --resume \(out.path)"), "\(r)")
        let record = try PipelineEndToEndTests.runJSON(out)
        #expect(record["status"] as? Int == 65)
    }

    @Test func interruptedRunResumes() throws {
        guard PipelineEndToEndTests.toolsReady(PipelineEndToEndTests.demoTools) else { return }
        let out = PipelineEndToEndTests.scratch().appendingPathComponent("i")
        // sim/ models wait their simulated latency for real, so the run is still asking when interrupted.
        let p = Process()
        p.executableURL = ToolRunner.binDirectory.appendingPathComponent("jb")
        p.arguments = ["run", "pipelines/demo.yaml", "--out", out.path, "--set", "query.sim_sleep=true",
                       "--set", "query.concurrency=2"] + PipelineEndToEndTests.reproducible
        p.environment = ToolRunner.environment(PipelineEndToEndTests.env)
        p.currentDirectoryURL = ToolRunner.packageRoot
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        let query = out.appendingPathComponent("03-query.jsonl")
        let began = Date()
        while PipelineEndToEndTests.lines(query).count < 4 && p.isRunning && Date().timeIntervalSince(began) < 60 { usleep(50_000) }
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        let partial = PipelineEndToEndTests.lines(query)
        #expect(partial.count >= 4 && partial.count < 90, "interrupted part way: \(partial.count) responses")
        let before = try PipelineEndToEndTests.runJSON(out)
        #expect((before["stages"] as? [[String: Any]])?.prefix(3).map { $0["status"] as? Int } == [0, 0, 130])

        let resumed = try PipelineEndToEndTests.jb(["run", "--resume", out.path])
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stderr.contains("resuming \(out.path) from stage 'query'"), "\(resumed)")
        let all = PipelineEndToEndTests.lines(query)
        #expect(all.count == 90)
        #expect(Array(all.prefix(partial.count)) == partial, "the answers already paid for are kept, not asked again")
        let keys = all.compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["key"] as? String
        }
        #expect(Set(keys).count == 90)
        #expect(PipelineEndToEndTests.lines(out.appendingPathComponent("04-grade.jsonl")).count == 90)
        let after = try PipelineEndToEndTests.runJSON(out)
        #expect(after["status"] as? Int == 0)
        #expect((after["stages"] as? [[String: Any]])?[2]["resumed"] as? Bool == true)
        // The resumed query stage wrote its file itself (-o); run.json still counts its records.
        #expect((after["stages"] as? [[String: Any]])?[2]["records"] as? Int == 90)
    }

    @Test func jbRunsOtherToolsLikeGit() throws {
        guard PipelineEndToEndTests.toolsReady(["jb-ingest"]) else { return }
        let r = try ToolRunner.run("jb", ["ingest", "examples/questions.csv"], directory: ToolRunner.packageRoot)
        #expect(r.status == 0, "\(r)")
        #expect(r.lines.count == 42)
        let unknown = try ToolRunner.run("jb", ["frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("'frobnicate' is not a jb command, and no jb-frobnicate was found beside jb or on PATH"))
        let help = try ToolRunner.run("jb", ["--help"])
        #expect(help.output.contains("jb-ingest"))
        #expect(help.output.contains("run"))
    }
}
