import Foundation
import JBCore
import Testing
@testable import JBGrade

/// The project's own hand-labelled cases (Tests/JBGradeTests/Data, see its README): real
/// clues from the j-archive data with the reply shapes models give, labelled by the rules of
/// `../shared/data/grading/README.md`. The grader was tuned on `grading-tune.jsonl` only;
/// `grading-validation.jsonl` holds other clues and is the check that the rules generalise.
@Suite struct LabelledSetTests {
    struct Case: Sendable {
        var id, category, clue, answer, response, kind: String
        var correct, questionForm: Bool
    }

    static let dataDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Data")
    static let wordNet = FileManager.default.fileExists(atPath: Lexicon.defaultPath + "/index.noun")

    static func load(_ name: String) throws -> [Case] {
        let text = try String(contentsOf: dataDir.appendingPathComponent(name), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard case .object(let o) = try JSONParser.parse(String(line)) else { throw JBError.usage("not an object") }
            func s(_ k: String) -> String { if case .string(let v)? = o[k] { return v } else { return "" } }
            func b(_ k: String) -> Bool { o[k] == .bool(true) }
            return Case(id: s("id"), category: s("category"), clue: s("clue"), answer: s("correct_answer"),
                        response: s("response"), kind: s("kind"), correct: b("correct"), questionForm: b("question_form"))
        }
    }

    /// Agreement of `mode` with the labels, and the false accepts among hedges, rejected
    /// mentions and refusals.
    static func measure(_ cases: [Case], mode: GradeMode, lexicon: Lexicon?) async throws -> (agree: Int, falseAccepts: [String], misses: [String]) {
        let grader = Grader(mode: mode, lexicon: lexicon)
        var agree = 0
        var falseAccepts: [String] = [], misses: [String] = []
        for c in cases {
            let g = try await grader.grade(answer: c.answer, response: c.response, clue: c.clue, category: c.category)
            let want = c.correct && (mode == .jeopardy ? c.questionForm : true)
            let got = g["correct"] == .bool(true)
            if want == got { agree += 1 } else { misses.append("\(c.id) \(c.kind): \(c.answer) <- \(c.response) [\(g["method"] ?? .null)]") }
            if got && !want && ["hedge", "rejected_mention", "refusal"].contains(c.kind) { falseAccepts.append(c.id) }
        }
        return (agree, falseAccepts, misses)
    }

    @Test func theSetIsLargeSplitAndLabelledLikeTheDevSet() throws {
        let tune = try Self.load("grading-tune.jsonl"), validation = try Self.load("grading-validation.jsonl")
        #expect(tune.count + validation.count >= 300)
        #expect(validation.count >= 150)
        // No clue is in both parts: the validation part is other questions, not other replies.
        #expect(Set(tune.map(\.clue)).isDisjoint(with: Set(validation.map(\.clue))))
        let kinds: Set<String> = ["exact", "question_form", "case_punct", "article", "parenthetical_optional", "alternatives",
                                  "last_name", "first_name_only", "misspelling_ok", "misspelling_wrong", "number_words", "plural",
                                  "too_general", "more_specific", "hedge", "rejected_mention", "cot_final", "verbose_markdown",
                                  "refusal", "synonym_alias", "wrong_similar", "html_entity", "title_quotes"]
        for c in tune + validation { #expect(kinds.contains(c.kind), "\(c.id): kind \(c.kind)") }
    }

    @Test(.enabled(if: LabelledSetTests.wordNet, "needs WordNet (apt-get install wordnet-base): the set is measured with the lexicon"),
          arguments: [GradeMode.lenient, .jeopardy])
    func agreesWithTheValidationPart(mode: GradeMode) async throws {
        let lexicon = try Lexicon(directory: Lexicon.defaultPath)
        let cases = try Self.load("grading-validation.jsonl")
        let r = try await Self.measure(cases, mode: mode, lexicon: lexicon)
        let share = Double(r.agree) / Double(cases.count)
        #expect(share >= 0.95, "\(mode): \(r.agree)/\(cases.count)\n\(r.misses.joined(separator: "\n"))")
        #expect(r.falseAccepts.isEmpty, "false accepts: \(r.falseAccepts)")
    }

    @Test(.enabled(if: LabelledSetTests.wordNet, "needs WordNet (apt-get install wordnet-base): the set is measured with the lexicon"),
          arguments: [GradeMode.lenient, .jeopardy])
    func agreesWithTheTunePart(mode: GradeMode) async throws {
        let lexicon = try Lexicon(directory: Lexicon.defaultPath)
        let cases = try Self.load("grading-tune.jsonl")
        let r = try await Self.measure(cases, mode: mode, lexicon: lexicon)
        #expect(Double(r.agree) / Double(cases.count) >= 0.96, "\(mode): \(r.agree)/\(cases.count)\n\(r.misses.joined(separator: "\n"))")
        #expect(r.falseAccepts.isEmpty, "false accepts: \(r.falseAccepts)")
    }

    @Test func withoutWordNetNoHedgeRefusalOrRejectedMentionIsAccepted() async throws {
        let cases = try Self.load("grading-tune.jsonl") + Self.load("grading-validation.jsonl")
        let r = try await Self.measure(cases, mode: .lenient, lexicon: nil)
        #expect(r.falseAccepts.isEmpty, "false accepts: \(r.falseAccepts)")
        #expect(Double(r.agree) / Double(cases.count) >= 0.85, "\(r.agree)/\(cases.count)")
    }
}
