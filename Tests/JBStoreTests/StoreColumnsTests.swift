import Testing
import JBCore
@testable import JBStore

@Suite struct StoreColumnsTests {
    /// A new field in a record type is a column too (or this test names it): the columns are
    /// named from the record types' keys, never spelled out again.
    @Test func everyRecordFieldHasAColumn() {
        let results = Set(StoreColumns.results.map(\.name))
        for k in Response.Key.allCases where k != .tokens && k != .error {
            #expect(results.contains(k.rawValue), "no benchmark_results column for the response field \(k.rawValue)")
        }
        for k in Response.TokensKey.allCases {
            #expect(results.contains(StoreColumns.Source.tokens(k).name ?? ""), "no column for tokens.\(k.rawValue)")
        }
        for k in Response.ErrorKey.allCases {
            #expect(results.contains(StoreColumns.Source.error(k).name ?? ""), "no column for error.\(k.rawValue)")
        }
        for k in Grade.Key.allCases where k != .mode {
            #expect(results.contains(k.rawValue), "no benchmark_results column for the grade field \(k.rawValue)")
        }
        let questions = Set(StoreColumns.questions.map(\.name))
        for k in Question.Key.allCases {
            #expect(questions.contains(k.rawValue), "no questions column for the question field \(k.rawValue)")
        }
    }

    @Test func aLoadedResponseFillsItsColumnsFromItsFields() {
        var r = Response(extra: ["id": "q1", "clue": "c", "answer": "a", "round": "Jeopardy!"], model: "sim/good",
                         template: "jeopardy", templateHash: "h", params: ["seed": 1], epoch: 1, key: "k1", runID: "run",
                         provider: "sim", createdAt: "2026-01-01T00:00:00Z")
        r.tokens = (7, 2)
        r.error = Response.Failure(status: 500, code: "oops", message: "down")
        let grade = Grade(correct: nil, answered: false, mode: "lenient", method: .error, score: 0, extracted: nil,
                          questionForm: false, confidence: nil, grader: "jb-grade/1")
        let values = StoreLoader.PreparedRecord.result(response: r.object, grade: grade.object)
        func show(_ v: SQLValue) -> String {
            switch v {
            case .null: return "null"
            case .int(let i): return "int \(i)"
            case .double(let d): return "double \(d)"
            case .text(let t): return "text \(t)"
            }
        }
        var byName: [String: String] = [:]
        for (c, v) in zip(StoreColumns.results, values) { byName[c.name] = show(v) }
        #expect(values.count == StoreColumns.results.count)
        #expect(byName["question_id"] == "text q1")
        #expect(byName["prompt_tokens"] == "int 7")
        #expect(byName["error_status"] == "int 500")
        #expect(byName["error_message"] == "text down")
        #expect(byName["grade_mode"] == "text lenient")
        #expect(byName["method"] == "text error")
        #expect(byName["key"] == "text k1")
    }
}
