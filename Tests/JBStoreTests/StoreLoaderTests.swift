import Foundation
import GRDB
import JBCore
import JBStore
import Testing

@Suite struct StoreLoaderTests {
    func count(_ db: String, _ sql: String) throws -> Int {
        let q = try DatabaseQueue(path: db)
        return try q.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    @Test func loadsEveryKindIntoItsTable() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        let r1 = StoreFixtures.response(1), r2 = StoreFixtures.response(2, error: true)
        let input = try StoreFixtures.file([StoreFixtures.question, r1, r2, StoreFixtures.grade(r1), StoreFixtures.metric()], in: dir)
        let report = try StoreLoader(path: db).load(inputs: [input])
        #expect(report.read == 5)
        #expect(report.added == 5)
        #expect(report.kinds == [.question: 1, .response: 2, .grade: 1, .metric: 1])
        // The question itself, plus the two questions the responses carry.
        #expect(try count(db, "SELECT count(*) FROM questions") == 3)
        #expect(try count(db, "SELECT count(*) FROM questions WHERE source = 'response'") == 2)
        // The grade replaced the ungraded row of its response.
        #expect(try count(db, "SELECT count(*) FROM benchmark_results") == 2)
        #expect(try count(db, "SELECT count(*) FROM benchmark_results WHERE grade_mode = 'jeopardy' AND correct = 1") == 1)
        #expect(try count(db, "SELECT count(*) FROM benchmark_results WHERE error_message = 'upstream overloaded' AND error_status = 503") == 1)
        #expect(try count(db, "SELECT prompt_tokens + completion_tokens FROM benchmark_results WHERE correct = 1") == 46)
        #expect(try count(db, "SELECT count(*) FROM model_performance WHERE \"group\" = 'all' AND n = 2") == 1)
        #expect(try count(db, "SELECT json_extract(params, '$.max_tokens') FROM benchmark_results LIMIT 1") == 64)
    }

    @Test func theSameInputTwiceAddsNothing() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        let records = (1...30).map { StoreFixtures.response($0) } + [StoreFixtures.question, StoreFixtures.metric()]
            + (1...10).map { StoreFixtures.grade(StoreFixtures.response($0)) }
        let input = try StoreFixtures.file(records, in: dir)
        let loader = StoreLoader(path: db)
        loader.batchSize = 7
        let first = try loader.load(inputs: [input])
        #expect(first.added == 42 && first.unchanged == 0)
        let before = try StoreFixtures.export(.responses, db)
        let second = try StoreLoader(path: db).load(inputs: [input])
        #expect(second.added == 0 && second.updated == 0 && second.unchanged == 42)
        #expect(try StoreFixtures.export(.responses, db) == before)
        #expect(try count(db, "SELECT count(*) FROM benchmark_results") == 30)
        #expect(try count(db, "SELECT count(*) FROM questions") == 31)
        #expect(try count(db, "SELECT count(*) FROM model_performance") == 1)
    }

    @Test func changedRecordsReplaceTheStoredOnes() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        var r = StoreFixtures.response(1)
        try StoreLoader(path: db).load(inputs: [try StoreFixtures.file([r, StoreFixtures.metric()], in: dir)])
        r["note"] = "added later with jq"
        let report = try StoreLoader(path: db).load(inputs: [try StoreFixtures.file([r, StoreFixtures.metric(accuracy: 0.75)], in: dir)])
        #expect(report.updated == 2)
        #expect(try StoreFixtures.export(.responses, db) == StoreFixtures.lines([r]))
        #expect(try StoreFixtures.export(.metrics, db) == StoreFixtures.lines([StoreFixtures.metric(accuracy: 0.75)]))
    }

    @Test func aResponseGradedInTwoModesIsExportedOnceAsAResponse() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        let r = StoreFixtures.response(1)
        let g1 = StoreFixtures.grade(r), g2 = StoreFixtures.grade(r, mode: "strict", correct: false)
        let report = try StoreLoader(path: db).load(inputs: [try StoreFixtures.file([g1, g2, r], in: dir)])
        #expect(report.added == 2 && report.unchanged == 1)
        #expect(try StoreFixtures.export(.responses, db) == StoreFixtures.lines([r]))
        #expect(try StoreFixtures.export(.grades, db) == StoreFixtures.lines([g1, g2]))
        #expect(try StoreFixtures.export(.grades, db, mode: "strict") == StoreFixtures.lines([g2]))
    }

    @Test func aQuestionRecordReplacesOneTakenFromAResponse() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        var r = StoreFixtures.response(1)
        r["id"] = StoreFixtures.question["id"]
        r["clue"] = StoreFixtures.question["clue"]
        try StoreLoader(path: db).load(inputs: [try StoreFixtures.file([r, StoreFixtures.question, r], in: dir)])
        #expect(try StoreFixtures.export(.questions, db) == StoreFixtures.lines([StoreFixtures.question]))
    }

    @Test func aBadLineStopsTheLoadAfterStoringTheRecordsBeforeIt() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        let url = dir.appendingPathComponent("bad.jsonl")
        try Data((StoreFixtures.lines([StoreFixtures.response(1), StoreFixtures.response(2)]) + "{\"id\": \n").utf8).write(to: url)
        #expect(throws: JBError.badRecord(source: url.path, line: 3,
                                          message: "not valid JSON: unexpected end of line at column 8 (2 records before it stored)")) {
            try StoreLoader(path: db).load(inputs: [url.path])
        }
        #expect(try count(db, "SELECT count(*) FROM benchmark_results") == 2)
    }

    @Test func aQuestionNeedsAnIdOrTheFieldsToMakeOne() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        let input = try StoreFixtures.file([["clue": "no round"]], in: dir)
        #expect(throws: JBError.badRecord(source: input, line: 1,
                                          message: "missing field \"id\" (and no \"round\" and \"clue\" to make it from) (0 records before it stored)")) {
            try StoreLoader(path: db).load(inputs: [input])
        }
        var q = StoreFixtures.question
        q["id"] = nil
        try StoreLoader(path: db).load(inputs: [try StoreFixtures.file([q], in: dir)])
        let made = Question.makeID(airDate: "2004-12-31", round: "Jeopardy!", category: "HISTORY",
                                   clue: q["clue"]!.stringValue!)
        #expect(try count(db, "SELECT count(*) FROM questions WHERE id = '\(made)'") == 1)
    }
}
