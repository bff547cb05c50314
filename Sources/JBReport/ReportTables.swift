import JBCore

/// A table of raw (unescaped) text, built once and escaped by each format as it renders.
struct PlainTable {
    struct Column {
        var header: String
        var numeric: Bool
    }
    var columns: [Column]
    var rows: [[String]] = []
    /// Leading columns a narrow terminal never drops.
    var fixed: Int = 1
    /// Per column, the order a narrow terminal drops them in (higher first; 0 never); nil
    /// drops from the right.
    var priorities: [Int]? = nil
}

/// The report's smaller tables, shared by the terminal, Markdown and HTML formats.
enum ReportTables {
    static func comparisons(_ model: ReportModel) -> PlainTable {
        var t = PlainTable(columns: [
            .init(header: "model A", numeric: false), .init(header: "model B", numeric: false),
            .init(header: "n", numeric: true), .init(header: "A", numeric: true), .init(header: "B", numeric: true),
            .init(header: "A − B", numeric: true), .init(header: "\(model.confidenceLabel) interval", numeric: true),
            .init(header: "McNemar p", numeric: true),
        ], fixed: 2, priorities: [0, 0, 6, 5, 4, 1, 3, 2])
        for r in model.comparisons {
            let diff = r.number(.difference)
                ?? r.number(.accuracyA).flatMap { a in r.number(.accuracyB).map { a - $0 } }
            var interval = "–"
            if let lo = r.number(.differenceLow), let hi = r.number(.differenceHigh) {
                interval = Formatting.points(lo) + " to " + Formatting.points(hi)
            }
            t.rows.append([r.model, r.string(.modelB) ?? "", Formatting.count(r.int(.n)),
                           Formatting.percent(r.number(.accuracyA)), Formatting.percent(r.number(.accuracyB)),
                           Formatting.points(diff), interval, Formatting.pValue(r.number(.pValue))])
        }
        return t
    }

    static func cutoffs(_ model: ReportModel) -> PlainTable {
        var t = PlainTable(columns: [
            .init(header: "model", numeric: false), .init(header: "cutoff", numeric: false),
            .init(header: "before", numeric: true), .init(header: "after", numeric: true),
            .init(header: "before − after", numeric: true), .init(header: "\(model.confidenceLabel) interval", numeric: true),
            .init(header: "Fisher p", numeric: true),
        ], priorities: [0, 4, 2, 3, 1, 5, 6])
        for r in model.cutoffs {
            let before = r.number(.accuracyBefore), after = r.number(.accuracyAfter)
            let diff = r.number(.difference) ?? before.flatMap { b in after.map { b - $0 } }
            func side(_ a: Double?, _ n: MetricField, _ lo: MetricField, _ hi: MetricField) -> String {
                let i = Formatting.interval(r.number(lo), r.number(hi))
                return Formatting.percent(a) + (i == "–" ? "" : " (\(i))") + " n=\(Formatting.count(r.int(n)))"
            }
            var interval = "–"
            if let lo = r.number(.ciLow), let hi = r.number(.ciHigh) {
                interval = Formatting.points(lo) + " to " + Formatting.points(hi)
            }
            t.rows.append([r.model, r.string(.cutoffDate) ?? "",
                           side(before, .nBefore, .ciLowBefore, .ciHighBefore),
                           side(after, .nAfter, .ciLowAfter, .ciHighAfter),
                           Formatting.points(diff), interval, Formatting.pValue(r.number(.pValue))])
        }
        return t
    }

    static func calibration(_ model: ReportModel) -> PlainTable {
        var t = PlainTable(columns: [
            .init(header: "model", numeric: false), .init(header: "with confidence", numeric: true),
            .init(header: "Brier", numeric: true), .init(header: "ECE", numeric: true),
            .init(header: "correlation", numeric: true),
            .init(header: "precision of the most confident", numeric: false),
        ], priorities: [0, 4, 1, 2, 3, 5])
        for row in model.leaderboard {
            let bins = model.calibration[row.model] ?? []
            guard row.brier != nil || row.ece != nil || !bins.isEmpty else { continue }
            let stated = row.record?.int(.calibrationN) ?? (bins.isEmpty ? nil : bins.map(\.n).reduce(0) { $0.saturatingAdd($1) })
            let answered = Formatting.count(stated)
            t.rows.append([row.model, answered, Formatting.number(row.brier), Formatting.number(row.ece),
                           Formatting.number(row.confidenceCorrelation, decimals: 2), precision(row.record)])
        }
        return t
    }

    /// `25%: 91.0% · 50%: 85.2%`: accuracy on the most confident share of answers.
    static func precision(_ record: MetricRecord?) -> String {
        guard let list = record?.array(.precisionAtCoverage) else { return "–" }
        let parts = list.compactMap { item -> String? in
            guard let o = item.objectValue, let c = o["coverage"]?.doubleValue, let p = o["precision"]?.doubleValue else { return nil }
            return Formatting.percent(c, decimals: 0) + ": " + Formatting.percent(p)
        }
        return parts.isEmpty ? "–" : parts.joined(separator: " · ")
    }

    static func flips(_ model: ReportModel) -> PlainTable {
        var t = PlainTable(columns: [
            .init(header: "model", numeric: false), .init(header: "graded twice", numeric: true),
            .init(header: "wrong → right", numeric: true), .init(header: "right → wrong", numeric: true),
        ])
        for c in model.graded?.flipCounts ?? [] {
            t.rows.append([c.model, Formatting.count(c.compared), Formatting.count(c.gained), Formatting.count(c.lost)])
        }
        return t
    }

    static func examples(_ list: [Example], flips: Bool) -> PlainTable {
        var cols: [PlainTable.Column] = [
            .init(header: "model", numeric: false), .init(header: "category", numeric: false),
            .init(header: "clue", numeric: false), .init(header: "answer", numeric: false),
            .init(header: "reply", numeric: false),
        ]
        if flips { cols.append(.init(header: "before", numeric: false)) }
        cols.append(.init(header: flips ? "now" : "verdict", numeric: false))
        var t = PlainTable(columns: cols)
        for e in list {
            var row = [e.model, e.category, e.clue, e.answer, e.reply]
            if flips { row.append(e.previousVerdict ?? "") }
            row.append(e.verdict)
            t.rows.append(row)
        }
        return t
    }

    /// Breakdown cell text: accuracy with its interval.
    static func cell(_ r: MetricRecord?) -> String {
        guard let r else { return "" }
        let i = Formatting.interval(r.number(.ciLow), r.number(.ciHigh), decimals: 0)
        return Formatting.percent(r.number(.accuracy)) + (i == "–" ? "" : " (\(i))")
    }
}
