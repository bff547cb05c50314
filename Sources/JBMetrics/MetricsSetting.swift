import JBCore

/// jb-metrics' settings, each declared once: flag, config key, environment variable, default,
/// help and the values it accepts.
public enum MetricsSetting {
    public static let by = Setting<[String]>(
        "metrics.by", flag: "by", default: [],
        help: "Break down by a field (category, round, difficulty, value, year, decade, or any field; dotted names reach into objects; a+b crosses two fields). Repeat or separate with commas.",
        valueName: "field")
    public static let confidence = Setting<Double>(
        "metrics.confidence", flag: "confidence", default: 0.95, help: "Confidence level of every interval (default {default}).",
        expected: "expected a level between 0 and 1, e.g. 0.95", accepts: { $0 > 0 && $0 < 1 })
    public static let cutoff = Setting<[String]>(
        "metrics.cutoff", flag: "cutoff", default: [],
        help: "Accuracy before and after a model's training cutoff, by air date. Repeatable.", valueName: "model=YYYY-MM-DD")
    public static let coverage = Setting<[Double]>(
        "metrics.coverage", flag: "coverage", default: [0.25, 0.5, 0.75, 1],
        help: "Coverages for precision at coverage (default {default}).", valueName: "list",
        expected: "expected shares above 0 and at most 1, e.g. 0.5,0.8,1",
        accepts: { $0.allSatisfy { $0 > 0 && $0 <= 1 } }, parse: { try MetricsSettings.parseCoverages($0) })
    public static let finalStake = Setting<Int?>(
        "metrics.final_stake", flag: "final-stake", in: 0...1_000_000_000_000,
        help: "Dollar stake for Final Jeopardy! clues in the score (default: not scored).", valueName: "dollars")
    public static let compare = Setting<Bool>(
        "metrics.compare", flag: "compare", default: true,
        help: "Write paired comparisons of every pair of models (keeps a few bits per question and model).")

    /// Every setting jb-metrics reads, in `--print-config` order.
    public static let all: [any AnySetting] = [by, confidence, cutoff, coverage, finalStake, compare]
}

extension MetricsSettings {
    /// The options the settings in `source` describe, each parsed and checked by its declaration.
    public init(_ source: some SettingSource) throws {
        try self.init(breakdowns: try source.value(MetricsSetting.by).map(Breakdown.init),
                      confidence: try source.value(MetricsSetting.confidence),
                      coverages: try source.value(MetricsSetting.coverage),
                      cutoffs: try source.value(MetricsSetting.cutoff).map(CutoffProbe.init(parsing:)),
                      scoring: ScoringRule(finalStake: try source.value(MetricsSetting.finalStake)),
                      compare: try source.value(MetricsSetting.compare))
    }
}
