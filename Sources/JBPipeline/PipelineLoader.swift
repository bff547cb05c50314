import Foundation
import JBCLI
import JBCore
import Yams

/// Every problem found in a pipeline file, each with its line and column.
public struct PipelineFileError: Error, Sendable, Equatable {
    /// The problems, in file order; each is a `JBError.badConfig`.
    public var errors: [JBError]

    public init(_ errors: [JBError]) { self.errors = errors }
}

/// Reads a pipeline file: YAML → `Pipeline`, with `${VAR}` expanded and every value checked.
///
/// It reports all the problems it finds, not only the first, each located by line and column,
/// so `jb validate` can list them at once.
public struct PipelineLoader {
    /// The variables `${VAR}` expands from.
    public var environment: [String: String]
    /// Tells whether a tool can be found; nil skips that check.
    public var toolExists: ((String) -> Bool)?

    /// Creates a loader.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                toolExists: ((String) -> Bool)? = nil) {
        self.environment = environment
        self.toolExists = toolExists
    }

    /// Loads and checks the file at `path`.
    public func load(path: String) throws -> Pipeline {
        let node: Node?
        do {
            node = try YAMLFile.load(path: path)
        } catch let e as JBError {
            if case .badConfig = e { throw PipelineFileError([e]) }
            throw e
        }
        return try check(node, path: path)
    }

    /// Loads and checks pipeline text; `path` names it in errors and gives the default name.
    public func load(text: String, path: String) throws -> Pipeline {
        let node: Node?
        do {
            node = try YAMLFile.parse(text: text, path: path)
        } catch let e as JBError {
            throw PipelineFileError([e])
        }
        return try check(node, path: path)
    }

    /// Checks a parsed document and builds the pipeline.
    func check(_ node: Node?, path: String) throws -> Pipeline {
        var checker = Checker(path: path, environment: environment, toolExists: toolExists)
        let pipeline = checker.pipeline(node)
        if !checker.errors.isEmpty {
            // In file order, as a reader goes through the file.
            let ordered = checker.errors.enumerated().sorted { a, b in
                guard case .badConfig(_, let la, let ca, _) = a.element, case .badConfig(_, let lb, let cb, _) = b.element else { return a.offset < b.offset }
                return (la, ca, a.offset) < (lb, cb, b.offset)
            }
            throw PipelineFileError(ordered.map(\.element))
        }
        return pipeline!
    }
}

/// The defaults a pipeline file gets from its path: `pipelines/demo.yaml` is named `demo`.
func defaultName(path: String) -> String {
    var base = (path as NSString).lastPathComponent
    for ext in [".yaml", ".yml"] where base.hasSuffix(ext) { base = String(base.dropLast(ext.count)) }
    return base.isEmpty ? "pipeline" : base
}

/// Stage and pipeline names: letters, digits, `-`, `_`, `.`; they go into file names.
func isValidName(_ s: String) -> Bool {
    !s.isEmpty && s.first != "." && s.unicodeScalars.allSatisfy {
        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
    }
}

/// Walks the YAML tree, collecting errors instead of stopping at the first.
private struct Checker {
    let path: String
    let environment: [String: String]
    let toolExists: ((String) -> Bool)?
    var errors: [JBError] = []

    init(path: String, environment: [String: String], toolExists: ((String) -> Bool)?) {
        self.path = path
        self.environment = environment
        self.toolExists = toolExists
    }

    mutating func fail(_ node: Node?, _ message: String) {
        let m = node?.mark
        errors.append(.badConfig(path: path, line: m?.line ?? 0, column: m?.column ?? 0, message: message))
    }

    /// A scalar's text with `${VAR}` expanded, or nil (and an error) for anything else.
    mutating func text(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let s) = node else {
            fail(node, "\(what): expected text, found \(kind(node))\(hintForBraces(node))")
            return nil
        }
        do {
            return try EnvironmentExpansion.expand(s.string, environment: environment)
        } catch {
            // Point at the `$` itself when the scalar is on one line and unquoted.
            if let m = s.mark, s.style == .plain || s.style == .any, !s.string.contains("\n") {
                errors.append(.badConfig(path: path, line: m.line, column: m.column + error.offset, message: error.message))
            } else {
                fail(node, error.message)
            }
            return nil
        }
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    func plainBool(_ node: Node) -> Bool? {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return nil }
        switch s.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "a value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// `input: {{grade}}` parses as a YAML mapping; say how to write it.
    func hintForBraces(_ node: Node) -> String {
        guard case .mapping(let m) = node, m.count == 1, case .mapping = m.first!.key else { return "" }
        return " (a {{reference}} must be quoted: \"{{name}}\")"
    }

    mutating func mapping(_ node: Node, _ what: String, allowed: [String]) -> [(String, Node, Node)]? {
        guard case .mapping(let m) = node else {
            fail(node, "\(what): expected a mapping, found \(kind(node))")
            return nil
        }
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard case .scalar(let ks) = k else {
                fail(k, "\(what): expected a text key")
                continue
            }
            if !allowed.isEmpty && !allowed.contains(ks.string) {
                fail(k, "\(what): unknown key '\(ks.string)' (expected \(allowed.joined(separator: ", ")))")
                continue
            }
            out.append((ks.string, k, v))
        }
        return out
    }

    mutating func pipeline(_ root: Node?) -> Pipeline? {
        guard let root else {
            errors.append(.badConfig(path: path, line: 1, column: 1, message: "the file is empty: expected 'stages:'"))
            return nil
        }
        let keys = ["name", "description", "seed", "preset", "stages", "report", "sink"]
        guard let top = mapping(root, "pipeline", allowed: keys) else { return nil }
        var result = Pipeline(name: defaultName(path: path), stages: [])
        var stagesNode: Node?
        var reportNode: Node?, sinkNode: Node?
        for (key, keyNode, value) in top {
            switch key {
            case "name":
                if let t = text(value, "name") {
                    if isValidName(t) { result.name = t } else {
                        fail(value, "name '\(t)': use letters, digits, '-', '_' and '.' only (it names the run folder)")
                    }
                }
            case "description":
                result.description = text(value, "description")
            case "seed":
                if isNull(value) { break }
                if let t = text(value, "seed") {
                    if let s = Int64(t.trimmingCharacters(in: .whitespaces)), s >= 0 { result.seed = s } else {
                        fail(value, "seed '\(t)': expected a whole number, 0 or more")
                    }
                }
            case "preset":
                if isNull(value) { break }
                if let t = text(value, "preset") {
                    if Preset.named(t) != nil { result.preset = t } else {
                        fail(value, "preset '\(t)': expected \(Preset.all.map(\.name).joined(separator: ", "))")
                    }
                }
            case "stages": stagesNode = value
            case "report": reportNode = value
            case "sink": sinkNode = value
            default: fail(keyNode, "unknown key '\(key)'")
            }
        }
        guard let stagesNode else {
            fail(root, "missing 'stages:' (a list of stages, each with a name and a tool)")
            return nil
        }
        result.stages = stages(stagesNode)
        if let reportNode, !isNull(reportNode) { result.report = report(reportNode, stages: result.stages) }
        if let sinkNode, !isNull(sinkNode) { result.sink = sink(sinkNode, stages: result.stages) }
        return result
    }

    mutating func stages(_ node: Node) -> [Stage] {
        guard case .sequence(let seq) = node else {
            fail(node, "stages: expected a list of stages (each item starting with '- name:'), found \(kind(node))")
            return []
        }
        if seq.isEmpty { fail(node, "stages: the list is empty") }
        var out: [Stage] = []
        var seen: [String: Int] = [:]
        for item in seq {
            let keys = ["name", "tool", "args", "input", "output"]
            let label = item["name"]?.string.map { "stage '\($0)'" } ?? "stage \(out.count + 1)"
            guard let fields = mapping(item, label, allowed: keys) else { continue }
            var name: String?, tool: String?, args: [StageArgument] = [], input: String?, output: String?
            var nameNode: Node = item, toolNode: Node = item
            var argNodes: [Node] = []
            var inputNode: Node?
            for (key, _, value) in fields {
                switch key {
                case "name": name = text(value, "\(label): name"); nameNode = value
                case "tool": tool = text(value, "\(label): tool"); toolNode = value
                case "args": args = arguments(value, label, nodes: &argNodes)
                case "input": if !isNull(value) { input = text(value, "\(label): input"); inputNode = value }
                case "output": if !isNull(value) { output = text(value, "\(label): output") }
                default: break
                }
            }
            guard let tool else {
                if !fields.contains(where: { $0.0 == "tool" }) {
                    fail(item, "\(label): missing 'tool:' (e.g. 'tool: jb-sample')")
                }
                continue
            }
            if tool.isEmpty {
                fail(toolNode, "\(label): tool is empty")
                continue
            }
            let stageName = name ?? Checker.shortName(tool)
            if !isValidName(stageName) || stageName == "run" {
                fail(nameNode, "stage name '\(stageName)': use letters, digits, '-', '_' and '.' only, and not 'run'")
            }
            if let first = seen[stageName] {
                fail(nameNode, "duplicate stage name '\(stageName)' (stage \(first) has it too); give each stage its own 'name:'")
            }
            seen[stageName] = out.count + 1
            if let output, output.contains("/") || !isValidName(output) {
                fail(item, "stage '\(stageName)': output '\(output)': expected a plain file name, such as 'answers.jsonl'")
            }
            if let toolExists, !toolExists(tool) {
                fail(toolNode, "stage '\(stageName)': tool '\(tool)' not found (looked for \(Checker.candidates(tool).joined(separator: " and ")) beside jb and on PATH)")
            }
            let earlier = Set(out.map(\.name))
            if let input, let inputNode { checkReferences(input, inputNode, label: "stage '\(stageName)'", allowed: earlier) }
            for (a, n) in zip(args, argNodes) {
                for w in a.words { checkReferences(w, n, label: "stage '\(stageName)'", allowed: earlier) }
            }
            out.append(Stage(name: stageName, tool: tool, args: args, input: input, output: output))
        }
        return out
    }

    /// `query` and `jb-query` both name jb-query; the stage's default name is `query`.
    static func shortName(_ tool: String) -> String {
        let base = (tool as NSString).lastPathComponent
        return base.hasPrefix("jb-") ? String(base.dropFirst(3)) : base
    }

    static func candidates(_ tool: String) -> [String] {
        tool.hasPrefix("jb-") || tool.contains("/") ? [tool] : ["jb-\(tool)", tool]
    }

    mutating func checkReferences(_ value: String, _ node: Node, label: String, allowed: Set<String>) {
        for name in References.names(in: value) where name != "run" && !allowed.contains(name) {
            fail(node, "\(label): '{{\(name)}}' does not name an earlier stage (use {{run}} for the run folder, or {{STAGE}} for an earlier stage's output)")
        }
    }

    /// `args:` as a list of words and flag maps, or one flag map.
    mutating func arguments(_ node: Node, _ label: String, nodes: inout [Node]) -> [StageArgument] {
        var out: [StageArgument] = []
        switch node {
        case .mapping:
            out += flags(node, label, nodes: &nodes)
        case .sequence(let seq):
            for item in seq {
                switch item {
                case .mapping: out += flags(item, label, nodes: &nodes)
                case .scalar:
                    if let t = text(item, "\(label): args") {
                        out.append(.word(t))
                        nodes.append(item)
                    }
                default: fail(item, "\(label): args: expected words or flag mappings, found \(kind(item))")
                }
            }
        case .scalar where isNull(node):
            break
        default:
            fail(node, "\(label): args: expected a list (args: [file.csv]) or a mapping of flags (args: {n: 50}), found \(kind(node))")
        }
        return out
    }

    mutating func flags(_ node: Node, _ label: String, nodes: inout [Node]) -> [StageArgument] {
        guard let entries = mapping(node, "\(label): args", allowed: []) else { return [] }
        var out: [StageArgument] = []
        for (key, keyNode, value) in entries {
            if key.isEmpty || key.contains(" ") || key.hasPrefix("---") {
                fail(keyNode, "\(label): args: '\(key)' is not a flag name")
                continue
            }
            if isNull(value) {
                out.append(.flag(key, .off))
            } else if let b = plainBool(value) {
                out.append(.flag(key, b ? .on : .off))
            } else if case .sequence(let seq) = value {
                var items: [String] = []
                for item in seq { if let t = text(item, "\(label): \(key)") { items.append(t) } }
                out.append(.flag(key, .list(items)))
            } else if let t = text(value, "\(label): \(key)") {
                out.append(.flag(key, .text(t)))
            } else {
                continue
            }
            nodes.append(value)
        }
        return out
    }

    mutating func report(_ node: Node, stages: [Stage]) -> Report? {
        var result = Report(formats: [])
        var formatNodes: [(String, Node)] = []
        if case .sequence = node {
            for item in node.array() { if let t = text(item, "report") { formatNodes.append((t, item)) } }
        } else if case .scalar = node, let t = text(node, "report") {
            formatNodes.append((t, node))
        } else {
            guard let fields = mapping(node, "report", allowed: ["formats", "input", "args"]) else { return nil }
            var sawFormats = false
            for (key, _, value) in fields {
                switch key {
                case "formats":
                    sawFormats = true
                    switch value {
                    case .sequence(let seq): for item in seq { if let t = text(item, "report: formats") { formatNodes.append((t, item)) } }
                    default: if let t = text(value, "report: formats") { formatNodes.append((t, value)) }
                    }
                case "input":
                    if let t = text(value, "report: input") {
                        result.input = t
                        checkReferences(t, value, label: "report", allowed: Set(stages.map(\.name)))
                    }
                case "args":
                    var nodes: [Node] = []
                    result.args = arguments(value, "report", nodes: &nodes)
                    for (a, n) in zip(result.args, nodes) {
                        for w in a.words { checkReferences(w, n, label: "report", allowed: Set(stages.map(\.name))) }
                    }
                default: break
                }
            }
            if !sawFormats { fail(node, "report: missing 'formats:' (e.g. formats: [terminal, html])") }
        }
        for (f, n) in formatNodes {
            for one in f.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if Report.fileExtension(for: one) == nil {
                    fail(n, "report: unknown format '\(one)' (expected \(Report.extensions.map(\.format).joined(separator: ", ")))")
                } else if !result.formats.contains(one) {
                    result.formats.append(one)
                }
            }
        }
        return result
    }

    mutating func sink(_ node: Node, stages: [Stage]) -> Sink? {
        guard let fields = mapping(node, "sink", allowed: ["db", "load", "args"]) else { return nil }
        var result = Sink(db: "")
        for (key, _, value) in fields {
            switch key {
            case "db": result.db = text(value, "sink: db") ?? ""
            case "load":
                var names: [String] = []
                let items: [Node] = { if case .sequence(let s) = value { return Array(s) } else { return [value] } }()
                for item in items {
                    guard let t = text(item, "sink: load") else { continue }
                    if stages.contains(where: { $0.name == t }) { names.append(t) } else {
                        fail(item, "sink: load: no stage named '\(t)' (stages: \(stages.map(\.name).joined(separator: ", ")))")
                    }
                }
                result.load = names
            case "args":
                var nodes: [Node] = []
                result.args = arguments(value, "sink", nodes: &nodes)
            default: break
            }
        }
        if result.db.isEmpty { fail(node, "sink: missing 'db:' (the SQLite file, e.g. db: results.db)") }
        return result
    }
}
