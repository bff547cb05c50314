@testable import JBMetrics
import Testing

@Suite struct PairedOutcomesTests {
    @Test func hexIDs() {
        #expect(PairedOutcomes.hexID("00000000000000ff") == 255)
        #expect(PairedOutcomes.hexID("5e0f1b1c9d6f5a3e") == 0x5e0f1b1c9d6f5a3e)
        #expect(PairedOutcomes.hexID("5E0F1B1C9D6F5A3E") == nil)
        #expect(PairedOutcomes.hexID("abc") == nil)
        #expect(PairedOutcomes.hexID("00000000000000fff") == nil)
    }

    @Test func pairsByIdAndEpoch() {
        var p = PairedOutcomes()
        // Question q1 epochs 1 and 2, q2 (a non-hex id), q3 only for model a.
        let rows: [(String, String, Int, Bool?)] = [
            ("a", "00000000000000a1", 1, true), ("b", "00000000000000a1", 1, false),
            ("a", "00000000000000a1", 2, false), ("b", "00000000000000a1", 2, true),
            ("a", "q2", 1, true), ("b", "q2", 1, true),
            ("a", "q4", 1, false), ("b", "q4", 1, nil),
            ("a", "00000000000000a3", 1, true),
        ]
        for (m, id, e, c) in rows {
            p.add(Outcome(model: m, id: id, epoch: e, answered: c != nil, correct: c))
        }
        let t = p.table("a", "b")
        #expect(t == PairedTable(common: 4, both: 1, firstOnly: 1, secondOnly: 1, neither: 0))
        #expect(p.table("b", "a") == PairedTable(common: 4, both: 1, firstOnly: 1, secondOnly: 1, neither: 0))
        #expect(p.table("a", "nobody") == PairedTable())
        #expect(p.duplicates == 0)
        p.add(Outcome(model: "a", id: "q2", answered: true, correct: false))
        #expect(p.duplicates == 1)
        #expect(p.table("a", "b").firstOnly == 1 && p.table("a", "b").neither == 0 && p.table("a", "b").secondOnly == 2)
    }

    @Test func manyQuestionsGrowTheBitsets() {
        var p = PairedOutcomes()
        for k in 0..<1000 {
            let id = String(k, radix: 16)
            let hex = String(repeating: "0", count: 16 - id.count) + id
            p.add(Outcome(model: "a", id: hex, answered: true, correct: k % 2 == 0))
            p.add(Outcome(model: "b", id: hex, answered: true, correct: k % 3 == 0))
        }
        let t = p.table("a", "b")
        #expect(t.n == 1000 && t.both == 167 && t.firstOnly == 333 && t.secondOnly == 167 && t.neither == 333)
        #expect(p.modelNames == ["a", "b"])
    }
}
