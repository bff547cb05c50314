/// The HTML report: one self-contained page (inline CSS and SVG, no script, no external
/// asset, a Content-Security-Policy that forbids any load) that reads well on a desktop
/// and on a phone. Every value from the data is escaped.
public struct HTMLRenderer {
    public init() {}

    private func e(_ s: String) -> String { TextEscaping.html(s) }

    /// A table; on phones each row becomes a card with labelled fields.
    private func table(_ t: PlainTable, cls: String = "cards", labels: Bool = true) -> String {
        var s = "<div class=\"table-wrap\"><table class=\"\(cls)\"><thead><tr>"
        for c in t.columns { s += "<th\(c.numeric ? " class=\"num\"" : "")>\(e(c.header))</th>" }
        s += "</tr></thead><tbody>"
        for row in t.rows {
            s += "<tr>"
            for (k, cell) in row.enumerated() {
                let c = t.columns[k]
                let label = labels ? " data-label=\"\(e(c.header))\"" : ""
                s += "<td\(c.numeric ? " class=\"num\"" : "")\(label)>\(e(cell))</td>"
            }
            s += "</tr>"
        }
        return s + "</tbody></table></div>"
    }

    /// A chart in its wide and (for phones) narrow layouts; CSS shows one of them.
    private func figure(_ svg: String?, _ narrow: String? = nil, caption: String, empty: String, legend: String = "") -> String {
        guard let svg else { return "<p class=\"note\">\(e(empty))</p>" }
        return "<figure class=\"chart\">\(svg)\(narrow ?? "")\(legend)<figcaption>\(e(caption))</figcaption></figure>"
    }

    private func legend(_ model: ReportModel, only: Set<String>? = nil, narrowOnly: Bool = false) -> String {
        var s = "<ul class=\"legend\(narrowOnly ? " narrow" : "")\">"
        for (k, row) in model.leaderboard.enumerated() where only?.contains(row.model) ?? true {
            s += "<li><span class=\"swatch\" style=\"background:\(SVGCharts.color(k))\"></span><span class=\"rank\">\(k + 1)</span> \(e(row.model))</li>"
        }
        return s + "</ul>"
    }

    /// The whole report as one HTML page.
    public func render(_ model: ReportModel) -> String {
        var sections: [(id: String, title: String, body: String)] = []
        let cols = LeaderboardColumn.columns(for: model, detail: false)

        if !model.leaderboard.isEmpty {
            var lb = "<div class=\"table-wrap\"><table class=\"leaderboard\"><thead><tr><th class=\"num\">#</th><th>model</th>"
            // Phones show rank, model, accuracy and interval; the rest is hidden there.
            func cls(_ c: LeaderboardColumn) -> String { (c.numeric ? "num" : "") + (c.priority >= 2 ? " opt" : "") }
            for c in cols { lb += "<th class=\"\(cls(c))\">\(e(c.header))</th>" }
            lb += "</tr></thead><tbody>"
            for (k, row) in model.leaderboard.enumerated() {
                lb += "<tr><td class=\"num\">\(k + 1)</td><td class=\"model\"><span class=\"swatch\" style=\"background:\(SVGCharts.color(k))\"></span>\(e(row.model))</td>"
                for c in cols {
                    let strong = c.key == "accuracy" ? " strong" : ""
                    lb += "<td class=\"\(cls(c))\(strong)\">\(e(c.value(row)))</td>"
                }
                lb += "</tr>"
            }
            lb += "</tbody></table></div>"
            lb += figure(SVGCharts.accuracy(model), SVGCharts.accuracy(model, compact: true),
                         caption: "Accuracy per model. Bars end at the accuracy; whiskers show the \(model.confidenceLabel) Wilson interval.",
                         empty: "No accuracy to draw.")
            let extra = LeaderboardColumn.columns(for: model, detail: true)
            if !extra.isEmpty {
                var t = PlainTable(columns: [.init(header: "model", numeric: false)] + extra.map { .init(header: $0.header, numeric: $0.numeric) })
                t.rows = model.leaderboard.map { row in [row.model] + extra.map { $0.value(row) } }
                lb += "<details><summary>More columns</summary>\(table(t))</details>"
            }
            sections.append(("leaderboard", "Leaderboard", lb))
        }

        for (i, b) in model.breakdowns.enumerated() {
            let shown = b.shownValues(top: model.top)
            var body = ""
            if shown.count < b.values.count {
                body += "<p class=\"note\">The \(shown.count) largest of \(b.values.count) groups. <code>--top</code> shows more; <code>--format csv</code> lists all.</p>"
            }
            body += figure(SVGCharts.heatMap(b, model: model, index: i), SVGCharts.heatMap(b, model: model, index: i, compact: true),
                           caption: "Accuracy by \(b.title) (rows) and model (columns); darker is lower.", empty: "No groups.")
            var t = PlainTable(columns: [.init(header: b.field, numeric: false), .init(header: "n", numeric: true)]
                + b.models.map { .init(header: $0, numeric: true) })
            for v in shown {
                t.rows.append([v, Formatting.count(b.size(v))] + b.models.map { ReportTables.cell(b.record(v, $0)) })
            }
            body += "<details><summary>Table with intervals</summary>\(table(t))</details>"
            sections.append(("by-\(i)", "Accuracy by \(b.title)", body))
        }

        if let cost = SVGCharts.costAccuracy(model) {
            sections.append(("cost", "Cost and accuracy", figure(cost, SVGCharts.costAccuracy(model, compact: true),
                caption: "Accuracy (with its interval) against the total cost of the run, per model.", empty: "",
                legend: legend(model, only: Set(model.leaderboard.filter { $0.cost != nil }.map(\.model)), narrowOnly: true))))
        }
        if let latency = SVGCharts.latency(model) {
            sections.append(("latency", "Latency", figure(latency, SVGCharts.latency(model, compact: true),
                caption: "Latency per request: the dot is the median, the box reaches the 95th percentile and the whisker the 99th.", empty: "")))
        }
        let cal = ReportTables.calibration(model)
        if !cal.rows.isEmpty {
            var body = figure(SVGCharts.calibration(model),
                              caption: "Observed accuracy against the confidence the model stated; the dashed diagonal is perfect calibration. Larger dots hold more answers.",
                              empty: "No confidence bins in these results.")
            body += legend(model, only: Set(model.calibration.keys))
            body += table(cal)
            sections.append(("calibration", "Calibration", body))
        }
        if !model.comparisons.isEmpty {
            sections.append(("comparisons", "Paired comparisons",
                             "<p class=\"note\">Accuracy difference on the questions both models answered, with McNemar's exact test.</p>"
                                + table(ReportTables.comparisons(model))))
        }
        if !model.cutoffs.isEmpty {
            sections.append(("cutoffs", "Before and after training cutoff", table(ReportTables.cutoffs(model))))
        }
        if let g = model.graded {
            if !g.misses.isEmpty {
                sections.append(("misses", "Sample misses", table(ReportTables.examples(g.misses, flips: false))))
            }
            if !g.flipCounts.isEmpty {
                var body = table(ReportTables.flips(model))
                if !g.flips.isEmpty { body += table(ReportTables.examples(g.flips, flips: true)) }
                sections.append(("flips", "Flipped verdicts", body))
            }
        }
        if !model.run.isEmpty {
            var body = "<dl class=\"config\">"
            for (k, v) in model.run { body += "<dt>\(e(k))</dt><dd>\(e(v))</dd>" }
            sections.append(("run", "Run configuration", body + "</dl>"))
        }

        var facts = ["\(model.leaderboard.count) model\(model.leaderboard.count == 1 ? "" : "s")"]
        if let n = model.leaderboard.compactMap(\.n).max() { facts.append("\(Formatting.count(n)) questions") }
        facts.append("\(model.confidenceLabel) Wilson intervals")

        let note = model.leaderboard.isEmpty
            ? "<section><p class=\"note\">No metric records: pipe jb-metrics output into jb-report.</p></section>\n" : ""
        return HTMLRenderer.page(title: model.title, facts: facts.joined(separator: " · "), sections: sections, mainNote: note,
                                 footer: "Made with jb-report · accuracy = correct ÷ questions asked · intervals are Wilson score intervals")
    }

    /// A whole page around its sections: head, title and facts, a section menu when there is
    /// more than one, `headerNote` under the menu, `mainNote` before the sections, the footer
    /// (HTML, not escaped). `style` is CSS added to the shared sheet. The leaderboard report
    /// and the report across runs both use it.
    static func page(title: String, facts: String, style: String = "", sections: [(id: String, title: String, body: String)],
                     headerNote: String = "", mainNote: String = "", footer: String) -> String {
        let e = TextEscaping.html
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="generator" content="jb-report">
        <link rel="icon" href="data:,">
        <title>\(e(title))</title>
        <style>\(css)\(style)</style>
        </head>
        <body>
        <header><h1>\(e(title))</h1><p class="facts">\(e(facts))</p>
        """
        if sections.count > 1 {
            html += "<nav>" + sections.map { "<a href=\"#\($0.id)\">\(e($0.title))</a>" }.joined() + "</nav>"
        }
        html += headerNote
        html += "</header>\n<main>\n"
        html += mainNote
        for s in sections {
            html += "<section id=\"\(s.id)\"><h2>\(e(s.title))</h2>\(s.body)</section>\n"
        }
        html += "</main>\n<footer>\(footer)</footer>\n</body>\n</html>\n"
        return html
    }

    static let css = """
    :root{--bg:#f6f7f9;--card:#fff;--ink:#1c2330;--muted:#5d6778;--line:#e3e6eb;--accent:#2f5d9b;--grid:#e8ebef}
    @media (prefers-color-scheme:dark){:root{--bg:#14171c;--card:#1d2128;--ink:#e6e9ee;--muted:#9aa4b2;--line:#323842;--accent:#7fb0ff;--grid:#2b3039}}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",sans-serif}
    header,main,footer{max-width:1120px;margin:0 auto;padding:0 20px}
    header{padding-top:28px}
    h1{font-size:28px;margin:0 0 4px}
    h2{font-size:19px;margin:0 0 14px}
    .facts{color:var(--muted);margin:0 0 14px}
    nav{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 18px}
    nav a{color:var(--accent);text-decoration:none;border:1px solid var(--line);background:var(--card);border-radius:999px;padding:3px 12px;font-size:13px}
    section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px;margin:0 0 18px;box-shadow:0 1px 2px rgba(0,0,0,.04)}
    .table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:0 0 12px}
    table{border-collapse:collapse;width:100%;font-size:14px}
    th,td{padding:7px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;overflow-wrap:anywhere}
    th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;white-space:nowrap}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    td.strong{font-weight:700}
    td.model{font-weight:600;white-space:nowrap}
    tbody tr:hover{background:rgba(127,127,127,.06)}
    .swatch{display:inline-block;width:10px;height:10px;border-radius:3px;margin-right:8px;vertical-align:baseline}
    figure.chart{margin:8px 0 12px;overflow-x:auto}
    figure.chart svg{display:block;width:100%;height:auto}
    figure.chart .narrow{display:none}
    .rank{color:var(--muted);font-variant-numeric:tabular-nums}
    figcaption{color:var(--muted);font-size:13px;margin-top:6px}
    .chart-svg text{font-family:inherit;font-size:12px;fill:var(--ink)}
    .chart-svg .tick{fill:var(--muted);font-size:11px}
    .chart-svg .colhead{font-size:11px}
    .chart-svg .axis-title{fill:var(--muted);font-size:12px}
    .chart-svg .value{font-weight:600}
    .chart-svg .grid{stroke:var(--grid);stroke-width:1}
    .chart-svg .whisker{stroke-width:2}
    .chart-svg .diagonal{stroke:var(--muted);stroke-dasharray:5 5;stroke-width:1.5}
    .chart-svg .empty{fill:var(--grid)}
    .chart-svg .cell-text{font-weight:600}
    .chart-svg .cell-text.on-dark{fill:#fff}
    .chart-svg .cell-text.on-light{fill:#1a1a1a}
    .chart-svg .dot{stroke:var(--card);stroke-width:1.5}
    .legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:0 0 12px;font-size:13px}
    details summary{cursor:pointer;color:var(--accent);margin:4px 0 10px}
    .note{color:var(--muted);font-size:13px}
    dl.config{display:grid;grid-template-columns:minmax(8em,max-content) 1fr;gap:4px 16px;margin:0;font-size:14px}
    dl.config dt{color:var(--muted);font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:13px;overflow-wrap:anywhere}
    dl.config dd{margin:0;overflow-wrap:anywhere}
    code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.92em}
    footer{color:var(--muted);font-size:12px;padding-bottom:32px}
    table.cards td:not(.num){min-width:7em}
    @media (max-width:640px){
      header,main,footer{padding:0 10px}
      header{padding-top:16px}
      h1{font-size:22px}
      section{padding:14px;border-radius:10px}
      figure.chart .wide{display:none}
      figure.chart svg.narrow{display:block}
      figure.chart ul.narrow{display:flex}
      .opt{display:none}
      td.model{min-width:7em;white-space:normal}
      th,td{padding:6px 6px}
      table.cards thead{display:none}
      table.cards,table.cards tbody,table.cards tr{display:block;width:100%}
      table.cards td{display:grid;grid-template-columns:8.5em 1fr;gap:10px;width:100%}
      table.cards tr{border-bottom:2px solid var(--line);padding:6px 0}
      table.cards td{border:0;padding:2px 0;text-align:left}
      table.cards td::before{content:attr(data-label);font-size:11px;padding-top:2px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
      dl.config{grid-template-columns:1fr}
      dl.config dd{margin-bottom:6px}
    }
    """
}
