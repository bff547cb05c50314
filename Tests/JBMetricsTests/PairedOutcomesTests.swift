import JBCore
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
        // b did not answer q4 (a refusal or an empty reply): a miss, as in the leaderboard.
        let t = p.table("a", "b")
        #expect(t == PairedTable(common: 4, both: 1, firstOnly: 1, secondOnly: 1, neither: 1))
        #expect(p.table("b", "a") == PairedTable(common: 4, both: 1, firstOnly: 1, secondOnly: 1, neither: 1))
        // --answered-only: only questions both answered.
        var answered = PairedTable(common: 4, both: 1, firstOnly: 1, secondOnly: 1, neither: 0)
        answered.answeredOnly = true
        #expect(p.table("a", "b", answeredOnly: true) == answered)
        #expect(p.table("a", "nobody") == PairedTable())
        #expect(p.duplicates == 0)
        p.add(Outcome(model: "a", id: "q2", answered: true, correct: false))
        #expect(p.duplicates == 1)
        #expect(p.table("a", "b").firstOnly == 1 && p.table("a", "b").neither == 1 && p.table("a", "b").secondOnly == 2)
    }

    /// One definition of accuracy: a paired comparison's accuracy of a model equals its
    /// leaderboard accuracy on the same questions, whatever it refused; failed requests are
    /// out of both, and counted.
    @Test func refusalsAreMissesAndFailuresAreLeftOut() {
        var p = PairedOutcomes()
        let stats = GroupStats()
        // a: right on 1-6, refuses 7 and 8 (its hard questions), fails 9 (a request error).
        // b: right on 1-4 and 7, wrong on 5, 6, 8, 9.
        for k in 1...9 {
            let id = "q\(k)"
            let a: Outcome
            switch k {
            case 7, 8: a = Outcome(model: "a", id: id, answered: false, correct: nil, refusal: true)
            case 9: a = Outcome(model: "a", id: id, answered: false, correct: nil, error: true)
            default: a = Outcome(model: "a", id: id, answered: true, correct: true)
            }
            p.add(a)
            stats.add(a, rule: ScoringRule())
            p.add(Outcome(model: "b", id: id, answered: true, correct: [1, 2, 3, 4, 7].contains(k)))
        }
        let t = p.table("a", "b")
        #expect(t.common == 9 && t.failed == 1 && t.n == 8)
        let f = t.fields(confidence: 0.95)
        let leaderboard = stats.fields(confidence: 0.95, coverages: [1])
        // 6 right of the 8 asked and not failed, in both tables.
        #expect(f["accuracy_a"]?.doubleValue == 6.0 / 8.0)
        #expect(leaderboard["accuracy"]?.doubleValue == 6.0 / 8.0)
        #expect(leaderboard["errors"]?.doubleValue == 1)
        #expect(f["failed"]?.doubleValue == 1 && f["basis"]?.stringValue == "asked")
        // The earlier definition dropped the refusals and flattered a: 6 of 6.
        let old = p.table("a", "b", answeredOnly: true).fields(confidence: 0.95)
        #expect(old["accuracy_a"]?.doubleValue == 1.0 && old["basis"]?.stringValue == "answered")
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
