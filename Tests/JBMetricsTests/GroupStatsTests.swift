import JBCore
@testable import JBMetrics
import Testing

@Suite struct GroupStatsTests {
    func outcome(_ correct: Bool?, value: Int? = 400, dd: Bool? = false, wager: Int? = nil,
                 round: String = "Jeopardy!") -> Outcome {
        Outcome(model: "m", id: "q", answered: correct != nil, correct: correct, value: value, dailyDouble: dd,
                wager: wager, round: round)
    }

    @Test func stakes() {
        let rule = ScoringRule()
        #expect(rule.stake(outcome(true)) == 400)
        #expect(rule.stake(outcome(true, dd: true, wager: 3000)) == 3000)
        #expect(rule.stake(outcome(true, dd: true)) == 400)
        #expect(rule.stake(outcome(true, value: nil, dd: true)) == nil)
        #expect(rule.stake(outcome(true, value: nil, round: "Final Jeopardy!")) == nil)
        #expect(ScoringRule(finalStake: 2000).stake(outcome(true, value: nil, round: "Final Jeopardy!")) == 2000)
        #expect(ScoringRule(finalStake: 2000).stake(outcome(true, value: nil, round: "Tiebreaker")) == nil)
        #expect(rule.coryat(outcome(false, dd: true, wager: 3000)) == 0)
        #expect(rule.coryat(outcome(false)) == -400)
        #expect(rule.coryat(outcome(nil)) == 0)
        #expect(rule.coryat(outcome(true, value: nil, round: "Final Jeopardy!")) == nil)
    }

    @Test func dollarScore() {
        let g = GroupStats()
        let rule = ScoringRule()
        g.add(outcome(true), rule: rule)                          // +400
        g.add(outcome(false, value: 200), rule: rule)             // −200
        g.add(outcome(nil, value: 1000), rule: rule)              // 0, max +1000
        g.add(outcome(false, dd: true, wager: 1500), rule: rule)  // −1500
        g.add(outcome(true, value: nil, round: "Final Jeopardy!"), rule: rule) // not scored
        let f = g.fields(confidence: 0.95, coverages: [1])
        #expect(f["score"] == -1300)
        #expect(f["score_max"] == 3100)
        #expect(f["scored"] == 4)
        #expect(f["score_share"] == JSON(-1300.0 / 3100))
        #expect(f["coryat"] == 200)
        #expect(f["n"] == 5 && f["answered"] == 4 && f["wrong"] == 2 && f["correct"] == 2)
        #expect(f["precision_at_coverage"] == .null && f["latency_p50_ms"] == .null)
    }

    @Test func emptyGroupIsAllNulls() {
        let f = GroupStats().fields(confidence: 0.95, coverages: [1])
        #expect(f["n"] == 0 && f["accuracy"] == .null && f["ci_low"] == .null && f["score"] == .null)
        #expect(f["cost_usd"] == .null && f["cost_per_correct"] == .null && f["brier"] == .null)
    }
}
