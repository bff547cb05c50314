import JBCore
@testable import JBReport

/// Small hand-made inputs for the renderer tests.
enum Fixtures {
    static let hostile = "<script>alert(\"x\")</script> | *b* `c` =1+1\n\u{1B}[31mred"

    static func metric(_ model: String, _ group: String = "all", n: Int, correct: Int,
                       extra: JSONObject = [:]) -> MetricRecord {
        var o: JSONObject = ["kind": "metric", "model": .string(model), "group": .string(group),
                             "n": JSON(n), "correct": JSON(correct), "answered": JSON(n),
                             "accuracy": JSON(Double(correct) / Double(n)),
                             "ci_low": JSON(max(0, Double(correct) / Double(n) - 0.1)),
                             "ci_high": JSON(min(1, Double(correct) / Double(n) + 0.1)), "confidence": 0.95]
        for (k, v) in extra { o[k] = v }
        return try! MetricRecord(json: o, fail: { .badRecord(source: "t", line: 1, message: $0) })
    }

    /// Two models, one hostile; a category breakdown with a hostile value; a comparison.
    static func model(top: Int = 20) -> ReportModel {
        let records = [
            metric("good", n: 100, correct: 80, extra: ["latency_p50_ms": 800, "latency_p95_ms": 1500,
                                                        "latency_p99_ms": 2000, "cost_usd": 0.5, "score": 12000,
                                                        "brier": 0.15, "ece": 0.05,
                                                        "calibration_bins": [["mean_confidence": 0.9, "accuracy": 0.85, "n": 50]]]),
            metric(hostile, n: 100, correct: 40, extra: ["latency_p50_ms": 30, "cost_usd": 0]),
            metric("good", "category=HISTORY", n: 50, correct: 45),
            metric("good", "category=" + hostile, n: 50, correct: 35),
            metric(hostile, "category=HISTORY", n: 50, correct: 20),
            try! MetricRecord(json: ["kind": "comparison", "model_a": "good", "model_b": .string(hostile), "group": "all",
                                     "n": 100, "accuracy_a": 0.8, "accuracy_b": 0.4, "difference": 0.4,
                                     "ci_low": 0.3, "ci_high": 0.5, "p_value": 0.0001],
                              fail: { .badRecord(source: "t", line: 1, message: $0) }),
        ]
        return ReportModel(title: "t " + hostile, records: records, run: ["note": .string(hostile)], top: top)
    }
}
