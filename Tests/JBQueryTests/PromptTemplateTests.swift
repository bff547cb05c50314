import Foundation
import JBChat
import JBCore
import Testing
@testable import JBQuery

@Suite struct PromptTemplateTests {
    let q = Question(id: "abc", airDate: "2004-12-31", round: "Jeopardy!", category: "HISTORY", value: 200,
                     clue: "Galileo was under house arrest for espousing this man's theory", answer: "Copernicus")

    @Test func builtInsFillPlaceholders() {
        for name in PromptTemplate.builtInNames {
            let t = PromptTemplate.builtIn(name)!
            let m = t.messages(for: q)
            #expect(m.last!.content.contains("Galileo"))
            #expect(!m.last!.content.contains("{{"))
            #expect(t.hash.count == 16)
        }
        #expect(PromptTemplate.builtIn("jeopardy")!.messages(for: q).last!.content.contains("$200"))
        #expect(PromptTemplate.builtIn("jeopardy")!.hash != PromptTemplate.builtIn("cot")!.hash)
    }

    @Test func systemAndConfidenceChangeTheTemplate() {
        let t = PromptTemplate.builtIn("jeopardy")!
        let c = t.adjusted(system: "Be brief.", askConfidence: true)
        #expect(c.messages(for: q).first == ChatMessage(role: "system", content: "Be brief."))
        #expect(c.messages(for: q).last!.content.contains("Confidence: N%"))
        #expect(c.hash != t.hash)
        #expect(t.adjusted(system: "", askConfidence: false).messages(for: q).count == 1)
    }

    @Test func customFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jbq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = dir.appendingPathComponent("terse.txt").path
        try "{{round}} / {{category}} / {{value}} / {{air_date}}: {{clue}}".write(toFile: good, atomically: true, encoding: .utf8)
        let t = try PromptTemplate.file(good)
        #expect(t.name == "terse")
        #expect(t.messages(for: q) == [ChatMessage(role: "user", content: "Jeopardy! / HISTORY / $200 / 2004-12-31: " + q.clue)])
        let bad = dir.appendingPathComponent("bad.txt").path
        try "{{clue}} {{answer}}".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: JBError.self) { try PromptTemplate.file(bad) }
    }

    @Test func placeholdersAreFilledInOnePass() {
        let t = PromptTemplate(name: "t", system: nil, user: "{{ category}}|{{clue }}|{{ value }}|{{answer}}|{{|}}|{{clue}}")
        var tricky = q
        tricky.category = "{{clue}} & {{value}}"
        tricky.clue = "Über café {{round}}"
        // A value that looks like a placeholder is not filled again; unknown names stay as they are.
        #expect(t.fill(t.user, tricky) == "{{clue}} & {{value}}|Über café {{round}}|$200|{{answer}}|{{|}}|Über café {{round}}")
        var final = q
        final.value = nil
        final.round = "Final Jeopardy!"
        #expect(t.fill("{{value}} {{air_date}}", final) == "Final Jeopardy! 2004-12-31")
    }

    @Test func fewShotNeverShowsTheQuestionAndIsSeeded() {
        let pool = ExamplePool(questions: (0..<20).map {
            Question(id: "q\($0)", round: "Jeopardy!", category: "C", clue: "clue \($0)", answer: "a\($0)")
        } + [q])
        for seed: UInt64 in 0..<30 {
            let ex = pool.examples(for: q, k: 3, seed: seed)
            #expect(ex.count == 3)
            #expect(!ex.contains { $0.id == q.id })
            #expect(Set(ex.map(\.id)).count == 3)
            #expect(ex.map(\.id) == pool.examples(for: q, k: 3, seed: seed).map(\.id))
        }
        #expect(pool.examples(for: q, k: 3, seed: 1).map(\.id) != pool.examples(for: q, k: 3, seed: 2).map(\.id))
        let t = PromptTemplate.builtIn("few-shot", shots: 3)!
        let m = t.messages(for: q, examples: pool.examples(for: q, k: 3, seed: 1))
        #expect(m.count == 1 + 6 + 1)
        #expect(m[2].role == "assistant" && m[2].content.hasSuffix("?"))
    }
}
