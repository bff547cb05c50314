import Testing
@testable import JBCore

@Suite struct RecordTests {
    @Test func gradeWritesTheSameBytesAsItsObject() {
        let grades = [
            Grade(correct: true, answered: true, mode: "lenient", method: .number, score: 1, extracted: "Henry the Eighth",
                  questionForm: true, confidence: nil, grader: "jb-grade/1"),
            Grade(correct: nil, answered: false, mode: "strict", method: .error, decidedBy: "unsettled", score: 0.25, extracted: nil,
                  questionForm: false, confidence: 0.5, grader: "jb-grade/1+wordnet",
                  judge: ["model": "sim/good", "verdict": "failed", "raw": nil, "error": "a \"quoted\" reason"]),
        ]
        for g in grades {
            var bytes: [UInt8] = []
            g.write(into: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == JSONSerializer.string(.object(g.object)))
            #expect(Set(g.object.keys) == Set(Grade.Key.names))
        }
    }

    @Test func responseKeepsTheInputRecordAndSetsEveryField() throws {
        let input: JSONObject = ["id": "q1", "answer": "Paris", "big": .number("123456789012345678901"), "tiny": 1.5e-300,
                                 "nested": ["b": [1, 2], "a": ["z": nil]]]
        var r = Response(extra: input, model: "sim/good", template: "jeopardy", templateHash: "abc", params: ["seed": 1],
                         epoch: 2, key: "k", runID: "run", provider: "sim", createdAt: "2026-01-01T00:00:00Z")
        r.responseText = "What is Paris?"
        r.tokens = (12, 3)
        r.latencyMS = 40
        let o = r.object
        #expect(Set(o.keys) == Set(input.keys).union(Response.Key.names))
        for (k, v) in input { #expect(o[k] == v) }
        #expect(o[Response.Key.responseText] == "What is Paris?")
        #expect(o[Response.Key.tokens] == ["prompt": 12, "completion": 3])
        #expect(o[Response.Key.error] == .null)
        let text = JSONSerializer.string(.object(o))
        #expect(text.contains(#""big":123456789012345678901"#))
        #expect(text.contains(#""nested":{"a":{"z":null},"b":[1,2]}"#))
        #expect(try JSONParser.parse(text) == .object(o))
    }

    @Test func aCachedPayloadComesBackAsItWasStored() {
        var r = Response(extra: [:], model: "m", template: "t", templateHash: "h", params: [:], epoch: 1, key: "k",
                         runID: "r", provider: "openrouter", createdAt: "then")
        r.responseText = "x"
        r.reportedModel = "m-2024"
        r.ttftMS = 5
        let keys: [Response.Key] = [.responseText, .reportedModel, .ttftMS, .tokens, .createdAt, .provider]
        var back = Response(extra: [:], model: "m", template: "t", templateHash: "h", params: [:], epoch: 1, key: "k",
                            runID: "r", provider: "", createdAt: "now")
        back.restore(keys, from: r.object(keys))
        #expect(back.object(keys) == r.object(keys))
        // A field the payload lacks is null.
        back.restore([.ttftMS, .tokens], from: [:])
        #expect(back.object([.ttftMS, .tokens]) == [Response.Key.ttftMS.rawValue: nil, Response.Key.tokens.rawValue: nil])
    }

    @Test func keyNamesAreUniqueAcrossAResponseRecord() {
        let names = Question.Key.names + Response.Key.names + [Grade.recordKey]
        #expect(names.count == Set(names).count)
    }
}
