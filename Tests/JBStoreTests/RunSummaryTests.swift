import Foundation
import GRDB
import JBCore
import JBStore
import Testing

@Suite struct RunSummaryTests {
    func count(_ db: String, _ sql: String) throws -> Int {
        let q = try DatabaseQueue(path: db)
        return try q.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    @Test func runsGetTheirConfigurationAndTotals() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        let rs = [StoreFixtures.response(1), StoreFixtures.response(2), StoreFixtures.response(3, error: true),
                  StoreFixtures.response(4, model: "sim/bad")]
        let graded = [StoreFixtures.grade(rs[0]), StoreFixtures.grade(rs[1], correct: false),
                      StoreFixtures.grade(rs[2], correct: nil), StoreFixtures.grade(rs[3])]
        let loader = StoreLoader(path: db)
        loader.batchSize = 1
        try loader.load(inputs: [try StoreFixtures.file(rs + graded + [StoreFixtures.response(9, run: "run-2")], in: dir)])
        let runs = try StoreDatabase(path: db, create: false).runs()
        #expect(runs.map(\.runID) == ["run-1", "run-2"])
        let run = runs[0]
        #expect(run.models == "sim/bad,sim/good")
        #expect(run.responses == 4 && run.errors == 1 && run.cached == 0)
        #expect(run.graded == 4 && run.correct == 2 && run.accuracy == 0.5 && run.gradeMode == "jeopardy")
        #expect(run.promptTokens == 120 && run.completionTokens == 18 && run.totalTokens == 138)
        #expect(abs((run.costUSD ?? 0) - 0.00075) < 1e-12)
        #expect(run.meanLatencyMS == 102.5)
        #expect(run.startedAt == "2026-01-02T03:00:01Z" && run.finishedAt == "2026-01-02T03:00:04Z")
        let config = try JSONParser.parse(run.configuration ?? "")
        #expect(config == [
            "models": ["sim/bad", "sim/good"], "providers": ["sim"],
            "templates": [["template": "jeopardy", "template_hash": "0123456789abcdef"]],
            "params": [["max_tokens": 64, "temperature": 0]], "epochs": 1,
            "grade_modes": ["jeopardy"], "graders": ["jb-grade/1"],
        ])
        let env = try count(db, "SELECT json_extract(environment, '$.loader') = 'jb-store' FROM benchmark_runs WHERE run_id = 'run-1'")
        #expect(env == 1)
    }

    @Test func theJSONRecordHasEveryColumn() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        try StoreLoader(path: db).load(inputs: [try StoreFixtures.file([StoreFixtures.response(1, error: true)], in: dir)])
        let run = try #require(try StoreDatabase(path: db, create: false).runs().first)
        let expected: JSON = [
            "run_id": "run-1", "started_at": "2026-01-02T03:00:01Z", "finished_at": "2026-01-02T03:00:01Z",
            "models": ["sim/good"], "responses": 1, "errors": 1, "cached": 0, "graded": 0, "correct": 0,
            "accuracy": nil, "grade_mode": nil, "cost_usd": nil, "prompt_tokens": nil, "completion_tokens": nil,
            "total_tokens": nil, "mean_latency_ms": 101,
            "configuration": ["models": ["sim/good"], "providers": ["sim"], "epochs": 1, "grade_modes": [], "graders": [],
                              "templates": [["template": "jeopardy", "template_hash": "0123456789abcdef"]],
                              "params": [["max_tokens": 64, "temperature": 0]]],
        ]
        // Compared as text: SQLite's averages are doubles, which serialise as integers when whole.
        #expect(JSON.object(run.json).compactText == expected.compactText)
    }
}
