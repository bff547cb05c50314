/// The leaderboard's columns, shared by the terminal, Markdown and HTML reports. A column
/// whose data no model has is left out.
struct LeaderboardColumn {
    var key: String
    var header: String
    /// Numbers align right.
    var numeric: Bool
    /// 0 is never dropped in a narrow terminal; higher numbers are dropped first.
    var priority: Int
    var value: (ModelRow) -> String
    var present: (ModelRow) -> Bool

    /// The columns for `model`'s rows (rank and model name are added by each format). The
    /// HTML report shows the main ones (`detail` false) in its leaderboard and the others
    /// (`detail` true) in a table that opens on demand; nil gives all.
    static func columns(for model: ReportModel, detail: Bool? = nil) -> [LeaderboardColumn] {
        let ci = model.confidenceLabel + " interval"
        let all: [LeaderboardColumn] = [
            .init(key: "n", header: "n", numeric: true, priority: 2,
                  value: { Formatting.count($0.n) }, present: { $0.n != nil }),
            .init(key: "correct", header: "correct", numeric: true, priority: 7,
                  value: { Formatting.count($0.correct) }, present: { $0.correct != nil }),
            .init(key: "accuracy", header: "accuracy", numeric: true, priority: 0,
                  value: { Formatting.percent($0.accuracy) }, present: { _ in true }),
            .init(key: "interval", header: ci, numeric: true, priority: 1,
                  value: { Formatting.interval($0.ciLow, $0.ciHigh) }, present: { $0.ciLow != nil }),
            .init(key: "accuracy_answered", header: "of answered", numeric: true, priority: 9,
                  value: { Formatting.percent($0.accuracyAnswered) }, present: { $0.accuracyAnswered != nil }),
            .init(key: "errors", header: "errors", numeric: true, priority: 12,
                  value: { Formatting.count($0.errors) }, present: { ($0.errors ?? 0) > 0 }),
            .init(key: "refusals", header: "refusals", numeric: true, priority: 13,
                  value: { Formatting.count($0.refusals) }, present: { ($0.refusals ?? 0) > 0 }),
            .init(key: "dollar_score", header: "$ score", numeric: true, priority: 4,
                  value: { Formatting.dollars($0.dollarScore) }, present: { $0.dollarScore != nil }),
            .init(key: "dollar_share", header: "of max", numeric: true, priority: 10,
                  value: { Formatting.percent($0.dollarShare) }, present: { $0.dollarShare != nil }),
            .init(key: "latency_p50", header: "p50 latency", numeric: true, priority: 6,
                  value: { Formatting.milliseconds($0.latencyP50) }, present: { $0.latencyP50 != nil }),
            .init(key: "latency_p95", header: "p95", numeric: true, priority: 11,
                  value: { Formatting.milliseconds($0.latencyP95) }, present: { $0.latencyP95 != nil }),
            .init(key: "tokens", header: "tokens in/out", numeric: true, priority: 14,
                  value: { Formatting.count($0.promptTokens) + " / " + Formatting.count($0.completionTokens) },
                  present: { $0.promptTokens != nil || $0.completionTokens != nil }),
            .init(key: "cost", header: "cost", numeric: true, priority: 5,
                  value: { Formatting.cost($0.cost) }, present: { $0.cost != nil }),
            .init(key: "cost_per_correct", header: "per correct", numeric: true, priority: 9,
                  value: { Formatting.cost($0.costPerCorrect) }, present: { $0.costPerCorrect != nil }),
        ]
        return all.filter { c in
            model.leaderboard.contains(where: c.present) && (detail.map { $0 == (c.priority > 8) } ?? true)
        }
    }
}
