import Foundation
import JBCore
import JBTestSupport
import Testing

/// jb-metrics on real question records: jb-ingest reads the j-archive sample, the test grades
/// two made-up models with known verdicts, and jb-metrics must count and score them exactly.
@Suite(.tools) struct MetricsEndToEndTests {
    func objects(_ text: String) throws -> [JSONObject] {
        try text.split(separator: "\n").map { line in
            guard case .object(let o) = try JSONParser.parse(String(line)) else { throw JBError.internal("not an object") }
            return o
        }
    }

    @Test(.enabled(if: SharedData.file("data/jeopardy/jarchive_tsv_sample_season40_first2000.tsv") != nil, "needs ../shared/data/jeopardy/jarchive_tsv_sample_season40_first2000.tsv"))
    func realQuestionsScoredByHand() throws {
        let tsv = try #require(SharedData.file("data/jeopardy/jarchive_tsv_sample_season40_first2000.tsv"))
        let ingest = try ToolRunner.run("jb-ingest", [tsv.path])
        #expect(ingest.status == 0, "\(ingest)")
        let questions = try objects(ingest.output)
        #expect(questions.count > 1000)

        // "oracle" is always right; "parity" is right when the id's last digit is even and
        // refuses Final Jeopardy!. Expected figures are counted here, independently.
        var graded: [String] = []
        var stakeSum = 0, parityScore = 0, parityRight = 0, parityAnswered = 0, dailyDoubles = 0
        var perRound: [String: Int] = [:]
        for q in questions {
            let id = q["id"]!.stringValue!
            let round = q["round"]!.stringValue!
            perRound[round, default: 0] += 1
            let even = Int(String(id.last!), radix: 16)! % 2 == 0
            let final = round == "Final Jeopardy!"
            let dd = q["daily_double"] == .bool(true)
            let stake: Int? = dd && q["wager"] != nil ? q["wager"]!.intValue : q["value"]?.intValue
            if dd { dailyDoubles += 1 }
            if let stake {
                stakeSum += stake
                if !final { parityScore += even ? stake : -stake }
            }
            if !final { parityAnswered += 1; if even { parityRight += 1 } }
            var oracle = q
            oracle["model"] = "oracle"
            oracle["grade"] = ["answered": true, "correct": true, "method": "exact"]
            var parity = q
            parity["model"] = "parity"
            parity["grade"] = final ? ["answered": false, "correct": false, "method": "refusal"]
                : ["answered": true, "correct": .bool(even), "method": even ? "exact" : "fuzzy"]
            graded.append(JSON.object(oracle).compactText)
            graded.append(JSON.object(parity).compactText)
        }
        #expect(dailyDoubles > 10, "the sample should hold Daily Doubles with wagers")

        let run = try ToolRunner.run("jb-metrics", ["--by", "round"], input: graded.joined(separator: "\n") + "\n")
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr == "")
        let out = try objects(run.output)
        let n = questions.count
        let oracle = try #require(out.first { $0["model"] == "oracle" && $0["group"] == "all" })
        #expect(oracle["n"] == JSON(n) && oracle["correct"] == JSON(n) && oracle["ci_high"]?.doubleValue == 1)
        #expect(oracle["score"] == JSON(stakeSum) && oracle["score_max"] == JSON(stakeSum) && oracle["score_share"]?.doubleValue == 1)
        let parity = try #require(out.first { $0["model"] == "parity" && $0["group"] == "all" })
        #expect(parity["correct"] == JSON(parityRight) && parity["answered"] == JSON(parityAnswered))
        #expect(parity["refusals"] == JSON(n - parityAnswered))
        #expect(parity["score"] == JSON(parityScore))
        for (round, count) in perRound {
            let g = try #require(out.first { $0["model"] == "parity" && $0["group"] == JSON("round=\(round)") })
            #expect(g["n"] == JSON(count))
        }
        let comparison = try #require(out.first { $0["kind"] == "comparison" })
        // One accuracy (docs/jb-metrics.md): every common question is compared, parity's
        // refusals count as misses; no request failed.
        #expect(comparison["n"] == JSON(n) && comparison["common"] == JSON(n) && comparison["failed"] == 0)
        #expect(comparison["a_only"] == JSON(n - parityRight) && comparison["b_only"] == 0)
        #expect(comparison["basis"] == "asked")
        #expect(comparison["p_value"]!.doubleValue! < 1e-10)
    }
}
