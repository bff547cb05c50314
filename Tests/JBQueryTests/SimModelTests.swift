import Foundation
import JBChat
import JBCore
import JBTestSupport
import Testing
@testable import JBQuery

@Suite struct SimModelTests {
    func question(_ n: Int, answer: String = "Copernicus", difficulty: Int? = 3) -> Question {
        Question(id: String(format: "%016x", n), airDate: "2004-12-31", round: "Jeopardy!", category: "ASTRONOMY",
                 value: 600, clue: "Clue \(n) about a man's theory", answer: answer, difficulty: difficulty)
    }

    @Test func parsesIds() throws {
        #expect(try SimModel.parse("sim/good").accuracy == 0.85)
        #expect(try SimModel.parse("sim/acc=0.7").accuracy == 0.7)
        let m = try SimModel.parse("sim/weak,err=0.1,refuse=0.2")
        #expect(m.accuracy == 0.35 && m.errorRate == 0.1 && m.refusalRate == 0.2)
        #expect(throws: JBError.self) { try SimModel.parse("sim/amazing") }
        #expect(throws: JBError.self) { try SimModel.parse("sim/acc=1.5") }
        #expect(try SimModel.parse("sim/good").price.prompt > SimModel.parse("sim/weak").price.prompt)
    }

    func replies(_ model: String, n: Int, template: String = "jeopardy", seed: UInt64 = 1) throws -> [String] {
        let m = try SimModel.parse(model)
        let qs = (0..<n).map { question($0, answer: "Answer\($0)") }
        let ctx = SimModel.Context(questions: qs)
        return qs.map { q in
            let r = m.reply(question: q, messages: [ChatMessage(role: "user", content: q.clue)], template: template,
                            askConfidence: false, maxTokens: nil, seed: seed, key: q.id, attempt: 1, context: ctx)
            if case .answer(let t, _, _, _, _, _) = r { return t }
            return "<error>"
        }
    }

    @Test func deterministicForASeed() throws {
        #expect(try replies("sim/good", n: 50) == replies("sim/good", n: 50))
        #expect(try replies("sim/good", n: 50, seed: 1) != replies("sim/good", n: 50, seed: 2))
    }

    @Test func accuracyIsNearTheSetting() throws {
        for (model, acc) in [("sim/good", 0.85), ("sim/weak", 0.35), ("sim/acc=0.6", 0.6)] {
            let rs = try replies(model, n: 600)
            let right = rs.enumerated().filter { i, t in t.contains("Answer\(i)") }.count
            let observed = Double(right) / 600
            #expect(abs(observed - acc) < 0.08, "\(model): \(observed)")
        }
        // Perfect: right every time but for the odd refusal or misspelling.
        let perfect = try replies("sim/perfect", n: 100).enumerated().filter { i, t in t.contains("Answer\(i)") }.count
        #expect(perfect >= 90)
    }

    @Test func phrasingVaries() throws {
        let rs = try replies("sim/good", n: 300)
        #expect(rs.contains { $0.hasPrefix("What is ") || $0.hasPrefix("Who is ") })
        #expect(rs.contains { $0.hasPrefix("**") })
        #expect(rs.contains { !$0.contains("?") })
        let cot = try replies("sim/good", n: 50, template: "cot")
        #expect(cot.allSatisfy { $0.contains("Final answer") || $0.count < 60 })
        // Wrong answers are other answers of the run, not gibberish.
        let wrong = try replies("sim/weak", n: 100).enumerated().filter { i, t in !t.contains("Answer\(i)") }
        #expect(wrong.filter { $0.1.contains("Answer") }.count > wrong.count / 2)
    }

    @Test func cleansAnswersAndPicksQuestionWords() {
        #expect(SimModel.cleanAnswer("(Abraham) Lincoln") == "Lincoln")
        #expect(SimModel.cleanAnswer("<i>Moby Dick</i>") == "Moby Dick")
        #expect(SimModel.cleanAnswer("the Nile (or the Amazon)") == "the Nile")
        #expect(SimModel.questionForm("Marie Curie", category: "SCIENCE") == "Who is Marie Curie?")
        #expect(SimModel.questionForm("Paris", category: "WORLD CAPITALS") == "What is Paris?")
        #expect(SimModel.questionForm("La Paz", category: "WORLD CAPITALS") == "What is La Paz?")
        #expect(SimModel.questionForm("otters", category: "ANIMALS") == "What are otters?")
    }

    /// The byte-level answer cleaning gives what the Foundation version gives, and draws from
    /// the generator the same way, on tricky answers of printable ASCII.
    static let trickyAnswers = [
        "(Abraham) Lincoln", "<i>Moby Dick</i>", "the Nile (or the Amazon)", "a <b (c) or d", "x > y < z", "<<a>>b>",
        "Tom \\\"Red\\\" Jones", "Red OR blue", "red Or (blue or green)", "(a) or (b)", "(or)", " (or x", "a (b (c) d) e",
        "  spaced   out  ", "(all optional)", "( ) ( )", "pre(fix)ed", "a ( b", "a ) b", "a(b)c(d)e", "   ", "", "or", " or ",
        "the Beatles (or the Rolling Stones) (UK)", "<a href=\"x\">link</a> (text)", "Kennedy (JFK) or Johnson",
        "(the) (Grateful) Dead", "Mr.(Fred) Rogers", "trailing (paren", "1776 (or 1777)",
    ]

    @Test func byteCleaningMatchesFoundation() {
        for raw in Self.trickyAnswers {
            for keep in [true, false] {
                var r1 = SplitMix64(seed: 7), r2 = SplitMix64(seed: 7)
                #expect(SimModel.cleanPrintableASCIIAnswer(raw, rng: &r1, keepOptional: keep)
                        == SimModel.cleanAnswerWithFoundation(raw, rng: &r2, keepOptional: keep), "\(raw) keep \(keep)")
            }
            for seed in UInt64(0)..<8 {
                var r1 = SplitMix64(seed: seed), r2 = SplitMix64(seed: seed)
                #expect(SimModel.cleanPrintableASCIIAnswer(raw, rng: &r1, keepOptional: nil)
                        == SimModel.cleanAnswerWithFoundation(raw, rng: &r2, keepOptional: nil), "\(raw) seed \(seed)")
                #expect(r1.next() == r2.next())
            }
        }
        var rng = SplitMix64(seed: 1)
        #expect(SimModel.cleanPrintableASCIIAnswer("caf\u{E9}", rng: &rng, keepOptional: nil) == nil)
        #expect(SimModel.cleanPrintableASCIIAnswer("tab\there", rng: &rng, keepOptional: nil) == nil)
    }

    @Test(.enabled(if: SharedData.file("data/jeopardy/jarchive_tsv_sample_season40_first2000.tsv") != nil,
                   "needs ../shared/data/jeopardy/jarchive_tsv_sample_season40_first2000.tsv"))
    func byteCleaningMatchesFoundationOnRealAnswers() throws {
        let url = try #require(SharedData.file("data/jeopardy/jarchive_tsv_sample_season40_first2000.tsv"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        var checked = 0
        for line in lines {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count > 6 else { continue }
            for (raw, category) in [(String(f[6]), String(f[3]))] {
                for keep in [true, false] {
                    var r1 = SplitMix64(seed: 3), r2 = SplitMix64(seed: 3)
                    guard let fast = SimModel.cleanPrintableASCIIAnswer(raw, rng: &r1, keepOptional: keep) else { continue }
                    #expect(fast == SimModel.cleanAnswerWithFoundation(raw, rng: &r2, keepOptional: keep), "\(raw)")
                    checked += 1
                }
                #expect(SimModel.questionForm(raw, category: category) == questionFormWithFoundation(raw, category: category))
            }
        }
        #expect(checked > 3000)
    }

    /// `SimModel.questionForm` as it was, all through Foundation's search.
    func questionFormWithFoundation(_ answer: String, category: String) -> String {
        let cat = category.uppercased()
        let words = answer.split(separator: " ")
        let capitalised = words.count >= 2 && words.count <= 3
            && words.allSatisfy { $0.first?.isUppercase == true }
        let place = SimModel.placeWords.contains { cat.contains($0) }
        let person = SimModel.personWords.contains { cat.contains($0) } || (capitalised && !place)
        let plural = words.count == 1 && answer.hasSuffix("s") && !answer.hasSuffix("ss") && answer.first?.isLowercase == true
        let lead = person ? "Who is" : (plural ? "What are" : "What is")
        return "\(lead) \(answer)?"
    }

    @Test func questionWordsMatchFoundation() {
        for (a, c) in [("Marie Curie", "SCIENCE"), ("La Paz", "WORLD CAPITALS"), ("otters", "ANIMALS"), ("Ab Cd", "citY of kings"),
                       ("Ab Cd", "FOOD & DRINK"), ("x", "caf\u{E9} society"), ("Ab Cd", "THE WHO"), ("glass", "LEADERS")] {
            #expect(SimModel.questionForm(a, category: c) == questionFormWithFoundation(a, category: c), "\(a) / \(c)")
        }
    }

    @Test func transientErrorsAtTheSetRate() throws {
        let m = try SimModel.parse("sim/good,err=0.3")
        let q = question(1)
        let ctx = SimModel.Context(questions: [q])
        var failures = 0
        for k in 0..<1000 {
            if case .failure = m.reply(question: q, messages: [], template: "jeopardy", askConfidence: false, maxTokens: nil,
                                       seed: 0, key: "k\(k)", attempt: 1, context: ctx) { failures += 1 }
        }
        #expect(abs(Double(failures) / 1000 - 0.3) < 0.05)
    }

    @Test func maxTokensTruncates() throws {
        let m = try SimModel.parse("sim/perfect")
        let q = question(1)
        let r = m.reply(question: q, messages: [], template: "cot", askConfidence: true, maxTokens: 5, seed: 0, key: "k",
                        attempt: 1, context: SimModel.Context(questions: [q]))
        guard case .answer(let text, let finish, _, let c, _, _) = r else { Issue.record("no answer"); return }
        #expect(finish == "length" && c == 5 && text.count <= 16)
    }
}
