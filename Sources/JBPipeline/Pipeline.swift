import JBCore

/// A benchmark described in one YAML file: stages that stream into each other, then reports
/// and an optional SQLite sink. `docs/pipelines.md` documents the file format.
public struct Pipeline: Sendable, Equatable, Codable {
    /// The pipeline's name; runs go to `runs/<name>/<id>/`.
    public var name: String
    /// One line saying what the pipeline is for.
    public var description: String?
    /// The seed given as `--seed` to every seeded stage that does not set its own.
    public var seed: Int64?
    /// The run preset (`quick`, `standard`, `comprehensive`): the benchmark mode, which sets
    /// the sample size of every jb-sample stage; nil for none (a custom run).
    public var preset: String?
    /// The stages, in order; each reads the one before unless it names an `input`.
    public var stages: [Stage]
    /// Report files to write after the stages, or nil for none.
    public var report: Report?
    /// Where to load the run's records, or nil for nowhere.
    public var sink: Sink?

    /// Creates a pipeline.
    public init(name: String, description: String? = nil, seed: Int64? = nil, stages: [Stage],
                report: Report? = nil, sink: Sink? = nil) {
        self.name = name
        self.description = description
        self.seed = seed
        self.stages = stages
        self.report = report
        self.sink = sink
    }

    /// The tools that take `--seed`, and get the pipeline's seed unless the stage sets one.
    public static let seededTools: Set<String> = ["jb-sample", "jb-query"]

    /// The tools that label their records with a run id, and the flag for it: they get the
    /// run's id unless the stage sets one, so records, run folder and database agree.
    public static let runIDTools: [String: String] = ["jb-query": "--run-id"]

    /// The stage with this name, if any.
    public func stage(named name: String) -> Stage? { stages.first { $0.name == name } }
}

/// One step: a tool started as its own process.
public struct Stage: Sendable, Equatable, Codable {
    /// A short unique name (letters, digits, `-`, `_`), used in file names and `--set`.
    public var name: String
    /// The tool: `query` or `jb-query` for a jb tool, or any command on PATH (`jq`, `sh`).
    public var tool: String
    /// The arguments, in order: verbatim words and `--flag value` pairs.
    public var args: [StageArgument]
    /// A file read on stdin instead of the previous stage's output.
    public var input: String?
    /// The output file's name in the run folder, instead of `NN-name.jsonl`.
    public var output: String?

    /// Creates a stage.
    public init(name: String, tool: String, args: [StageArgument] = [], input: String? = nil, output: String? = nil) {
        self.name = name
        self.tool = tool
        self.args = args
        self.input = input
        self.output = output
    }

    /// The value of flag `name` as last set in `args`, if it is set.
    public func flag(_ name: String) -> FlagValue? {
        var found: FlagValue?
        for case let .flag(n, v) in args where n == name { found = v }
        return found
    }

    /// Sets (or with `.off`, removes) flag `name`, replacing every earlier setting.
    public mutating func setFlag(_ name: String, _ value: FlagValue) {
        if let k = args.firstIndex(where: { if case .flag(name, _) = $0 { return true } else { return false } }) {
            args[k] = .flag(name, value)
            args = args.enumerated().filter { i, a in
                if i > k, case .flag(name, _) = a { return false }
                return true
            }.map(\.1)
        } else {
            args.append(.flag(name, value))
        }
    }
}

/// One element of a stage's arguments.
public enum StageArgument: Sendable, Equatable, Codable {
    /// A word passed as is (a file name, a subcommand, `-`).
    case word(String)
    /// A flag from a map: `max_tokens` becomes `--max-tokens`, a one-letter `n` becomes `-n`,
    /// and a name starting with `-` is used as is.
    case flag(String, FlagValue)

    /// The command-line words this argument becomes.
    public var words: [String] {
        switch self {
        case .word(let w): return [w]
        case .flag(let name, let value):
            let spelled = StageArgument.spell(name)
            switch value {
            case .off: return []
            case .on: return [spelled]
            case .text(let t): return [spelled, t]
            case .list(let items): return items.flatMap { [spelled, $0] }
            }
        }
    }

    /// `max_tokens` → `--max-tokens`, `n` → `-n`; `-x` and `--x` stay as they are.
    public static func spell(_ name: String) -> String {
        if name.hasPrefix("-") { return name }
        return (name.count == 1 ? "-" : "--") + name.replacingOccurrences(of: "_", with: "-")
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let w = try? c.decode(String.self) {
            self = .word(w)
            return
        }
        let object = try c.decode([String: FlagValue].self)
        guard object.count == 1, let (k, v) = object.first else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a word or a one-flag object")
        }
        self = .flag(k, v)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .word(let w): try c.encode(w)
        case .flag(let k, let v): try c.encode([k: v])
        }
    }
}

/// The value of a flag in a stage's `args` map.
public enum FlagValue: Sendable, Equatable, Codable {
    /// `true`: the flag alone (`--stream`).
    case on
    /// `false` or null: the flag is left out.
    case off
    /// A value: `--name value`.
    case text(String)
    /// A list: the flag repeated once per item.
    case list([String])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .off
        } else if let b = try? c.decode(Bool.self) {
            self = b ? .on : .off
        } else if let s = try? c.decode(String.self) {
            self = .text(s)
        } else {
            self = .list(try c.decode([String].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .on: try c.encode(true)
        case .off: try c.encode(false)
        case .text(let s): try c.encode(s)
        case .list(let l): try c.encode(l)
        }
    }
}

/// The reports written from the last stage's output (normally metric records).
public struct Report: Sendable, Equatable, Codable {
    /// The formats to write, each to `report.<extension>` in the run folder.
    public var formats: [String]
    /// The file jb-report reads; nil means the last stage's output.
    public var input: String?
    /// More arguments for jb-report.
    public var args: [StageArgument]

    /// Creates a report section.
    public init(formats: [String], input: String? = nil, args: [StageArgument] = []) {
        self.formats = formats
        self.input = input
        self.args = args
    }

    /// The formats jb-report writes, and the extension of each file.
    public static let extensions: [(format: String, ext: String)] = [
        ("terminal", "txt"), ("markdown", "md"), ("html", "html"), ("csv", "csv"), ("json", "json"),
    ]

    /// The file extension for `format`, or nil when jb-report has no such format.
    public static func fileExtension(for format: String) -> String? {
        extensions.first { $0.format == format }?.ext
    }
}

/// The SQLite sink: the run's records loaded with `jb-store load DB`.
public struct Sink: Sendable, Equatable, Codable {
    /// The database file.
    public var db: String
    /// The stages whose output is loaded; nil means every stage.
    public var load: [String]?
    /// More arguments for `jb-store load`.
    public var args: [StageArgument]

    /// Creates a sink section.
    public init(db: String, load: [String]? = nil, args: [StageArgument] = []) {
        self.db = db
        self.load = load
        self.args = args
    }
}
