import Foundation
import JBCore

/// `run.json`: how a run was made and how each step ended. Written when the run starts and
/// after every step, so an interrupted run leaves a true record, which `--resume` reads.
public struct RunRecord: Sendable, Equatable, Codable {
    /// The file format, `jb-run/1`.
    public var format: String = "jb-run/1"
    /// The run's id.
    public var id: String
    /// The pipeline's name.
    public var name: String
    /// The pipeline file, as given on the command line.
    public var pipelineFile: String?
    /// The pipeline after defaults, `${VAR}` expansion and `--set` overrides.
    public var pipeline: Pipeline
    /// The `--set` overrides, as given.
    public var overrides: [String]
    /// The commands (saved inside `stages`, `reports` and `sink`).
    public var plan: RunPlan
    /// The git commit of the working directory, when it is in a git repository.
    public var git: GitRevision?
    /// `TOOL --version` of every tool used (null when it has none).
    public var tools: [String: String?]
    /// The seeds: `pipeline`, and each seeded stage's.
    public var seeds: [String: Int64]
    /// ISO 8601 UTC times.
    public var startedAt: String
    public var endedAt: String?
    /// The run's exit status (the first failing step's), null while running.
    public var status: Int32?
    /// Each stage's outcome, in order.
    public var stages: [StepResult]
    /// Each report's outcome.
    public var reports: [StepResult]
    /// The sink's outcome.
    public var sink: StepResult?
    /// When the run was resumed, if ever.
    public var resumedAt: [String]
    /// The jb build that made the run: release and git commit (nil when unknown).
    public var build: BuildInfo = BuildInfo(version: JBVersion.release, commit: JBVersion.commit)
    /// The benchmark mode: the pipeline's preset (`quick`, `standard`, `comprehensive`), or
    /// `custom` without one.
    public var benchmarkMode: String = "custom"
    /// The questions sampled (`n` of the first jb-sample stage), if known.
    public var sampleSize: Int?

    enum CodingKeys: String, CodingKey {
        case format, id, name, pipeline, overrides, git, tools, seeds, status, stages, reports, sink
        case pipelineFile = "pipeline_file", startedAt = "started_at", endedAt = "ended_at", resumedAt = "resumed_at"
        case runDirectory = "run_directory"
        case build
        case benchmarkMode = "benchmark_mode", sampleSize = "sample_size"
    }

    public init(id: String, name: String, pipelineFile: String?, pipeline: Pipeline, overrides: [String],
                plan: RunPlan, git: GitRevision?, tools: [String: String?], startedAt: String) {
        self.id = id
        self.name = name
        self.pipelineFile = pipelineFile
        // A database URL's password is never recorded: resuming finds it where libpq does
        // (PGPASSWORD, ~/.pgpass) or in JB_DATABASE_URL.
        var shown = pipeline
        if let db = shown.sink?.db { shown.sink?.db = DatabaseURL.redacted(db) }
        self.pipeline = shown
        self.overrides = overrides.map(DatabaseURL.redactedWithin)
        self.plan = plan
        self.git = git
        self.tools = tools
        var seeds: [String: Int64] = [:]
        if let s = pipeline.seed { seeds["pipeline"] = s }
        for stage in plan.stages { if let s = stage.seed { seeds[stage.name] = s } }
        self.seeds = seeds
        benchmarkMode = pipeline.preset ?? "custom"
        sampleSize = Preset.sampleSize(of: pipeline)
        self.startedAt = startedAt
        self.stages = plan.stages.map { StepResult(name: $0.name, command: [$0.tool] + $0.arguments, output: $0.output) }
        self.reports = plan.reports.map { StepResult(name: "report.\($0.format)", command: ["jb-report"] + $0.arguments, output: $0.output) }
        self.sink = plan.sink.map {
            StepResult(name: "sink", command: ["jb-store"] + $0.arguments.map(DatabaseURL.redactedWithin), output: DatabaseURL.redacted($0.db))
        }
        self.resumedAt = []
    }

    // run.json keeps each planned command beside its outcome, one entry per step, rather than
    // a plan and a list of results that repeat each other.

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(pipelineFile, forKey: .pipelineFile)
        try c.encode(pipeline, forKey: .pipeline)
        try c.encode(overrides, forKey: .overrides)
        try c.encode(plan.runDirectory, forKey: .runDirectory)
        try c.encode(git, forKey: .git)
        try c.encode(tools, forKey: .tools)
        try c.encode(seeds, forKey: .seeds)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(endedAt, forKey: .endedAt)
        try c.encode(status, forKey: .status)
        try c.encode(zip(plan.stages, stages).map { StageEntry(plan: $0, result: $1) }, forKey: .stages)
        try c.encode(zip(plan.reports, reports).map { ReportEntry(plan: $0, result: $1) }, forKey: .reports)
        try c.encode(plan.sink.flatMap { p in sink.map { SinkEntry(plan: p, result: $0) } }, forKey: .sink)
        try c.encode(resumedAt, forKey: .resumedAt)
        try c.encode(build, forKey: .build)
        try c.encode(benchmarkMode, forKey: .benchmarkMode)
        try c.encode(sampleSize, forKey: .sampleSize)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        guard format == "jb-run/1" else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription: "unknown format \(format)")
        }
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        pipelineFile = try c.decodeIfPresent(String.self, forKey: .pipelineFile)
        pipeline = try c.decode(Pipeline.self, forKey: .pipeline)
        overrides = try c.decode([String].self, forKey: .overrides)
        git = try c.decodeIfPresent(GitRevision.self, forKey: .git)
        tools = try c.decode([String: String?].self, forKey: .tools)
        seeds = try c.decode([String: Int64].self, forKey: .seeds)
        startedAt = try c.decode(String.self, forKey: .startedAt)
        endedAt = try c.decodeIfPresent(String.self, forKey: .endedAt)
        status = try c.decodeIfPresent(Int32.self, forKey: .status)
        resumedAt = try c.decode([String].self, forKey: .resumedAt)
        build = try c.decodeIfPresent(BuildInfo.self, forKey: .build) ?? BuildInfo(version: "unknown", commit: nil)
        benchmarkMode = try c.decodeIfPresent(String.self, forKey: .benchmarkMode) ?? "custom"
        sampleSize = try c.decodeIfPresent(Int.self, forKey: .sampleSize)
        let stageEntries = try c.decode([StageEntry].self, forKey: .stages)
        let reportEntries = try c.decode([ReportEntry].self, forKey: .reports)
        let sinkEntry = try c.decodeIfPresent(SinkEntry.self, forKey: .sink)
        plan = RunPlan(id: id, runDirectory: try c.decode(String.self, forKey: .runDirectory),
                       stages: stageEntries.map(\.planned), reports: reportEntries.map(\.planned), sink: sinkEntry?.planned)
        stages = stageEntries.map(\.result)
        reports = reportEntries.map(\.result)
        sink = sinkEntry?.result
    }

    /// The index of the first stage that has not finished with status 0: where a resume starts.
    public var resumePoint: Int? {
        stages.firstIndex { $0.status != 0 }
    }

    /// Reads `run.json` from a run folder.
    public static func read(runDirectory: String) throws -> RunRecord {
        let path = runDirectory + "/run.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JBError.cannotOpen(path: path, reason: FileManager.default.fileExists(atPath: runDirectory)
                                     ? "no run.json in this folder (is it a jb run folder?)" : "no such folder")
        }
        do {
            return try JSONDecoder().decode(RunRecord.self, from: data)
        } catch {
            throw JBError.badConfig(path: path, line: 0, column: 0, message: "not a jb run record: \(describe(error))")
        }
    }

    /// Writes `run.json` into the run folder atomically (never half-written).
    public func write() throws {
        let path = plan.runDirectory + "/run.json"
        let text: String
        do {
            text = try json()
        } catch {
            throw JBError.cannotCreate(path: path, reason: "\(error.localizedDescription)")
        }
        // A secret that reached a value (a ${VAR} holding a key) is never written out.
        try AtomicFile.write(Redactor.shared.redact(text), to: path)
    }

    /// The record as indented JSON with sorted keys, ending in a newline; `compact`: on one line.
    public func json(compact: Bool = false) throws -> String {
        let encoded = try JSONEncoder().encode(self)
        let value: JSON
        do {
            value = try JSONParser.parse(encoded)
        } catch {
            throw JBError.internal("run.json: \(error.message)")
        }
        var out: [UInt8] = []
        if compact { JSONSerializer.write(value, into: &out) } else { RunRecord.pretty(value, indent: 0, into: &out) }
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Two-space indented JSON; lists of plain values and empty objects stay on one line.
    static func pretty(_ value: JSON, indent: Int, into out: inout [UInt8]) {
        let pad = [UInt8](repeating: 0x20, count: indent + 2), closePad = [UInt8](repeating: 0x20, count: indent)
        switch value {
        case .array(let items) where items.allSatisfy({ $0.arrayValue == nil && $0.objectValue == nil }):
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(contentsOf: ", ".utf8) }
                JSONSerializer.write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .array(let items) where !items.isEmpty:
            out.append(contentsOf: "[\n".utf8)
            for (k, item) in items.enumerated() {
                out += pad
                pretty(item, indent: indent + 2, into: &out)
                out.append(contentsOf: (k == items.count - 1 ? "\n" : ",\n").utf8)
            }
            out += closePad
            out.append(UInt8(ascii: "]"))
        case .object(let object) where !object.isEmpty:
            out.append(contentsOf: "{\n".utf8)
            let keys = object.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (k, key) in keys.enumerated() {
                out += pad
                JSONSerializer.writeString(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                pretty(object[key]!, indent: indent + 2, into: &out)
                out.append(contentsOf: (k == keys.count - 1 ? "\n" : ",\n").utf8)
            }
            out += closePad
            out.append(UInt8(ascii: "}"))
        default:
            JSONSerializer.write(value, into: &out)
        }
    }

    static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func at(_ path: [CodingKey]) -> String { path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
        switch e {
        case .keyNotFound(let k, let ctx): return "missing field \"\(at(ctx.codingPath + [k]))\""
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx): return "field \"\(at(ctx.codingPath))\": wrong type"
        case .dataCorrupted(let ctx): return ctx.codingPath.isEmpty ? "not JSON" : "field \"\(at(ctx.codingPath))\": bad value"
        @unknown default: return "\(e)"
        }
    }
}

/// How one stage, report or sink ended (in memory; run.json writes it beside its command).
public struct StepResult: Sendable, Equatable {
    /// The stage's name, `report.FORMAT` or `sink`.
    public var name: String
    /// The command line as planned (program first).
    public var command: [String]
    /// Its output file (the database for the sink).
    public var output: String
    /// The exit status (128 + N when killed by signal N); nil if it has not finished.
    public var status: Int32?
    public var startedAt: String?
    public var endedAt: String?
    /// Lines in its output file, when it is a stage.
    public var records: Int?
    /// True when it continued its output file (`-o OUTPUT`) rather than starting afresh.
    public var resumed: Bool = false

    public init(name: String, command: [String], output: String) {
        self.name = name
        self.command = command
        self.output = output
    }

    /// A step as run.json recorded it.
    init(name: String, command: [String], output: String, status: Int32?, startedAt: String?, endedAt: String?,
         records: Int? = nil, resumed: Bool = false) {
        self.init(name: name, command: command, output: output)
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.records = records
        self.resumed = resumed
    }
}

/// A stage in run.json: its command and how it ended.
struct StageEntry: Codable {
    var name: String
    /// The program and its arguments, as planned (with `resumed`, jb-query also got `-o OUTPUT`).
    var command: [String]
    @Null var input: String?
    var output: String
    var waitsForPrevious: Bool
    @Null var seed: Int64?
    @Null var status: Int32?
    @Null var startedAt: String?
    @Null var endedAt: String?
    @Null var records: Int?
    var resumed: Bool

    enum CodingKeys: String, CodingKey {
        case name, command, input, output, seed, status, records, resumed
        case waitsForPrevious = "waits_for_previous", startedAt = "started_at", endedAt = "ended_at"
    }

    init(plan: PlannedStage, result: StepResult) {
        name = plan.name
        command = [plan.tool] + plan.arguments
        input = plan.input
        output = plan.output
        waitsForPrevious = plan.waitsForPrevious
        seed = plan.seed
        status = result.status
        startedAt = result.startedAt
        endedAt = result.endedAt
        records = result.records
        resumed = result.resumed
    }

    var planned: PlannedStage {
        PlannedStage(name: name, tool: command.first ?? "", arguments: Array(command.dropFirst()), input: input,
                     output: output, waitsForPrevious: waitsForPrevious, seed: seed)
    }

    var result: StepResult {
        StepResult(name: name, command: command, output: output, status: status, startedAt: startedAt, endedAt: endedAt,
                   records: records, resumed: resumed)
    }
}

/// A report in run.json.
struct ReportEntry: Codable {
    var format: String
    var command: [String]
    var output: String
    @Null var status: Int32?
    @Null var startedAt: String?
    @Null var endedAt: String?

    enum CodingKeys: String, CodingKey {
        case format, command, output, status
        case startedAt = "started_at", endedAt = "ended_at"
    }

    init(plan: PlannedReport, result: StepResult) {
        format = plan.format
        command = ["jb-report"] + plan.arguments
        output = plan.output
        status = result.status
        startedAt = result.startedAt
        endedAt = result.endedAt
    }

    var planned: PlannedReport { PlannedReport(format: format, arguments: Array(command.dropFirst()), output: output) }

    var result: StepResult {
        StepResult(name: "report.\(format)", command: command, output: output, status: status, startedAt: startedAt, endedAt: endedAt)
    }
}

/// The sink in run.json.
struct SinkEntry: Codable {
    var db: String
    var command: [String]
    var inputs: [String]
    @Null var status: Int32?
    @Null var startedAt: String?
    @Null var endedAt: String?

    enum CodingKeys: String, CodingKey {
        case db, command, inputs, status
        case startedAt = "started_at", endedAt = "ended_at"
    }

    init(plan: PlannedSink, result: StepResult) {
        db = DatabaseURL.redacted(plan.db)
        command = ["jb-store"] + plan.arguments.map(DatabaseURL.redactedWithin)
        inputs = plan.inputs
        status = result.status
        startedAt = result.startedAt
        endedAt = result.endedAt
    }

    var planned: PlannedSink { PlannedSink(db: db, arguments: Array(command.dropFirst()), inputs: inputs) }

    var result: StepResult {
        StepResult(name: "sink", command: command, output: db, status: status, startedAt: startedAt, endedAt: endedAt)
    }
}

/// The jb build a run was made with.
public struct BuildInfo: Sendable, Equatable, Codable {
    /// The release (`0.1.0`).
    public var version: String
    /// The git commit built (12 hex digits, `-dirty` for uncommitted changes), or nil.
    public var commit: String?

    public init(version: String, commit: String?) {
        self.version = version
        self.commit = commit
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(commit, forKey: .commit)
    }
}

/// The git commit a run was made from.
public struct GitRevision: Sendable, Equatable, Codable {
    /// The commit hash (`git rev-parse HEAD`).
    public var commit: String
    /// True when tracked files had uncommitted changes.
    public var dirty: Bool

    public init(commit: String, dirty: Bool) {
        self.commit = commit
        self.dirty = dirty
    }
}

extension RunPlan {
    enum CodingKeys: String, CodingKey {
        case id, stages, reports, sink
        case runDirectory = "run_directory"
    }
}

extension PlannedStage {
    enum CodingKeys: String, CodingKey {
        case name, tool, arguments, input, output, seed
        case waitsForPrevious = "waits_for_previous"
    }
}

/// An optional that run.json writes as `null` when absent (synthesized coding would leave the
/// key out), so every stage, report and sink lists the same keys; a missing key reads as nil.
@propertyWrapper
struct Null<Value: Codable>: Codable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(Value.self)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    func decode<V>(_ type: Null<V>.Type, forKey key: Key) throws -> Null<V> {
        Null(wrappedValue: try decodeIfPresent(V.self, forKey: key))
    }
}
