import Foundation
import Testing
import JBCore
@testable import JBGrade

@Suite struct JudgeTests {
    @Test func promptCarriesTheCase() {
        let p = JudgePrompt.render(category: "US", clue: "Line one\nline two", answer: "Procter &amp; Gamble", response: "P&G")
        #expect(p.contains("Clue: Line one line two"))
        #expect(p.contains("Correct response: Procter & Gamble"))
        #expect(JudgePrompt.field("Contestant's reply", in: p) == "P&G")
        #expect(JudgePrompt.templateHash.count == 16)
    }

    @Test func verdictParsing() {
        #expect(JudgePrompt.verdict("CORRECT\nbecause") == "correct")
        #expect(JudgePrompt.verdict("Incorrect: too general") == "incorrect")
        #expect(JudgePrompt.verdict("I am unsure") == "unclear")
    }

    @Test func simulatedJudgeIsDeterministic() async throws {
        let judge = SimulatedJudge(seed: 3)
        let close = JudgePrompt.render(category: "", clue: "", answer: "Connecticut", response: "Conneticut")
        let far = JudgePrompt.render(category: "", clue: "", answer: "Connecticut", response: "Ohio")
        let a = try await judge.complete(prompt: close)
        #expect(a == (try await judge.complete(prompt: close)))
        #expect(JudgePrompt.verdict(a) == "correct")
        #expect(JudgePrompt.verdict(try await judge.complete(prompt: far)) == "incorrect")
    }

    @Test func bandAndBackends() throws {
        #expect(try JudgeTier.parseBand("0.3:0.9") == 0.3...0.9)
        #expect(throws: (any Error).self) { try JudgeTier.parseBand("0.9:0.1") }
        #expect(throws: (any Error).self) { try JudgeTier.parseBand("high") }
        #expect(try JudgeBackends.make(model: "sim/judge", seed: 1).model == "sim/judge")
        #expect(throws: (any Error).self) { try JudgeBackends.make(model: "openai/gpt-4o", seed: 1) }
        let tier = JudgeTier(backend: SimulatedJudge(), band: 0.3...0.9)
        #expect(tier.wants(Decision(correct: false, method: .noMatch, score: 0.5, settled: false)))
        #expect(!tier.wants(Decision(correct: false, method: .hedge, score: 0.5, settled: true)))
        #expect(!tier.wants(Decision(correct: true, method: .exact, score: 1, settled: true)))
    }

    @Test func cacheSurvivesReopening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jb-judge-\(UUID().uuidString)/judge.jsonl").path
        let cache = try JudgeCache(path: path)
        #expect(cache.lookup(model: "sim/judge", prompt: "p") == nil)
        try cache.store(model: "sim/judge", prompt: "p", raw: "CORRECT")
        let again = try JudgeCache(path: path)
        #expect(again.lookup(model: "sim/judge", prompt: "p") == "CORRECT")
        #expect(again.lookup(model: "other", prompt: "p") == nil)
        #expect(again.hits == 1)
    }

    /// A run killed while writing leaves half a line: the next run drops it (that verdict is
    /// asked again), keeps the rest, and appends on a fresh line (issue 20).
    @Test func aCutShortLastLineIsRepaired() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jb-judge-\(UUID().uuidString)/judge.jsonl").path
        let cache = try JudgeCache(path: path)
        try cache.store(model: "m", prompt: "p1", raw: "CORRECT")
        try cache.store(model: "m", prompt: "p2", raw: "INCORRECT")
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.dropLast(9).write(to: URL(fileURLWithPath: path))
        let repaired = try JudgeCache(path: path)
        #expect(repaired.notes == ["\(path): removed a cut-short last line (left by a killed run)"])
        #expect(repaired.lookup(model: "m", prompt: "p1") == "CORRECT")
        #expect(repaired.lookup(model: "m", prompt: "p2") == nil)
        try repaired.store(model: "m", prompt: "p2", raw: "CORRECT")
        let again = try JudgeCache(path: path)
        #expect(again.notes.isEmpty)
        #expect(again.lookup(model: "m", prompt: "p1") == "CORRECT")
        #expect(again.lookup(model: "m", prompt: "p2") == "CORRECT")
    }
}
