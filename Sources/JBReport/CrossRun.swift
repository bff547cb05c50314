import Foundation
import JBCore

/// The leaderboard across runs (`jb-report --runs RUN…`): each run's graded records, one row
/// per run and model, grouped by the questions they were asked.
///
/// Rows are ranked against each other only when they were asked the same questions (a
/// *question set*: the same ids and epochs). Two sets that share questions are compared on
/// the shared ones only, with their count shown; sets that share none are not compared at
/// all, and the report says so. A model's rows over the runs make its history. Accuracy is
/// jb-metrics': correct ÷ questions asked, a refusal or empty reply a miss, a failed request
/// left out (and counted).
public struct CrossRunReport: Sendable {
    /// One run: where its graded records came from.
    public struct Run: Sendable, Equatable {
        /// The run's id (run.json's `id`, else the records' `run_id`, else the file name).
        public var id: String
        /// When it started (run.json's `started_at`), if known.
        public var startedAt: String?
        /// The graded records file read.
        public var source: String
    }

    /// One model in one run.
    public struct Row: Sendable, Equatable {
        public var run: String
        public var model: String
        /// The index of its question set in `sets`.
        public var set: Int
        /// Questions asked (records), failed requests included.
        public var asked: Int
        /// Failed requests (left out of accuracy).
        public var failed: Int
        public var correct: Int
        public var accuracy: Double?
        public var ciLow: Double?
        public var ciHigh: Double?
    }

    /// One set of questions: the rows asked exactly these.
    public struct QuestionSet: Sendable, Equatable {
        /// `A`, `B`, … in order of first appearance.
        public var label: String
        /// Questions (id and epoch) in the set.
        public var size: Int
        /// The runs whose rows use it.
        public var runs: [String]
        /// Indexes into `rows`, best accuracy first.
        public var rows: [Int]
    }

    /// Two sets that share questions: their rows compared on the shared ones.
    public struct Overlap: Sendable, Equatable {
        public var first: Int
        public var second: Int
        /// Questions in both sets.
        public var common: Int
        /// Each row of both sets on the common questions: accuracy there, best first.
        public var rows: [(row: Int, asked: Int, correct: Int, accuracy: Double?)]

        public static func == (a: Overlap, b: Overlap) -> Bool {
            a.first == b.first && a.second == b.second && a.common == b.common
                && a.rows.map(\.row) == b.rows.map(\.row) && a.rows.map(\.correct) == b.rows.map(\.correct)
        }
    }

    public var runs: [Run] = []
    public var rows: [Row] = []
    public var sets: [QuestionSet] = []
    /// Pairs of sets sharing at least one question.
    public var overlaps: [Overlap] = []
    /// Pairs of sets sharing no question: never compared.
    public var disjoint: [(Int, Int)] = []
    /// The confidence level of the intervals.
    public var confidence: Double
    public var title: String

    /// Per row: question key → outcome (correct, failed); kept for overlaps.
    private var outcomes: [[String: (correct: Bool, failed: Bool)]] = []

    /// Reads each run (a run folder with run.json, or a graded records file).
    public static func load(_ paths: [String], title: String, confidence: Double = 0.95) throws -> CrossRunReport {
        var report = CrossRunReport(confidence: confidence, title: title)
        for path in paths {
            let (run, file) = try locate(path)
            let reader = JSONLReader(paths: [file])
            var byModel: [String: [String: (correct: Bool, failed: Bool)]] = [:]
            var order: [String] = []
            var recordRunID: String?
            while let o = try reader.next() {
                let outcome = try Outcome(record: o, fail: reader.error)
                if recordRunID == nil { recordRunID = o["run_id"]?.stringValue }
                if byModel[outcome.model] == nil { order.append(outcome.model) }
                let key = outcome.id + "\u{1F}" + String(outcome.epoch)
                byModel[outcome.model, default: [:]][key] = (outcome.correct == true, outcome.error)
            }
            var r = run
            if r.id.isEmpty { r.id = recordRunID ?? (file as NSString).lastPathComponent }
            if report.runs.contains(where: { $0.id == r.id }) { r.id += " (\(report.runs.count + 1))" }
            report.runs.append(r)
            for model in order { report.add(run: r.id, model: model, outcomes: byModel[model]!) }
        }
        report.finish()
        return report
    }

    /// The run and graded file for a path: a folder's run.json names its last jb-grade
    /// stage's output; a file is read as graded records.
    static func locate(_ path: String) throws -> (Run, String) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw JBError.cannotOpen(path: path, reason: "no such file or folder")
        }
        guard isDir.boolValue else { return (Run(id: "", startedAt: nil, source: path), path) }
        let runFile = path + "/run.json"
        guard FileManager.default.fileExists(atPath: runFile) else {
            throw JBError.cannotOpen(path: path, reason: "no run.json in this folder (give a jb run folder or a graded records file)")
        }
        let run = try Reporter.readRunFile(runFile)
        let stages = run["stages"]?.arrayValue ?? []
        let grade = stages.last { s in
            let command = s.objectValue?["command"]?.arrayValue ?? []
            return command.first?.stringValue.map { ($0 as NSString).lastPathComponent } == "jb-grade"
                && !(command.dropFirst().first?.stringValue == "diff")
        }
        guard let output = grade?.objectValue?["output"]?.stringValue else {
            throw JBError.badRecord(source: runFile, line: 1, message: "the run has no jb-grade stage (nothing graded to rank)")
        }
        // The output is named as jb saw it; from another directory, look inside the folder.
        let file = FileManager.default.fileExists(atPath: output) ? output : path + "/" + (output as NSString).lastPathComponent
        guard FileManager.default.fileExists(atPath: file) else {
            throw JBError.cannotOpen(path: file, reason: "the run's graded records are missing (did the run finish its grade stage?)")
        }
        return (Run(id: run["id"]?.stringValue ?? "", startedAt: run["started_at"]?.stringValue, source: file), file)
    }

    mutating func add(run: String, model: String, outcomes o: [String: (correct: Bool, failed: Bool)]) {
        let failed = o.values.filter(\.failed).count
        let correct = o.values.filter(\.correct).count
        let scored = o.count - failed
        let ci = Proportion.wilson(successes: correct, n: scored, confidence: confidence)
        rows.append(Row(run: run, model: model, set: -1, asked: o.count, failed: failed, correct: correct,
                        accuracy: scored > 0 ? Double(correct) / Double(scored) : nil, ciLow: ci?.low, ciHigh: ci?.high))
        outcomes.append(o)
    }

    /// Groups rows into question sets and works out the overlaps.
    mutating func finish() {
        var keyOf: [Set<String>: Int] = [:]
        var members: [Set<String>] = []
        for k in rows.indices {
            let questions = Set(outcomes[k].keys)
            let s: Int
            if let found = keyOf[questions] { s = found } else {
                s = members.count
                keyOf[questions] = s
                members.append(questions)
                sets.append(QuestionSet(label: CrossRunReport.label(s), size: questions.count, runs: [], rows: []))
            }
            rows[k].set = s
            sets[s].rows.append(k)
            if !sets[s].runs.contains(rows[k].run) { sets[s].runs.append(rows[k].run) }
        }
        for s in sets.indices { sets[s].rows.sort(by: better) }
        for a in sets.indices {
            for b in sets.indices where b > a {
                let common = members[a].intersection(members[b])
                if common.isEmpty { disjoint.append((a, b)); continue }
                var entries: [(row: Int, asked: Int, correct: Int, accuracy: Double?)] = []
                for k in sets[a].rows + sets[b].rows {
                    var asked = 0, correct = 0
                    for q in common {
                        guard let o = outcomes[k][q], !o.failed else { continue }
                        asked += 1
                        if o.correct { correct += 1 }
                    }
                    entries.append((k, asked, correct, asked > 0 ? Double(correct) / Double(asked) : nil))
                }
                entries.sort { x, y in
                    if (x.accuracy ?? -1) != (y.accuracy ?? -1) { return (x.accuracy ?? -1) > (y.accuracy ?? -1) }
                    return better(x.row, y.row)
                }
                overlaps.append(Overlap(first: a, second: b, common: common.count, rows: entries))
            }
        }
    }

    /// Leaderboard order: accuracy, then the interval's low end, then model and run.
    private func better(_ i: Int, _ j: Int) -> Bool {
        let a = rows[i], b = rows[j]
        if (a.accuracy ?? -1) != (b.accuracy ?? -1) { return (a.accuracy ?? -1) > (b.accuracy ?? -1) }
        if (a.ciLow ?? -1) != (b.ciLow ?? -1) { return (a.ciLow ?? -1) > (b.ciLow ?? -1) }
        return (a.model, a.run) < (b.model, b.run)
    }

    /// `A`, `B`, … `Z`, `AA`, …
    static func label(_ k: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return k < 26 ? String(letters[k]) : label(k / 26 - 1) + String(letters[k % 26])
    }

    /// The models in first-seen order.
    public var models: [String] {
        var out: [String] = []
        for r in rows where !out.contains(r.model) { out.append(r.model) }
        return out
    }

    /// A model's rows in run order: its history.
    public func history(of model: String) -> [Row] {
        runs.flatMap { run in rows.filter { $0.model == model && $0.run == run.id } }
    }

    /// The sentence that says which rows compare, for every format.
    public var comparabilityNote: String {
        if sets.count <= 1 { return "Every row was asked the same \(sets.first.map { Formatting.count($0.size) } ?? "0") questions: all rows are ranked together." }
        var parts = ["The models were asked different questions: \(sets.count) question sets. Rows are ranked only against rows of the same set."]
        for o in overlaps {
            parts.append("Sets \(sets[o.first].label) and \(sets[o.second].label) share \(Formatting.count(o.common)) questions: they are compared on those only.")
        }
        for (a, b) in disjoint {
            parts.append("Sets \(sets[a].label) and \(sets[b].label) share no question: their rows are not compared.")
        }
        return parts.joined(separator: " ")
    }
}

/// Renders the cross-run leaderboard for the terminal, Markdown and HTML.
public struct CrossRunRenderer {
    public var width: Int
    public init(width: Int = 100) { self.width = width }

    private func e(_ s: String) -> String { TextEscaping.html(s) }

    private func setTitle(_ r: CrossRunReport, _ s: CrossRunReport.QuestionSet) -> String {
        "Question set \(s.label): \(Formatting.count(s.size)) questions, run\(s.runs.count == 1 ? "" : "s") " + s.runs.joined(separator: ", ")
    }

    private func ci(_ r: CrossRunReport.Row) -> String { Formatting.interval(r.ciLow, r.ciHigh) }

    /// The tables as plain rows: header and cells.
    func setTable(_ r: CrossRunReport, _ s: CrossRunReport.QuestionSet) -> (header: [String], rows: [[String]]) {
        let header = ["#", "model", "run", "asked", "failed", "correct", "accuracy", interval(r)]
        var rows: [[String]] = []
        for (k, i) in s.rows.enumerated() {
            let row = r.rows[i]
            rows.append(["\(k + 1)", row.model, row.run, Formatting.count(row.asked), Formatting.count(row.failed),
                         Formatting.count(row.correct), Formatting.percent(row.accuracy), ci(row)])
        }
        return (header, rows)
    }

    func overlapTable(_ r: CrossRunReport, _ o: CrossRunReport.Overlap) -> (header: [String], rows: [[String]]) {
        let header = ["#", "model", "run", "set", "compared", "correct", "accuracy on common"]
        var rows: [[String]] = []
        for (k, entry) in o.rows.enumerated() {
            let row = r.rows[entry.row]
            rows.append(["\(k + 1)", row.model, row.run, r.sets[row.set].label, Formatting.count(entry.asked),
                         Formatting.count(entry.correct), Formatting.percent(entry.accuracy)])
        }
        return (header, rows)
    }

    func historyTable(_ r: CrossRunReport, _ model: String) -> (header: [String], rows: [[String]]) {
        let header = ["run", "started", "set", "asked", "accuracy", interval(r)]
        let rows = r.history(of: model).map { row in
            [row.run, r.runs.first { $0.id == row.run }?.startedAt ?? "–", r.sets[row.set].label,
             Formatting.count(row.asked), Formatting.percent(row.accuracy), ci(row)]
        }
        return (header, rows)
    }

    private func interval(_ r: CrossRunReport) -> String {
        let p = r.confidence * 100
        return (p == p.rounded() ? Formatting.fixed(p, decimals: 0) : Formatting.fixed(p, decimals: 1)) + "% interval"
    }

    /// The report in `format`: terminal, markdown or html.
    public func render(_ r: CrossRunReport, format: ReportFormat) throws -> String {
        switch format {
        case .terminal: return terminal(r)
        case .markdown: return markdown(r)
        case .html: return html(r)
        case .csv, .json: throw JBError.usage("--runs writes terminal, markdown or html reports")
        }
    }

    // MARK: terminal

    /// Plain text, one section per question set, then overlaps and histories.
    public func terminal(_ r: CrossRunReport) -> String {
        var out = [r.title, String(repeating: "=", count: min(width, DisplayWidth.of(r.title))), ""]
        out.append("\(r.runs.count) runs, \(r.models.count) models, \(r.sets.count) question set\(r.sets.count == 1 ? "" : "s").")
        out += wrap(r.comparabilityNote)
        func text(_ t: (header: [String], rows: [[String]])) -> [String] {
            var table = TextTable(columns: t.header.enumerated().map { k, h in
                TextTable.Column(header: h, alignment: ["model", "run", "started", "set"].contains(h) ? .left : .right,
                                 priority: k < 2 ? 0 : k, flexible: h == "model" || h == "run")
            })
            table.rows = t.rows.map { $0.map { TextTable.Cell($0) } }
            return table.render(width: width, color: false)
        }
        for s in r.sets {
            out += ["", setTitle(r, s) + " — ranked together"]
            out += text(setTable(r, s))
        }
        for o in r.overlaps {
            out += ["", "Sets \(r.sets[o.first].label) and \(r.sets[o.second].label), paired on the \(Formatting.count(o.common)) questions they share"]
            out += text(overlapTable(r, o))
        }
        for (a, b) in r.disjoint {
            out += ["", "Sets \(r.sets[a].label) and \(r.sets[b].label) share no question: not ranked against each other."]
        }
        for model in r.models where r.history(of: model).count > 1 {
            out += ["", "History of \(model)"]
            out += text(historyTable(r, model))
        }
        out.append("")
        out.append("accuracy = correct ÷ questions asked (a refusal or empty reply is a miss; failed requests are left out and counted)")
        return out.joined(separator: "\n") + "\n"
    }

    private func wrap(_ text: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && DisplayWidth.of(line) + 1 + DisplayWidth.of(String(word)) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    // MARK: Markdown

    public func markdown(_ r: CrossRunReport) -> String {
        func md(_ t: (header: [String], rows: [[String]])) -> String {
            func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
            var s = "| " + t.header.map(cell).joined(separator: " | ") + " |\n|" + t.header.map { _ in " --- |" }.joined() + "\n"
            for row in t.rows { s += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
            return s
        }
        var out = "# \(r.title)\n\n\(r.runs.count) runs, \(r.models.count) models, \(r.sets.count) question sets.\n\n\(r.comparabilityNote)\n"
        for s in r.sets { out += "\n## \(setTitle(r, s)) — ranked together\n\n" + md(setTable(r, s)) }
        for o in r.overlaps {
            out += "\n## Sets \(r.sets[o.first].label) and \(r.sets[o.second].label), paired on the \(Formatting.count(o.common)) questions they share\n\n"
                + md(overlapTable(r, o))
        }
        for (a, b) in r.disjoint { out += "\nSets \(r.sets[a].label) and \(r.sets[b].label) share no question: not ranked against each other.\n" }
        for model in r.models where r.history(of: model).count > 1 { out += "\n## History of \(model)\n\n" + md(historyTable(r, model)) }
        return out
    }

    // MARK: HTML

    public func html(_ r: CrossRunReport) -> String {
        func table(_ t: (header: [String], rows: [[String]]), cls: String) -> String {
            var s = "<div class=\"table-wrap\"><table class=\"cards \(cls)\"><thead><tr>"
            let numeric: Set<String> = ["#", "asked", "failed", "correct", "accuracy", "compared", "accuracy on common"]
            for h in t.header { s += "<th\(numeric.contains(h) || h.hasSuffix("interval") ? " class=\"num\"" : "")>\(e(h))</th>" }
            s += "</tr></thead><tbody>"
            for row in t.rows {
                s += "<tr>"
                for (k, c) in row.enumerated() {
                    let h = t.header[k]
                    let num = numeric.contains(h) || h.hasSuffix("interval")
                    s += "<td\(num ? " class=\"num\(h.hasPrefix("accuracy") ? " strong" : "")\"" : "") data-label=\"\(e(h))\">\(e(c))</td>"
                }
                s += "</tr>"
            }
            return s + "</tbody></table></div>"
        }
        var sections: [(id: String, title: String, body: String)] = []
        for s in r.sets {
            sections.append(("set-\(s.label)", setTitle(r, s),
                             "<p class=\"badge ranked\">Ranked together: every row was asked these \(Formatting.count(s.size)) questions.</p>"
                                + table(setTable(r, s), cls: "set")))
        }
        for o in r.overlaps {
            sections.append(("overlap-\(r.sets[o.first].label)\(r.sets[o.second].label)",
                             "Sets \(r.sets[o.first].label) and \(r.sets[o.second].label) on their \(Formatting.count(o.common)) common questions",
                             "<p class=\"badge paired\">Paired: each row scored on the \(Formatting.count(o.common)) questions both sets contain only.</p>"
                                + table(overlapTable(r, o), cls: "overlap")))
        }
        if !r.disjoint.isEmpty {
            let items = r.disjoint.map { "<li>Sets \(r.sets[$0.0].label) and \(r.sets[$0.1].label) share no question: their rows are <strong>not ranked</strong> against each other.</li>" }
            sections.append(("not-compared", "Not compared", "<ul class=\"refused\">" + items.joined() + "</ul>"))
        }
        for (k, model) in r.models.enumerated() where r.history(of: model).count > 1 {
            sections.append(("history-\(k)", "History of \(model)", table(historyTable(r, model), cls: "history")))
        }
        let facts = "\(r.runs.count) runs · \(r.models.count) models · \(r.sets.count) question set\(r.sets.count == 1 ? "" : "s")"
        return HTMLRenderer.page(
            title: r.title, facts: facts, style: Self.css, sections: sections,
            headerNote: "<p class=\"\(r.sets.count > 1 ? "warning" : "note")\">\(e(r.comparabilityNote))</p>",
            footer: "Made with jb-report · accuracy = correct ÷ questions asked (a refusal or empty reply is a miss; failed requests are left out and counted) · intervals are Wilson score intervals")
    }

    /// What the report across runs adds to the shared style sheet.
    static let css = """

    .badge{display:inline-block;border-radius:6px;padding:3px 10px;font-size:13px;margin:0 0 10px}
    .badge.ranked{background:rgba(47,93,155,.12);color:var(--accent)}
    .badge.paired{background:rgba(200,140,0,.15);color:#8a5a00}
    p.warning{border-left:4px solid #c88c00;padding:8px 12px;background:var(--card);margin:0 0 18px}
    ul.refused li{margin:4px 0}

    """
}
