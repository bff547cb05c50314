import Foundation
import JBCore

/// A pipeline turned into command lines for one run folder: what `jb run` executes and what
/// `--dry-run` prints. It is saved in `run.json`, so `--resume` reruns exactly the same commands.
public struct RunPlan: Sendable, Equatable, Codable {
    /// The run's id (the run folder's name by default).
    public var id: String
    /// The run folder, as given (relative to the working directory, unless absolute).
    public var runDirectory: String
    /// The stages, in order.
    public var stages: [PlannedStage]
    /// One jb-report call per format.
    public var reports: [PlannedReport]
    /// The `jb-store load` call, if the pipeline has a sink.
    public var sink: PlannedSink?

    public init(id: String, runDirectory: String, stages: [PlannedStage], reports: [PlannedReport] = [],
                sink: PlannedSink? = nil) {
        self.id = id
        self.runDirectory = runDirectory
        self.stages = stages
        self.reports = reports
        self.sink = sink
    }
}

/// One stage as a command.
public struct PlannedStage: Sendable, Equatable, Codable {
    /// The stage's name.
    public var name: String
    /// The program, as written in commands: `jb-query`, `jq`, `/path/to/tool`.
    public var tool: String
    /// The arguments after the program name.
    public var arguments: [String]
    /// A file read on stdin; nil means the previous stage's output (nothing for the first stage).
    public var input: String?
    /// The file the stage's output is kept in.
    public var output: String
    /// True when the stage reads the previous stage's finished file instead of a pipe: it
    /// names an `input`, or its arguments refer to the output of a stage still running.
    public var waitsForPrevious: Bool
    /// The seed the stage runs with (its `--seed`), if any.
    public var seed: Int64?

    public init(name: String, tool: String, arguments: [String], input: String? = nil, output: String,
                waitsForPrevious: Bool = false, seed: Int64? = nil) {
        self.name = name
        self.tool = tool
        self.arguments = arguments
        self.input = input
        self.output = output
        self.waitsForPrevious = waitsForPrevious
        self.seed = seed
    }

    /// The tools that can continue from their own output file, and the flag that names it:
    /// `jb-query -o FILE` appends to FILE and skips the requests already answered there.
    public static let resumableTools: [String: String] = ["jb-query": "-o"]
}

/// One report file.
public struct PlannedReport: Sendable, Equatable, Codable {
    /// The format (`terminal`, `html`, …).
    public var format: String
    /// The jb-report arguments.
    public var arguments: [String]
    /// The report file.
    public var output: String

    public init(format: String, arguments: [String], output: String) {
        self.format = format
        self.arguments = arguments
        self.output = output
    }
}

/// The sink: `jb-store load DB FILE…` with the chosen stages' outputs.
public struct PlannedSink: Sendable, Equatable, Codable {
    /// The database file.
    public var db: String
    /// The jb-store arguments (`load DB … FILE…`).
    public var arguments: [String]
    /// The files it loads, in order.
    public var inputs: [String]

    public init(db: String, arguments: [String], inputs: [String]) {
        self.db = db
        self.arguments = arguments
        self.inputs = inputs
    }
}

/// Turns a `Pipeline` into a `RunPlan`.
public struct Planner {
    /// Finds each stage's tool.
    public var locator: ToolLocator

    public init(locator: ToolLocator) { self.locator = locator }

    /// The tool name used in commands: `query` → `jb-query` when jb-query exists.
    public func toolName(_ tool: String) -> String {
        locator.resolve(tool)?.name ?? (tool.hasPrefix("jb-") || tool.contains("/") ? tool : "jb-\(tool)")
    }

    /// The plan for running `pipeline` into `runDirectory`.
    public func plan(_ pipeline: Pipeline, runDirectory: String, id: String) -> RunPlan {
        var outputs: [String: String] = [:]
        var stages: [PlannedStage] = []
        var segmentStart = 0
        for (k, stage) in pipeline.stages.enumerated() {
            let output = runDirectory + "/" + (stage.output ?? String(format: "%02d-%@.jsonl", k + 1, stage.name))
            let resolve: (String) -> String = { $0 == "run" ? runDirectory : (outputs[$0] ?? "{{\($0)}}") }
            var words = stage.args.flatMap(\.words)
            let referenced = Set(words.flatMap(References.names(in:)))
            words = words.map { References.substitute($0, resolve) }
            let tool = toolName(stage.tool)
            // A stage's own `seed:` wins; `seed: null` leaves the pipeline's seed out.
            let ownSeed = stage.args.reversed().lazy.compactMap { a -> FlagValue? in
                if case .flag(let n, let v) = a, StageArgument.spell(n) == "--seed" { return v }
                return nil
            }.first
            var seed: Int64?
            if case .text(let s)? = ownSeed {
                seed = Int64(s)
            } else if ownSeed == nil, let s = pipeline.seed, Pipeline.seededTools.contains(tool) {
                words += ["--seed", String(s)]
                seed = s
            }
            if let flag = Pipeline.runIDTools[tool],
               !stage.args.contains(where: { if case .flag(let n, _) = $0 { return StageArgument.spell(n) == flag } else { return false } }) {
                words += [flag, id]
            }
            let runningNames = Set(pipeline.stages[segmentStart..<k].map(\.name))
            let waits = k > 0 && (stage.input != nil || !referenced.isDisjoint(with: runningNames))
            if waits || k == 0 { segmentStart = k }
            stages.append(PlannedStage(name: stage.name, tool: tool, arguments: words,
                                       input: stage.input.map { References.substitute($0, resolve) },
                                       output: output, waitsForPrevious: waits, seed: seed))
            outputs[stage.name] = output
        }
        let resolve: (String) -> String = { $0 == "run" ? runDirectory : (outputs[$0] ?? "{{\($0)}}") }
        var reports: [PlannedReport] = []
        if let report = pipeline.report, let last = stages.last {
            let input = report.input.map { References.substitute($0, resolve) } ?? last.output
            let extra = report.args.flatMap(\.words).map { References.substitute($0, resolve) }
            for format in report.formats {
                let file = runDirectory + "/report." + (Report.fileExtension(for: format) ?? format)
                reports.append(PlannedReport(format: format, arguments: ["--format", format, "-o", file] + extra + [input],
                                             output: file))
            }
        }
        var sink: PlannedSink?
        if let s = pipeline.sink {
            let names = s.load ?? pipeline.stages.map(\.name)
            let extra = s.args.flatMap(\.words).map { References.substitute($0, resolve) }
            let inputs = names.compactMap { outputs[$0] }
            sink = PlannedSink(db: s.db, arguments: ["load", s.db] + extra + inputs, inputs: inputs)
        }
        return RunPlan(id: id, runDirectory: runDirectory, stages: stages, reports: reports, sink: sink)
    }
}

/// How one stage is wired when it runs.
public struct Step: Sendable, Equatable {
    /// Where stdin comes from.
    public enum Input: Sendable, Equatable {
        /// `/dev/null`.
        case none
        /// A file.
        case file(String)
        /// The previous stage, through a pipe.
        case pipe
    }
    /// Where stdout goes.
    public enum Output: Sendable, Equatable {
        /// Into the stage's file only (the last stage of a segment).
        case file(String)
        /// Into the stage's file and on to the next stage.
        case tee(String)
        /// Nowhere: the tool writes its file itself (`-o`).
        case discard
    }

    /// The stage's index in the plan.
    public var index: Int
    /// The full command line, program first.
    public var command: [String]
    public var input: Input
    public var output: Output
    /// True when the tool continues its existing output file (`jb-query -o`).
    public var resumes: Bool
}

extension RunPlan {
    /// The stages from `start` on, grouped into segments: the stages of one segment run at
    /// once, connected by pipes; a segment starts when the one before it has finished.
    ///
    /// With `resuming`, a stage whose tool can continue its own output file (jb-query) and
    /// whose file exists does so, and the stage after it reads that file once it is complete.
    public func segments(from start: Int = 0, resuming: Bool = false,
                         fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> [[Step]] {
        var segments: [[Step]] = []
        var current: [Step] = []
        var previousWritesItself = false
        for k in start..<stages.count {
            let s = stages[k]
            let newSegment = k == start || s.waitsForPrevious || previousWritesItself
            if newSegment && !current.isEmpty {
                segments.append(current)
                current = []
            }
            let input: Step.Input
            if let file = s.input {
                input = .file(file)
            } else if k == 0 {
                input = .none
            } else if newSegment {
                input = .file(stages[k - 1].output)
            } else {
                input = .pipe
            }
            var command = [s.tool] + s.arguments
            var resumes = false
            if resuming, let flag = PlannedStage.resumableTools[s.tool], fileExists(s.output) {
                command += [flag, s.output]
                resumes = true
            }
            current.append(Step(index: k, command: command, input: input, output: resumes ? .discard : .file(s.output),
                                resumes: resumes))
            previousWritesItself = resumes
        }
        if !current.isEmpty { segments.append(current) }
        // Every stage but the last of its segment also feeds the next one.
        for i in segments.indices {
            for j in segments[i].indices.dropLast() {
                if case .file(let f) = segments[i][j].output { segments[i][j].output = .tee(f) }
            }
        }
        return segments
    }
}
