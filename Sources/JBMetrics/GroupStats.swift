import JBCore

/// How a clue's dollar stake is decided for the Jeopardy! score.
public struct ScoringRule: Sendable, Equatable {
    /// The stake given to Final Jeopardy! clues (which have no board value); nil leaves them
    /// out of the dollar score.
    public var finalStake: Int?

    /// Creates the rule.
    public init(finalStake: Int? = nil) { self.finalStake = finalStake }

    /// The dollars a clue is worth in the score: the wager for a Daily Double whose wager is
    /// known, else the board value, else `finalStake` for Final Jeopardy!; nil (not scored)
    /// otherwise — Tiebreakers, and Daily Doubles with neither wager nor value.
    public func stake(_ o: Outcome) -> Int? {
        if o.dailyDouble == true, let w = o.wager { return w }
        if let v = o.value { return v }
        if o.round == "Final Jeopardy!", let s = finalStake { return s }
        return nil
    }

    /// The Coryat change: +value right, −value wrong, except that a wrong Daily Double costs
    /// nothing; Final Jeopardy!, Tiebreakers and clues without a board value are left out (nil).
    public func coryat(_ o: Outcome) -> Int? {
        if o.round == "Final Jeopardy!" || o.round == "Tiebreaker" { return nil }
        guard let v = o.value else { return nil }
        if o.correct == true { return v }
        if o.answered && o.correct == false { return o.dailyDouble == true ? 0 : -v }
        return 0
    }
}

/// The running totals of one model in one group; memory does not grow with records
/// (see `QuantileSketch` and `Calibration` for their bounds).
public final class GroupStats {
    /// Records in the group.
    public private(set) var n = 0
    /// Records the model answered.
    public private(set) var answered = 0
    /// Correct answers.
    public private(set) var correct = 0
    /// Answered, and wrong.
    public private(set) var wrong = 0
    /// Failed requests.
    public private(set) var errors = 0
    /// Refusals.
    public private(set) var refusals = 0
    private var score: Int64 = 0
    private var scoreMax: Int64 = 0
    private var scored = 0
    private var coryat: Int64 = 0
    private var coryatN = 0
    private var latency = QuantileSketch()
    private var promptTokens: Int64 = 0
    private var promptN = 0
    private var completionTokens: Int64 = 0
    private var completionN = 0
    private var cost = 0.0
    private var costN = 0
    private var calibration = Calibration()

    /// An empty group.
    public init() {}

    /// Adds one record.
    public func add(_ o: Outcome, rule: ScoringRule) {
        n += 1
        if o.answered { answered += 1 }
        if o.correct == true { correct += 1 }
        if o.answered && o.correct == false { wrong += 1 }
        if o.error { errors += 1 }
        if o.refusal { refusals += 1 }
        if let stake = rule.stake(o) {
            scored += 1
            // Sums saturate rather than trap: stakes are range-checked per record, but a long
            // run of extreme ones must still not crash the tool.
            scoreMax = scoreMax.saturatingAdd(Int64(stake))
            if o.correct == true {
                score = score.saturatingAdd(Int64(stake))
            } else if o.answered && o.correct == false {
                score = score.saturatingSubtract(Int64(stake))
            }
        }
        if let c = rule.coryat(o) {
            coryatN += 1
            coryat = coryat.saturatingAdd(Int64(c))
        }
        if let l = o.latencyMS, !o.error, !o.cached { latency.add(l) }
        if let t = o.promptTokens { promptTokens = promptTokens.saturatingAdd(Int64(t)); promptN += 1 }
        if let t = o.completionTokens { completionTokens = completionTokens.saturatingAdd(Int64(t)); completionN += 1 }
        if let c = o.costUSD { cost += c; costN += 1 }
        if o.answered, let conf = o.confidence, let right = o.correct {
            calibration.add(confidence: conf, correct: right)
        }
    }

    /// The metric fields of this group (everything but `kind`, `model` and the group names).
    public func fields(confidence level: Double, coverages: [Double]) -> JSONObject {
        var o: JSONObject = [:]
        o["n"] = JSON(n)
        o["answered"] = JSON(answered)
        o["correct"] = JSON(correct)
        o["wrong"] = JSON(wrong)
        o["errors"] = JSON(errors)
        o["refusals"] = JSON(refusals)
        o["confidence"] = JSON(level)
        // One definition of accuracy, here and in paired comparisons: every question the model
        // was asked counts, a refusal or an empty reply as a miss; a failed request (`error`:
        // the model never answered) is left out and counted in `errors`.
        let asked = n - errors
        let all = Statistics.wilson(successes: correct, n: asked, confidence: level)
        o["accuracy"] = JSON(asked > 0 ? Double(correct) / Double(asked) : nil)
        o["ci_low"] = JSON(all?.low)
        o["ci_high"] = JSON(all?.high)
        let among = Statistics.wilson(successes: correct, n: answered, confidence: level)
        o["accuracy_answered"] = JSON(answered > 0 ? Double(correct) / Double(answered) : nil)
        o["answered_ci_low"] = JSON(among?.low)
        o["answered_ci_high"] = JSON(among?.high)

        o["scored"] = JSON(scored)
        o["score"] = scored > 0 ? .int(score) : .null
        o["score_max"] = scored > 0 ? .int(scoreMax) : .null
        o["score_share"] = JSON(scoreMax > 0 ? Double(score) / Double(scoreMax) : nil)
        o["coryat_n"] = JSON(coryatN)
        o["coryat"] = coryatN > 0 ? .int(coryat) : .null

        o["latency_n"] = JSON(latency.count)
        o["latency_mean_ms"] = JSON(latency.mean)
        let q = latency.quantiles([0.5, 0.95, 0.99])
        o["latency_p50_ms"] = JSON(q?[0])
        o["latency_p95_ms"] = JSON(q?[1])
        o["latency_p99_ms"] = JSON(q?[2])

        o["prompt_tokens"] = promptN > 0 ? .int(promptTokens) : .null
        o["completion_tokens"] = completionN > 0 ? .int(completionTokens) : .null
        o["prompt_tokens_mean"] = JSON(promptN > 0 ? Double(promptTokens) / Double(promptN) : nil)
        o["completion_tokens_mean"] = JSON(completionN > 0 ? Double(completionTokens) / Double(completionN) : nil)
        o["cost_n"] = JSON(costN)
        o["cost_usd"] = JSON(costN > 0 ? cost : nil)
        o["cost_per_correct"] = JSON(costN > 0 && correct > 0 ? cost / Double(correct) : nil)

        o["calibration_n"] = JSON(calibration.count)
        o["brier"] = JSON(calibration.brier)
        o["ece"] = JSON(calibration.ece)
        o["confidence_correlation"] = JSON(calibration.correlation)
        o["calibration_bins"] = calibration.count > 0 ? .array(calibration.bins) : .null
        o["precision_at_coverage"] = calibration.count > 0
            ? .array(coverages.map { c in
                let (k, p) = calibration.precision(atCoverage: c)
                return .object(["coverage": JSON(c), "n": JSON(k), "precision": JSON(p)])
            })
            : .null
        return o
    }
}
