import JBCore
import Testing
@testable import JBGrade

@Suite struct GraderTests {
    func record(_ answer: String, _ response: String?, clue: String = "", error: JSON = .null) -> JSONObject {
        ["id": "q1", "model": "sim/test", "answer": .string(answer), "clue": .string(clue),
         "response_text": JSON(response), "error": error, "extra": "kept"]
    }
    func fail(_ m: String) -> JBError { .badRecord(source: "<test>", line: 1, message: m) }

    @Test func gradeObjectHasEveryField() async throws {
        let g = try await Grader(mode: .lenient, lexicon: nil).grade(record("Paris", "What is Paris?\nConfidence: 80%"), fail: fail)
        #expect(Set(g.keys) == ["correct", "answered", "mode", "method", "score", "extracted", "question_form", "confidence", "grader", "judge",
                              "decided_by"])
        #expect(g["decided_by"] == .string("rules"))
        #expect(g["correct"] == .bool(true))
        #expect(g["question_form"] == .bool(true))
        #expect(g["confidence"] == .double(0.8))
        #expect(g["grader"] == .string("jb-grade/1"))
        #expect(g["judge"] == .null)
    }

    @Test func errorsAreNotAnswered() async throws {
        let grader = Grader(mode: .lenient, lexicon: nil)
        let g = try await grader.grade(record("Paris", nil, error: ["status": 500, "code": nil, "message": "boom"]), fail: fail)
        #expect(g["correct"] == .null)
        #expect(g["answered"] == .bool(false))
        #expect(g["method"] == .string("error"))
        #expect(grader.totals.errors == 1)
        #expect(grader.totals.refusals == 0)
    }

    @Test func refusalsAndEmptyAreNotAnswered() async throws {
        let grader = Grader(mode: .lenient, lexicon: nil)
        for text in ["I don't know.", "", "  "] {
            let g = try await grader.grade(record("Paris", text), fail: fail)
            #expect(g["answered"] == .bool(false))
            #expect(g["correct"] == .bool(false))
        }
        let null = try await grader.grade(record("Paris", nil), fail: fail)
        #expect(null["method"] == .string("empty"))
    }

    @Test func jeopardyModeNeedsAQuestion() async throws {
        let grader = Grader(mode: .jeopardy, lexicon: nil)
        let bare = try await grader.grade(record("Paris", "Paris"), fail: fail)
        #expect(bare["correct"] == .bool(false))
        #expect(bare["method"] == .string("not_question_form"))
        let asked = try await grader.grade(record("Paris", "Who is Paris?"), fail: fail)
        #expect(asked["correct"] == .bool(true))
    }

    @Test func hedgesAcrossSentencesAreWrong() async throws {
        let grader = Grader(mode: .lenient, lexicon: nil)
        let clue = "Father of the Constitution, he became the 4th president"
        for reply in ["Who is Madison? Or maybe Monroe.", "What is Madison? What is Monroe?", "Madison, or possibly Monroe"] {
            let g = try await grader.grade(record("James Madison", reply, clue: clue), fail: fail)
            #expect(g["correct"] == .bool(false), "\(reply)")
            #expect(g["method"] == .string("hedge"), "\(reply)")
        }
    }

    @Test func rejectedMentions() async throws {
        let g = try await Grader(mode: .lenient, lexicon: nil)
            .grade(record("South Dakota", "Is it South Dakota? No, I think it's North Dakota. What is North Dakota?"), fail: fail)
        #expect(g["correct"] == .bool(false))
        #expect(g["method"] == .string("rejected_mention"))
        #expect(g["extracted"] == .string("North Dakota"))
    }

    @Test func badRecords() async throws {
        let grader = Grader(mode: .lenient, lexicon: nil)
        await #expect(throws: JBError.badRecord(source: "<test>", line: 1, message: "missing field \"answer\"")) {
            _ = try await grader.grade(["response_text": "x"], fail: fail)
        }
        await #expect(throws: JBError.badRecord(source: "<test>", line: 1, message: "missing field \"response_text\"")) {
            _ = try await grader.grade(["answer": "x"], fail: fail)
        }
        await #expect(throws: JBError.self) { _ = try await grader.grade(record("x", "y", error: "boom"), fail: fail) }
    }

    @Test func judgeDecidesOnlyTheGreyBand() async throws {
        let tier = JudgeTier(backend: SimulatedJudge(seed: 1), band: 0.3...0.9)
        let cache = try JudgeCache(path: nil)
        let grader = Grader(mode: .lenient, lexicon: nil, judge: tier, cache: cache)
        let exact = try await grader.grade(record("Paris", "Paris"), fail: fail)
        #expect(exact["judge"] == .null)
        let grey = try await grader.grade(record("Uruguay", "Paraguay"), fail: fail)
        guard case .object(let j)? = grey["judge"] else { Issue.record("no judge object"); return }
        #expect(j["model"] == .string("sim/judge"))
        #expect(j["prompt_hash"] == .string(JudgePrompt.templateHash))
        // The judge's verdict stands beside the rule's method (issue 19), not in its place.
        #expect(grey["method"] == .string("no_match"))
        #expect(grey["decided_by"] == .string("judge"))
        #expect(exact["decided_by"] == .string("rules"))
        _ = try await grader.grade(record("Uruguay", "Paraguay"), fail: fail)
        #expect(grader.totals.judged == 2)
        #expect(grader.totals.judgeCacheHits == 1)
    }

    /// A judge that cannot answer: every record still gets its grade, the grey-band ones
    /// marked unsettled with the reason, and the judge is asked once, not per record.
    @Test func anUnreachableJudgeLosesNoGrade() async throws {
        final class Down: JudgeBackend, @unchecked Sendable {
            let model = "down/judge"
            var calls = 0
            func complete(prompt: String) async throws -> String {
                calls += 1
                throw JBError.unavailable("judge down/judge: connection refused")
            }
        }
        let down = Down()
        let grader = Grader(mode: .lenient, lexicon: nil, judge: JudgeTier(backend: down, band: 0.3...0.9),
                            cache: try JudgeCache(path: nil))
        let exact = try await grader.grade(record("Paris", "Paris"), fail: fail)
        #expect(exact["correct"] == .bool(true) && exact["decided_by"] == .string("rules"))
        for _ in 0..<3 {
            let grey = try await grader.grade(record("Uruguay", "Paraguay"), fail: fail)
            #expect(grey["decided_by"] == .string("unsettled"))
            #expect(grey["method"] == .string("no_match"))
            #expect(grey["correct"] == .bool(false), "the rules' verdict stands until the judge settles it")
            guard case .object(let j)? = grey["judge"] else { Issue.record("no judge object"); return }
            #expect(j["verdict"] == .string("failed"))
            #expect(j["error"] == .string("judge down/judge: connection refused"))
        }
        #expect(down.calls == 1)
        #expect(grader.totals.unsettled == 3 && grader.totals.graded == 4)
        #expect(grader.judgeFailure == "judge down/judge: connection refused")
        #expect(grader.summary.hasSuffix(", 3 unsettled (judge unavailable)"))
    }
}

@Suite struct GraderEchoTests {
    @Test func repliesThatAreExactlyTheAnswerStand() async throws {
        let grader = Grader(mode: .lenient, lexicon: nil)
        let fail: (String) -> JBError = { .badRecord(source: "<t>", line: 1, message: $0) }
        for (answer, reply) in [("I have nothing to declare", "I have nothing to declare"),
                                ("It's a Wonderful Life", "**It's a Wonderful Life**"),
                                ("Tora! Tora! Tora!", "Tora! Tora! Tora!"), ("Mrs. Harding", "Mrs. Harding"),
                                ("What's My Line?", "Final answer: What is What's My Line?"), ("A", "What is A?")] {
            let g = try await grader.grade(["answer": .string(answer), "response_text": .string(reply)], fail: fail)
            #expect(g["correct"] == .bool(true), "\(answer) / \(reply): \(g)")
        }
    }
}
