/// The terminal report: aligned tables that fit the terminal's width, coloured when asked.
public struct TerminalRenderer {
    /// The terminal's width in columns.
    public var width: Int
    /// Whether to use colour (SGR escape sequences).
    public var color: Bool

    public init(width: Int, color: Bool) {
        self.width = max(40, width)
        self.color = color
    }

    private func t(_ s: String) -> String { TextEscaping.terminal(s) }

    private func style(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func heading(_ text: String) -> String { style(text.uppercased(), "1;36") }

    private static func accuracyStyle(_ a: Double?) -> String? {
        guard let a else { return nil }
        return a >= 0.7 ? "32" : (a >= 0.4 ? "33" : "31")
    }

    /// A 20-cell bar: solid up to the interval's low end, shaded across the interval.
    static func bar(low: Double?, high: Double?, accuracy: Double?, cells: Int = 20) -> String {
        guard let acc = accuracy else { return "" }
        let lo = low ?? acc, hi = high ?? acc
        var s = ""
        for i in 0..<cells {
            let mid = (Double(i) + 0.5) / Double(cells)
            s += mid <= lo ? "█" : (mid <= hi ? "▒" : "·")
        }
        return s
    }

    /// The whole report as text.
    public func render(_ model: ReportModel) -> String {
        var out: [String] = []
        out.append(style(t(model.title), "1"))
        var facts = ["\(model.leaderboard.count) model\(model.leaderboard.count == 1 ? "" : "s")"]
        if let n = model.leaderboard.compactMap(\.n).max() { facts.append("\(Formatting.count(n)) questions") }
        facts.append("\(model.confidenceLabel) Wilson intervals")
        out.append(style(facts.joined(separator: " · "), "2"))
        out.append("")
        if model.leaderboard.isEmpty {
            out.append("No metric records: pipe jb-metrics output into jb-report.")
            return out.joined(separator: "\n") + "\n"
        }
        out.append(heading("Leaderboard"))
        out += leaderboard(model)
        for b in model.breakdowns {
            out.append("")
            out += breakdown(b, model: model)
        }
        if !model.comparisons.isEmpty {
            out.append("")
            out.append(heading("Paired comparisons"))
            out += table(ReportTables.comparisons(model)).render(width: width, color: color)
        }
        if !model.cutoffs.isEmpty {
            out.append("")
            out.append(heading("Before and after training cutoff"))
            out += table(ReportTables.cutoffs(model)).render(width: width, color: color)
        }
        let cal = ReportTables.calibration(model)
        if !cal.rows.isEmpty {
            out.append("")
            out.append(heading("Calibration"))
            out += table(cal).render(width: width, color: color)
        }
        if let g = model.graded {
            if !g.misses.isEmpty {
                out.append("")
                out.append(heading("Sample misses"))
                out += examples(g.misses)
            }
            if !g.flipCounts.isEmpty {
                out.append("")
                out.append(heading("Flipped verdicts"))
                out += table(ReportTables.flips(model)).render(width: width, color: color)
                if !g.flips.isEmpty {
                    out.append("")
                    out += examples(g.flips)
                }
            }
        }
        if !model.run.isEmpty {
            out.append("")
            out.append(heading("Run configuration"))
            let keyWidth = min(model.run.map { DisplayWidth.of(t($0.key)) }.max() ?? 0, width / 2)
            for (k, v) in model.run {
                let key = DisplayWidth.truncate(t(k), to: keyWidth)
                let padded = key + String(repeating: " ", count: max(0, keyWidth - DisplayWidth.of(key)))
                let value = DisplayWidth.truncate(t(v), to: max(1, width - keyWidth - 4))
                out.append("  " + style(padded, "2") + "  " + value)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func table(_ plain: PlainTable) -> TextTable {
        var tt = TextTable(columns: plain.columns.enumerated().map { k, c in
            TextTable.Column(header: t(c.header), alignment: c.numeric ? .right : .left,
                             priority: plain.priorities?[k] ?? (k < plain.fixed ? 0 : k), flexible: !c.numeric, minWidth: 10)
        })
        tt.rows = plain.rows.map { $0.map { TextTable.Cell(t($0)) } }
        return tt
    }

    private func leaderboard(_ model: ReportModel) -> [String] {
        let cols = LeaderboardColumn.columns(for: model)
        var columns = [TextTable.Column(header: "#", alignment: .right, priority: 0),
                       TextTable.Column(header: "model", alignment: .left, priority: 0, flexible: true, minWidth: 12)]
        for c in cols {
            columns.append(.init(header: c.header, alignment: c.numeric ? .right : .left, priority: c.priority))
            if c.key == "interval" {
                columns.append(.init(header: "", alignment: .left, priority: 3))
            }
        }
        var table = TextTable(columns: columns)
        for (k, row) in model.leaderboard.enumerated() {
            var cells = [TextTable.Cell("\(k + 1)"), TextTable.Cell(t(row.model), style: k == 0 ? "1" : nil)]
            for c in cols {
                let style = c.key == "accuracy" ? TerminalRenderer.accuracyStyle(row.accuracy) : (c.key == "interval" ? "2" : nil)
                cells.append(.init(c.value(row), style: style))
                if c.key == "interval" {
                    cells.append(.init(TerminalRenderer.bar(low: row.ciLow, high: row.ciHigh, accuracy: row.accuracy),
                                       style: TerminalRenderer.accuracyStyle(row.accuracy)))
                }
            }
            table.rows.append(cells)
        }
        return table.render(width: width, color: color)
    }

    private func breakdown(_ b: Breakdown, model: ReportModel) -> [String] {
        let shown = b.shownValues(top: model.top)
        var title = heading("Accuracy by \(t(b.title))")
        if shown.count < b.values.count {
            title += style("  (\(shown.count) largest of \(b.values.count); all in --format csv or json)", "2")
        }
        var lines = [title]
        // Try full model names with intervals, then shorter names, then no intervals, then
        // leave models out.
        let attempts: [(names: Int?, interval: Bool)] = [(nil, true), (18, true), (14, false)]
        for (k, attempt) in attempts.enumerated() {
            var columns = [TextTable.Column(header: t(b.field), alignment: .left, priority: 0, flexible: true, minWidth: 12),
                           TextTable.Column(header: "n", alignment: .right, priority: 0)]
            for (j, m) in b.models.enumerated() {
                let name = attempt.names.map { DisplayWidth.truncate(t(m), to: $0) } ?? t(m)
                columns.append(.init(header: name, alignment: .right, priority: j == 0 ? 0 : 100 + j))
            }
            var table = TextTable(columns: columns)
            for v in shown {
                var cells = [TextTable.Cell(t(v)), TextTable.Cell(Formatting.count(b.size(v)))]
                for m in b.models {
                    let r = b.record(v, m)
                    let acc = r?.number(.accuracy)
                    let text = attempt.interval ? ReportTables.cell(r) : (r == nil ? "" : Formatting.percent(acc))
                    cells.append(.init(text, style: TerminalRenderer.accuracyStyle(acc)))
                }
                table.rows.append(cells)
            }
            let dropped = table.columns.count - table.layout(width: width).keep.count
            if dropped == 0 || k == attempts.count - 1 {
                lines += table.render(width: width, color: color)
                if dropped > 0 {
                    lines.append(style("  (\(dropped) model\(dropped == 1 ? "" : "s") left out to fit \(width) columns)", "2"))
                }
                return lines
            }
        }
        return lines
    }

    private func examples(_ list: [Example]) -> [String] {
        var lines: [String] = []
        for e in list {
            let head = DisplayWidth.truncate("  " + t(e.model) + (e.category.isEmpty ? "" : " · " + t(e.category)), to: width)
            lines.append(style(head, "1"))
            lines.append(DisplayWidth.truncate("    clue    " + t(e.clue), to: width))
            lines.append(DisplayWidth.truncate("    answer  " + t(e.answer), to: width))
            lines.append(DisplayWidth.truncate("    reply   " + t(e.reply), to: width))
            let verdict = e.previousVerdict.map { t($0) + " → " + t(e.verdict) } ?? t(e.verdict)
            lines.append(DisplayWidth.truncate("    verdict " + verdict, to: width))
        }
        return lines
    }
}

