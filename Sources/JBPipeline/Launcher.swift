import Dispatch
import Foundation
import JBCLI
import JBCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `jb run` and `jb validate` do, from a file name to a finished run folder.
public struct Launcher {
    /// The environment `${VAR}` expands from and the stages run in.
    public var environment: [String: String]
    /// Finds the tools.
    public var locator: ToolLocator
    /// Where runs go by default: `<runsRoot>/<name>/<id>/`.
    public var runsRoot: String
    /// jb's own version, recorded in run.json.
    public var jbVersion: String?
    /// jb's messages.
    public var diagnostics: Diagnostics
    /// Where the stages' prefixed stderr lines go.
    public var stderrSink: @Sendable (String) -> Void

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, locator: ToolLocator,
                runsRoot: String = PipelineSetting.runsDir.defaultValue, jbVersion: String? = nil, diagnostics: Diagnostics,
                stderrSink: @escaping @Sendable (String) -> Void = Launcher.writeStderr) {
        self.environment = environment
        self.locator = locator
        self.runsRoot = runsRoot
        self.jbVersion = jbVersion
        self.diagnostics = diagnostics
        self.stderrSink = stderrSink
    }

    /// Loads and checks a pipeline file, tools included.
    public func load(_ path: String) throws -> Pipeline {
        let locator = self.locator
        return try PipelineLoader(environment: environment, toolExists: { locator.resolve($0) != nil }).load(path: path)
    }

    /// `jb validate`: checks the file and returns a one-line summary of it.
    public func validate(_ path: String) throws -> String {
        let p = try load(path)
        var parts = ["\(p.stages.count) stage\(p.stages.count == 1 ? "" : "s"): " + p.stages.map(\.name).joined(separator: " → ")]
        if let r = p.report { parts.append("report: " + r.formats.joined(separator: ", ")) }
        if let s = p.sink { parts.append("sink: " + DatabaseURL.redacted(s.db)) }
        return "\(path): ok: " + parts.joined(separator: "; ")
    }

    /// A new run: the loaded pipeline with overrides, its run folder and plan.
    public func prepare(_ path: String, overrides: [String], out: String?) throws -> (Pipeline, RunPlan, usesDefaultFolder: Bool) {
        let pipeline = try Preset.apply(overrides: overrides, to: try load(path))
        let dir: String, id: String
        if let out {
            dir = out.count > 1 && out.hasSuffix("/") ? String(out.dropLast()) : out
            id = (dir as NSString).lastPathComponent
            if FileManager.default.fileExists(atPath: dir + "/run.json") {
                throw JBError.usage("--out \(out): that folder already holds a run; continue it with 'jb run --resume \(out)' or choose another folder")
            }
        } else {
            (dir, id) = newRunFolder(name: pipeline.name)
        }
        let plan = Planner(locator: locator).plan(pipeline, runDirectory: dir, id: id)
        try Launcher.refuseSecrets(plan)
        return (pipeline, plan, out == nil)
    }

    /// Commands end up in run.json, scripts and reports, so they must not hold a secret (an
    /// API key put into an argument through `${VAR}`); the tools read keys from the environment.
    static func refuseSecrets(_ plan: RunPlan) throws {
        let steps = plan.stages.map { ($0.name, [$0.tool] + $0.arguments + [$0.input ?? ""]) }
            + plan.reports.map { ("report", $0.arguments) } + (plan.sink.map { [("sink", $0.arguments)] } ?? [])
        // A database URL's password is allowed: it is redacted wherever the command is shown.
        for (name, words) in steps
        where words.map(DatabaseURL.redactedWithin).contains(where: { Redactor.shared.redact($0) != $0 }) {
            throw JBError.usage("'\(name)': an argument holds a secret (an API key); leave it out of the pipeline: the tools read keys from the environment or .env")
        }
    }

    /// `runs/NAME/YYYYMMDD-HHMMSS`, with `-2`, `-3`… if that exists already.
    func newRunFolder(name: String) -> (String, String) {
        let base = Timestamp.compact(Date())
        var id = base
        var n = 2
        while FileManager.default.fileExists(atPath: "\(runsRoot)/\(name)/\(id)") {
            id = "\(base)-\(n)"
            n += 1
        }
        return ("\(runsRoot)/\(name)/\(id)", id)
    }

    /// `jb run FILE --estimate`: what the whole pipeline would cost, before anything is sent.
    ///
    /// The free stages before the first jb-query stage (ingest, sample, any local command) run
    /// for real into a scratch folder, so the questions are the ones the run will ask; each
    /// jb-query stage then prints its `--estimate` table (every model and epoch) on them, and
    /// each jb-grade stage with a `--judge` model is priced as if every reply went to the
    /// judge (an upper bound: only replies the rules cannot settle do). Nothing is sent.
    public func estimate(_ path: String, overrides: [String]) throws -> String {
        let scratch = NSTemporaryDirectory() + "jb-estimate-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let (pipeline, plan, _) = try prepare(path, overrides: overrides, out: scratch)
        try checkInputs(plan)
        let isQuery = { (s: PlannedStage) in (s.tool as NSString).lastPathComponent == "jb-query" }
        guard let first = plan.stages.firstIndex(where: isQuery) else {
            return "\(pipeline.name): no jb-query stage: the run sends nothing and costs nothing\n"
        }
        var free = plan
        free.stages = Array(plan.stages[..<first])
        free.reports = []
        free.sink = nil
        if !free.stages.isEmpty {
            let record = RunRecord(id: plan.id, name: pipeline.name, pipelineFile: path, pipeline: pipeline, overrides: overrides,
                                   plan: free, git: nil, tools: [:], startedAt: Runner.now())
            let runner = Runner(record: record, locator: locator, environment: environment, stderrSink: stderrSink)
            let status = try runner.run()
            if status != 0 {
                throw JBError.failed("--estimate: the stages before '\(plan.stages[first].name)' failed (status \(status)); nothing was estimated")
            }
        }
        var out = "Estimate for \(path): nothing is sent; prices from --pricing or the model catalogue.\n"
        var total: Double = 0
        var unknown = false
        var queryInput: String?
        var requests = 0
        for (k, stage) in plan.stages.enumerated() where isQuery(stage) {
            let input = stage.input ?? (k == first ? (k > 0 ? plan.stages[k - 1].output : nil) : nil)
            guard k == first || stage.input != nil else {
                out += "\nstage '\(stage.name)': not estimated (its input is made by the run itself)\n"
                continue
            }
            if k == first { queryInput = input }
            let table = try runEstimate(stage.tool, stage.arguments + ["--estimate"], input: input, stage: stage.name)
            out += "\nstage '\(stage.name)' (\(stage.tool)):\n" + table
            let (cost, more, n) = Launcher.totals(table)
            total += cost
            unknown = unknown || more
            if k == first { requests = n }
            if let m = stage.arguments.firstIndex(of: "--max-cost"), m + 1 < stage.arguments.count,
               let budget = Double(stage.arguments[m + 1]) {
                let text = stage.arguments[m + 1]
                out += cost > budget
                    ? "the estimate passes this stage's max_cost $\(text): it will stop at the budget, leaving requests unanswered\n"
                    : "within this stage's max_cost $\(text)\n"
            }
        }
        for stage in plan.stages where (stage.tool as NSString).lastPathComponent == "jb-grade" {
            guard let k = stage.arguments.firstIndex(of: "--judge"), k + 1 < stage.arguments.count else { continue }
            let judge = stage.arguments[k + 1]
            if ModelID.isSimulated(judge) {
                out += "\nstage '\(stage.name)': judge \(judge) is simulated: free\n"
                continue
            }
            // Every reply judged: the judge sees the clue, the answer and the reply, about the
            // size of the question's prompt, and answers in a few tokens.
            let perQuestion = max(1, requests / max(1, try questionCount(queryInput)))
            let table = try runEstimate("jb-query", ["--model", judge, "--epochs", String(perQuestion), "--max-tokens", "16",
                                                     "--no-cache", "--estimate"] + baseURLArguments(plan), input: queryInput, stage: stage.name)
            out += "\nstage '\(stage.name)': judge \(judge), at most one request per reply (\(requests)):\n" + table
            let (cost, more, _) = Launcher.totals(table)
            total += cost
            unknown = unknown || more
        }
        out += String(format: "\npipeline total: $%.6f%@ (at most: the judge is counted for every reply)\n", total, unknown ? "+ (some prices unknown)" : "")
        return out
    }

    /// The `--base-url`/`--api` of the plan's first jb-query stage, so a judge is priced the same way.
    func baseURLArguments(_ plan: RunPlan) -> [String] {
        guard let q = plan.stages.first(where: { ($0.tool as NSString).lastPathComponent == "jb-query" }) else { return [] }
        var out: [String] = []
        for flag in ["--base-url", "--api", "--pricing"] {
            if let k = q.arguments.firstIndex(of: flag), k + 1 < q.arguments.count { out += [flag, q.arguments[k + 1]] }
        }
        return out
    }

    func questionCount(_ file: String?) throws -> Int {
        guard let file, let data = FileManager.default.contents(atPath: file) else { return 1 }
        return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// The cost column of an estimate table's `total` row, whether some price was unknown, and
    /// the replies (requests to send and cached answers).
    static func totals(_ table: String) -> (Double, Bool, Int) {
        for line in table.split(separator: "\n") where line.hasPrefix("total ") {
            let words = line.split(separator: " ")
            let last = String(words.last ?? "")
            let more = last.hasSuffix("+")
            let asked = words.count > 2 ? (Int(words[1]) ?? 0) + (Int(words[2]) ?? 0) : 0
            return (Double(more ? String(last.dropLast()) : last) ?? 0, more, asked)
        }
        return (0, true, 0)
    }

    /// Runs a tool with stdin from `input` and returns its stdout; its failure is the estimate's.
    func runEstimate(_ tool: String, _ arguments: [String], input: String?, stage: String) throws -> String {
        guard let found = locator.resolve(tool) else {
            throw JBError.cannotOpen(path: tool, reason: "tool not found beside jb or on PATH")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: found.path)
        p.arguments = arguments
        var env = environment
        if let dir = locator.jbDirectory { env["PATH"] = dir + (env["PATH"].map { ":" + $0 } ?? "") }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle(forReadingAtPath: input ?? "/dev/null") ?? FileHandle.nullDevice
        try p.run()
        let errData = Locked(Data())
        let drain = Thread { errData.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() } }
        drain.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while drain.isExecuting || !drain.isFinished { usleep(1000) }
        if p.terminationStatus != 0 {
            let message = String(decoding: errData.withLock { $0 }, as: UTF8.self)
            for line in message.split(separator: "\n") { stderrSink("[\(stage)] " + Redactor.shared.redact(String(line)) + "\n") }
            throw JBError.failed("--estimate: stage '\(stage)' could not estimate (status \(p.terminationStatus))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `jb run --dry-run`: the shell script.
    public func dryRun(_ path: String, overrides: [String], out: String?) throws -> String {
        let (pipeline, plan, _) = try prepare(path, overrides: overrides, out: out)
        var title = (["jb", "run", path] + overrides.flatMap { ["--set", $0] }).map(Shell.quote).joined(separator: " ")
        if let out { title += " --out " + Shell.quote(out) }
        let record = RunRecord(id: plan.id, name: pipeline.name, pipelineFile: path, pipeline: pipeline,
                               overrides: overrides, plan: plan, git: nil, tools: [:], startedAt: Runner.now())
        return ShellScript(plan: plan, title: title, pathPrefix: pathPrefix(for: plan),
                           runJSON: try record.json(compact: true)).render()
    }

    /// `jb run --resume DIR --dry-run`: the script for the stages left to do.
    public func dryRunResume(_ dir: String) throws -> String {
        let record = try RunRecord.read(runDirectory: dir)
        try checkSameFolder(record, dir)
        let start = record.resumePoint ?? record.plan.stages.count
        return ShellScript(plan: record.plan, title: "jb run --resume " + Shell.quote(dir),
                           pathPrefix: pathPrefix(for: record.plan)).render(from: start, resuming: true)
    }

    /// A folder to put first on PATH in a script, when a tool jb would run is not the one PATH finds.
    func pathPrefix(for plan: RunPlan) -> String? {
        guard let dir = locator.jbDirectory else { return nil }
        let tools = plan.stages.map(\.tool) + (plan.reports.isEmpty ? [] : ["jb-report"]) + (plan.sink == nil ? [] : ["jb-store"])
        for t in tools {
            if let found = locator.resolve(t), found.besideJB, locator.findOnPath(found.name) != found.path { return dir }
        }
        return nil
    }

    /// `jb run`: runs a pipeline; returns the run folder and the run's status.
    public func run(_ path: String, overrides: [String], out: String?) throws -> (String, Int32) {
        let (pipeline, plan, usesDefault) = try prepare(path, overrides: overrides, out: out)
        try checkInputs(plan)
        do {
            try FileManager.default.createDirectory(atPath: plan.runDirectory, withIntermediateDirectories: true)
        } catch {
            throw JBError.cannotCreate(path: plan.runDirectory, reason: error.localizedDescription)
        }
        if usesDefault { linkLatest(plan.runDirectory) }
        let record = RunRecord(id: plan.id, name: pipeline.name, pipelineFile: path, pipeline: pipeline,
                               overrides: overrides, plan: plan, git: gitRevision(), tools: toolVersions(plan),
                               startedAt: Runner.now())
        return (plan.runDirectory, try execute(record, from: 0, resuming: false))
    }

    /// `jb run --resume DIR`: continues a run from its first unfinished stage.
    public func resume(_ dir: String) throws -> (String, Int32) {
        let record = try RunRecord.read(runDirectory: dir)
        try checkSameFolder(record, dir)
        if record.status == 0 {
            diagnostics.info("\(dir): the run finished; nothing to resume")
            return (record.plan.runDirectory, 0)
        }
        let start = record.resumePoint ?? record.plan.stages.count
        if start < record.plan.stages.count {
            diagnostics.info("resuming \(dir) from stage '\(record.plan.stages[start].name)'")
        } else {
            diagnostics.info("resuming \(dir): the stages are done; writing the reports and the sink")
        }
        try checkInputs(record.plan, from: start)
        return (record.plan.runDirectory, try execute(record, from: start, resuming: true))
    }

    /// Runs with SIGINT/SIGTERM/SIGHUP forwarded to the stages (so jb-query saves its work).
    func execute(_ record: RunRecord, from start: Int, resuming: Bool) throws -> Int32 {
        let runner = Runner(record: record, locator: locator, environment: environment, stderrSink: stderrSink)
        if diagnostics.isTTY && diagnostics.verbosity >= .normal {
            let d = diagnostics
            runner.progress = { text in if let text { d.progress(text) } else { d.clearProgress() } }
        }
        let forwarder = SignalForwarder { runner.interrupt($0) }
        defer { forwarder.cancel() }
        let began = Date()
        let status = try runner.run(from: start, resuming: resuming)
        let seconds = String(format: "%.1f", Date().timeIntervalSince(began))
        if status == 0 {
            let reports = runner.record.plan.reports.map(\.output)
            diagnostics.info("done in \(seconds) s: \(runner.record.plan.runDirectory)"
                             + (reports.isEmpty ? "" : " (reports: " + reports.joined(separator: ", ") + ")"))
        } else {
            let all = runner.record.stages + runner.record.reports + (runner.record.sink.map { [$0] } ?? [])
            let failed = all.first { $0.status == status }
            let what = status == ExitStatus.interrupted.rawValue ? "interrupted"
                : failed.map { "'\($0.name)' failed with status \(status)" } ?? "stopped with status \(status)"
            diagnostics.error("\(what); see \(runner.record.plan.runDirectory)/run.log; continue with: jb run --resume \(runner.record.plan.runDirectory)")
        }
        return status
    }

    /// Refuses to resume a run folder given by another path than it was made with, since the
    /// commands name files relative to the directory jb ran in.
    func checkSameFolder(_ record: RunRecord, _ dir: String) throws {
        func real(_ p: String) -> String { (URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path) }
        if real(record.plan.runDirectory) != real(dir) {
            throw JBError.usage("\(dir) was made as \(record.plan.runDirectory) from another directory; run 'jb run --resume' from the directory the run was started in")
        }
    }

    /// Each stage's `input` file must exist (those made by earlier stages will be).
    func checkInputs(_ plan: RunPlan, from start: Int = 0) throws {
        let made = Set(plan.stages.map(\.output))
        for s in plan.stages[start...] {
            if let input = s.input, !made.contains(input), !FileManager.default.fileExists(atPath: input) {
                throw JBError.cannotOpen(path: input, reason: "no such file (the input of stage '\(s.name)')")
            }
        }
        var needed = plan.stages[start...].map(\.tool)
        if !plan.reports.isEmpty { needed.append("jb-report") }
        if plan.sink != nil { needed.append("jb-store") }
        for t in needed where locator.resolve(t) == nil {
            throw JBError.cannotOpen(path: t, reason: "tool not found beside jb or on PATH")
        }
    }

    /// Points `runs/NAME/latest` at the new run.
    func linkLatest(_ dir: String) {
        let parent = (dir as NSString).deletingLastPathComponent, id = (dir as NSString).lastPathComponent
        let link = parent + "/latest", temp = parent + "/.latest-\(getpid())"
        try? FileManager.default.removeItem(atPath: temp)
        guard (try? FileManager.default.createSymbolicLink(atPath: temp, withDestinationPath: id)) != nil else { return }
        if rename(temp, link) != 0 { try? FileManager.default.removeItem(atPath: temp) }
    }

    /// `TOOL --version` for every tool the plan uses; null when a tool has no version.
    func toolVersions(_ plan: RunPlan) -> [String: String?] {
        var tools = Set(plan.stages.map(\.tool))
        if !plan.reports.isEmpty { tools.insert("jb-report") }
        if plan.sink != nil { tools.insert("jb-store") }
        var out: [String: String?] = [:]
        if let jbVersion { out["jb"] = jbVersion }
        for t in tools.sorted() {
            guard let found = locator.resolve(t) else {
                out[t] = .some(nil)
                continue
            }
            out[t] = .some(Launcher.capture(found.path, ["--version"], environment: environment)
                .flatMap { $0.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) } }
                .flatMap { $0.isEmpty ? nil : $0 })
        }
        return out
    }

    /// The working directory's git commit, if it is in a repository and git is installed.
    func gitRevision() -> GitRevision? {
        guard let git = locator.findOnPath("git"),
              let head = Launcher.capture(git, ["rev-parse", "HEAD"], environment: environment)?
                .trimmingCharacters(in: .whitespacesAndNewlines), head.count >= 7
        else { return nil }
        let status = Launcher.capture(git, ["status", "--porcelain", "--untracked-files=no"], environment: environment)
        return GitRevision(commit: head, dirty: !(status ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    /// A command's stdout, or nil if it fails or takes more than 10 seconds.
    static func capture(_ path: String, _ arguments: [String], environment: [String: String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        do { try p.run() } catch { return nil }
        let timer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: timer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        timer.cancel()
        guard p.terminationReason == .exit, p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes to stderr, unbuffered.
    public static let writeStderr: @Sendable (String) -> Void = { text in
        var t = text
        t.withUTF8 { b in _ = Spawn.writeAll(2, UnsafeRawBufferPointer(b)) }
    }
}

/// Catches SIGINT, SIGTERM and SIGHUP while a run is going and hands them to a handler
/// (which forwards them to the stages) instead of dying at once.
final class SignalForwarder: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        for s in SignalForwarder.signals {
            signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
            source.setEventHandler { handler(s) }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for s in sources { s.cancel() }
        for s in SignalForwarder.signals { signal(s, SIG_DFL) }
    }
}
