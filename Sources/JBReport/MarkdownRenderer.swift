/// The Markdown report (GitHub-flavoured tables). Every value from the data is escaped, so
/// a pipe, backtick or `<script>` in a reply stays text inside its cell.
public struct MarkdownRenderer {
    public init() {}

    private func e(_ s: String) -> String { TextEscaping.markdown(s) }

    private func table(_ t: PlainTable) -> [String] {
        var lines = ["| " + t.columns.map { e($0.header) }.joined(separator: " | ") + " |"]
        lines.append("|" + t.columns.map { $0.numeric ? "---:" : "---" }.joined(separator: "|") + "|")
        for row in t.rows { lines.append("| " + row.map { $0.isEmpty ? " " : e($0) }.joined(separator: " | ") + " |") }
        return lines
    }

    /// The whole report as Markdown.
    public func render(_ model: ReportModel) -> String {
        var out: [String] = ["# " + e(model.title), ""]
        if model.leaderboard.isEmpty {
            out.append("No metric records: pipe jb-metrics output into jb-report.")
            return out.joined(separator: "\n") + "\n"
        }
        var facts = ["\(model.leaderboard.count) model\(model.leaderboard.count == 1 ? "" : "s")"]
        if let n = model.leaderboard.compactMap(\.n).max() { facts.append("\(Formatting.count(n)) questions") }
        facts.append("accuracy with \(model.confidenceLabel) Wilson intervals")
        out += [facts.joined(separator: " · "), "", "## Leaderboard", ""]

        let cols = LeaderboardColumn.columns(for: model)
        var lb = PlainTable(columns: [.init(header: "#", numeric: true), .init(header: "model", numeric: false)]
            + cols.map { .init(header: $0.header, numeric: $0.numeric) })
        for (k, row) in model.leaderboard.enumerated() {
            lb.rows.append(["\(k + 1)", row.model] + cols.map { $0.value(row) })
        }
        out += table(lb)

        for b in model.breakdowns {
            let shown = b.shownValues(top: model.top)
            out += ["", "## Accuracy by " + e(b.title), ""]
            if shown.count < b.values.count {
                out += ["The \(shown.count) largest of \(b.values.count) groups; `--format csv` lists them all.", ""]
            }
            var t = PlainTable(columns: [.init(header: b.field, numeric: false), .init(header: "n", numeric: true)]
                + b.models.map { .init(header: $0, numeric: true) })
            for v in shown {
                t.rows.append([v, Formatting.count(b.size(v))] + b.models.map { ReportTables.cell(b.record(v, $0)) })
            }
            out += table(t)
        }
        if !model.comparisons.isEmpty {
            out += ["", "## Paired comparisons", "",
                    "Accuracy difference on the questions both models answered, with McNemar's exact test.", ""]
            out += table(ReportTables.comparisons(model))
        }
        if !model.cutoffs.isEmpty {
            out += ["", "## Before and after training cutoff", ""]
            out += table(ReportTables.cutoffs(model))
        }
        let cal = ReportTables.calibration(model)
        if !cal.rows.isEmpty {
            out += ["", "## Calibration", ""]
            out += table(cal)
        }
        if let g = model.graded {
            if !g.misses.isEmpty {
                out += ["", "## Sample misses", ""]
                out += table(ReportTables.examples(g.misses, flips: false))
            }
            if !g.flipCounts.isEmpty {
                out += ["", "## Flipped verdicts", ""]
                out += table(ReportTables.flips(model))
                if !g.flips.isEmpty {
                    out.append("")
                    out += table(ReportTables.examples(g.flips, flips: true))
                }
            }
        }
        if !model.run.isEmpty {
            out += ["", "## Run configuration", ""]
            var t = PlainTable(columns: [.init(header: "setting", numeric: false), .init(header: "value", numeric: false)])
            t.rows = model.run.map { [$0.key, $0.value] }
            out += table(t)
        }
        return out.joined(separator: "\n") + "\n"
    }
}
