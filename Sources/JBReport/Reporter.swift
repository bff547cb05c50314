import Foundation
import JBCore

/// The report formats.
public enum ReportFormat: String, Sendable, CaseIterable {
    case terminal, markdown, csv, json, html

    /// The format a file name suggests (`.md`, `.csv`, `.json`, `.html`, `.txt`), or nil.
    public static func inferred(fromPath path: String) -> ReportFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "md", "markdown": return .markdown
        case "csv": return .csv
        case "json": return .json
        case "html", "htm": return .html
        case "txt": return .terminal
        default: return nil
        }
    }

    /// The format used when none is given: `terminal` on a terminal, else the output file's
    /// extension, else `markdown`.
    public static func chosen(_ explicit: String?, output: String?, stdoutIsTTY: Bool) throws -> ReportFormat {
        if let explicit {
            guard let f = ReportFormat(rawValue: explicit.lowercased()) else {
                throw JBError.usage("unknown format \"\(explicit)\": expected one of terminal, markdown, csv, json, html")
            }
            return f
        }
        if let output, output != "-" {
            return inferred(fromPath: output) ?? .markdown
        }
        return stdoutIsTTY ? .terminal : .markdown
    }
}

/// Reads metric records (and optionally graded records and a run file) and writes a report.
public struct Reporter {
    /// What to read and how to write.
    public struct Settings: Sendable {
        /// Metric record inputs; empty means stdin.
        public var inputs: [String] = []
        /// Graded records for examples.
        public var graded: [String] = []
        /// An earlier grading of the same answers, for flipped verdicts.
        public var previousGraded: [String] = []
        /// The run's configuration (`run.json` from `jb run`, or any JSON object).
        public var runFile: String?
        public var format: ReportFormat = .markdown
        /// Output file; nil or `-` means stdout.
        public var output: String?
        public var title = ReportSetting.title.defaultValue
        /// Rows shown per breakdown in human-readable formats (0: all).
        public var top = ReportSetting.top.defaultValue
        /// Examples shown per model.
        public var examples = ReportSetting.examples.defaultValue
        /// Terminal width.
        public var width = 80
        /// Colour in the terminal format.
        public var color = false

        public init() {}
    }

    public let settings: Settings
    /// Receives warnings (unknown kinds, duplicates).
    public let warn: (String) -> Void

    public init(settings: Settings, warn: @escaping (String) -> Void = { _ in }) {
        self.settings = settings
        self.warn = warn
    }

    /// Reads every input and returns the report's model.
    public func load() throws -> ReportModel {
        let reader = JSONLReader(paths: settings.inputs)
        var records: [MetricRecord] = []
        var unknownKinds = Set<String>()
        var seen: [String: (String, Int)] = [:]
        while let o = try reader.next() {
            let r = try MetricRecord(json: o, fail: reader.error)
            if !MetricRecord.kinds.contains(r.kind) {
                if unknownKinds.insert(r.kind).inserted {
                    warn("\(reader.sourceName):\(reader.lineNumber): records of kind \"\(r.kind)\" are not drawn (kept in csv and json)")
                }
            } else if r.kind == "metric" {
                let key = r.model + "\u{1F}" + r.group
                if let (src, line) = seen[key] {
                    warn("\(reader.sourceName):\(reader.lineNumber): model \"\(r.model)\" group \"\(r.group)\" repeats \(src):\(line); the later record is used")
                }
                seen[key] = (reader.sourceName, reader.lineNumber)
            }
            records.append(r)
        }
        if records.isEmpty { warn("no metric records in the input") }
        var graded: GradedSummary? = nil
        if !settings.graded.isEmpty {
            let previous = settings.previousGraded.isEmpty ? nil : JSONLReader(paths: settings.previousGraded)
            graded = try GradedSummary.read(current: JSONLReader(paths: settings.graded), previous: previous,
                                            limit: settings.examples, calibrated: ReportModel.calibratedModels(records))
        } else if !settings.previousGraded.isEmpty {
            throw JBError.usage("--previous-graded needs --graded (the newer grading to compare with)")
        }
        var run: JSONObject? = nil
        if let path = settings.runFile { run = try Reporter.readRunFile(path) }
        return ReportModel(title: settings.title, records: records, graded: graded, run: run, top: settings.top)
    }

    /// Reads a run file: one JSON object (`run.json`), possibly spread over several lines.
    static func readRunFile(_ path: String) throws -> JSONObject {
        let source = try LineReader(path: path)
        var text = ""
        while let line = try source.nextString() { text += line + "\n" }
        let parsed: JSON
        do {
            parsed = try JSONParser.parse(text)
        } catch {
            // The parser counts columns over the whole text: turn that into a line.
            let offset = max(0, error.column - 1)
            let before = text.utf8.prefix(offset)
            let line = before.filter { $0 == 0x0A }.count + 1
            let column = offset - (before.lastIndex(of: 0x0A).map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            throw JBError.badRecord(source: path, line: line, message: "not valid JSON: \(error.message) at column \(column)")
        }
        guard case .object(let o) = parsed else {
            throw JBError.badRecord(source: path, line: 1, message: "expected a JSON object (the run.json that jb run writes)")
        }
        return o
    }

    /// The report text in the chosen format.
    public func render(_ model: ReportModel) -> String {
        switch settings.format {
        case .terminal: return TerminalRenderer(width: settings.width, color: settings.color).render(model)
        case .markdown: return MarkdownRenderer().render(model)
        case .csv: return CSVRenderer().render(model)
        case .json: return JSONRenderer().render(model)
        case .html: return HTMLRenderer().render(model)
        }
    }

    /// Loads, renders and writes the report (atomically when writing a file).
    public func run() throws {
        try write(render(try load()))
    }

    /// Writes report text to the output file (atomically) or stdout. A report quotes
    /// run.json and flags (title, description): it passes the same secret redactor as every
    /// message and run.json itself.
    public func write(_ raw: String) throws {
        let text = Redactor.shared.redact(raw)
        if let path = settings.output, path != "-" {
            try AtomicFile.write(text, to: path)
        } else {
            let writer = JSONLWriter()
            try writer.writeLine(Array(text.utf8).dropLast(text.hasSuffix("\n") ? 1 : 0))
            try writer.flush()
        }
    }
}
