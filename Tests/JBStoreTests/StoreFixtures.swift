import Foundation
import JBCore
import JBStore
import JBTestSupport

/// Small hand-made records of every kind, and helpers to write them and open databases.
enum StoreFixtures {
    static let question: JSONObject = [
        "id": "5e0f1b1c9d6f5a3e", "show_number": 4680, "air_date": "2004-12-31", "round": "Jeopardy!",
        "category": "HISTORY", "value": 200, "daily_double": nil, "difficulty": 1, "media": false,
        "clue": "For the last 8 years of his life, Galileo was under house arrest for espousing this man's theory",
        "answer": "Copernicus", "comments": "(Alex: a remark)", "source_note": "an unknown field, kept",
    ]

    static func response(_ n: Int, model: String = "sim/good", run: String = "run-1", error: Bool = false) -> JSONObject {
        var r = question
        r["id"] = .string(String(format: "%016x", n))
        r["clue"] = .string("Clue number \(n) with ünïcödé and a / slash")
        r["model"] = .string(model)
        r["response_text"] = error ? nil : .string("What is Copernicus \(n)?")
        r["template"] = "jeopardy"
        r["template_hash"] = "0123456789abcdef"
        r["params"] = ["temperature": 0, "max_tokens": 64]
        r["epoch"] = 1
        r["key"] = .string(ContentHash.sha256Hex("\(model)/\(n)"))
        r["run_id"] = .string(run)
        r["provider"] = "sim"
        r["upstream_provider"] = nil
        r["finish_reason"] = error ? nil : "stop"
        r["latency_ms"] = .int(Int64(100 + n))
        r["ttft_ms"] = nil
        r["tokens"] = error ? ["prompt": nil, "completion": nil] : ["prompt": 40, "completion": 6]
        r["cost_usd"] = error ? nil : 0.00025
        r["cost_source"] = "sim"
        r["attempts"] = 1
        r["cached"] = false
        r["error"] = error ? ["status": 503, "code": "overloaded", "message": "upstream overloaded"] : nil
        r["created_at"] = .string(String(format: "2026-01-02T03:%02d:%02dZ", n / 60 % 60, n % 60))
        r["pipeline_tag"] = ["nested": [1, 2.5, "x"]]
        return r
    }

    static func grade(_ response: JSONObject, mode: String = "jeopardy", correct: Bool? = true) -> JSONObject {
        var g = response
        g["grade"] = [
            "correct": JSON(correct), "answered": .bool(correct != nil), "mode": .string(mode),
            "method": correct == nil ? "error" : "exact", "score": correct == true ? 1 : 0.25,
            "extracted": correct == nil ? nil : "Copernicus", "question_form": true, "confidence": nil,
            "grader": "jb-grade/1", "judge": nil,
        ]
        return g
    }

    static func metric(model: String = "sim/good", group: String = "all", accuracy: Double = 0.5) -> JSONObject {
        ["kind": "metric", "model": .string(model), "group": .string(group), "n": 2, "answered": 2, "correct": 1,
         "accuracy": .double(accuracy), "ci_low": 0.09, "ci_high": 0.91, "confidence": 0.95,
         "accuracy_answered": 0.5, "errors": 0, "refusals": 0, "dollar_score": 200]
    }

    /// The canonical JSON Lines text of records.
    static func lines(_ records: [JSONObject]) -> String {
        records.map { JSONSerializer.string(.object($0)) + "\n" }.joined()
    }

    /// Writes records to a new temporary file and returns its path.
    static func file(_ records: [JSONObject], in dir: URL, name: String = "in.jsonl") throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(lines(records).utf8).write(to: url)
        return url.path
    }

    /// A fresh temporary directory.
    static func directory() -> URL { ToolRunner.makeTemporaryDirectory() }

    /// Exports a kind to text.
    static func export(_ kind: StoreExporter.Kind, _ dbPath: String, run: String? = nil, models: [String] = [],
                       mode: String? = nil) throws -> String {
        let dir = directory()
        let out = dir.appendingPathComponent("out.jsonl").path
        do {
            let writer = try JSONLWriter(path: out, append: false)
            let db = try StoreDatabase(path: dbPath, create: false)
            try StoreExporter(run: run, models: models, mode: mode).export(kind, from: db, to: writer)
            try writer.flush()
        }
        return try String(contentsOfFile: out, encoding: .utf8)
    }
}
