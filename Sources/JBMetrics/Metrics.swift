import JBCore

/// What jb-metrics computes and how.
public struct MetricsSettings: Sendable, Equatable {
    /// The `--by` breakdowns, in the order given (the `all` group always comes first).
    public var breakdowns: [Breakdown]
    /// The confidence level of every interval, 0 < level < 1.
    public var confidence: Double
    /// The coverages at which precision is reported, each in (0, 1].
    public var coverages: [Double]
    /// The `--cutoff` probes, in the order given.
    public var cutoffs: [CutoffProbe]
    /// How dollar stakes are decided.
    public var scoring: ScoringRule
    /// Whether to keep per-question outcomes and write paired comparisons.
    public var compare: Bool
    /// Paired comparisons on the questions both models answered only (`--answered-only`),
    /// instead of every question neither model failed.
    public var answeredOnly = false

    /// Creates settings; out-of-range values are usage errors (the settings' declarations check them).
    public init(breakdowns: [Breakdown] = [], confidence: Double = MetricsSetting.confidence.defaultValue,
                coverages: [Double] = MetricsSetting.coverage.defaultValue,
                cutoffs: [CutoffProbe] = [], scoring: ScoringRule = ScoringRule(),
                compare: Bool = MetricsSetting.compare.defaultValue) throws {
        try MetricsSetting.confidence.check(confidence)
        try MetricsSetting.coverage.check(coverages)
        self.breakdowns = breakdowns
        self.confidence = confidence
        self.coverages = coverages
        self.cutoffs = cutoffs
        self.scoring = scoring
        self.compare = compare
    }

    /// Parses a comma-separated list of coverages such as `0.5,0.8,1` (or percentages `50%`).
    public static func parseCoverages(_ text: String) throws -> [Double] {
        var out: [Double] = []
        for part in text.split(separator: ",") {
            var t = String(part).trimmingASCIISpace()
            var scale = 1.0
            if t.hasSuffix("%") { t.removeLast(); scale = 0.01 }
            guard let v = Double(t), v.isFinite else {
                throw JBError.usage("--coverage \"\(text)\": expected numbers such as 0.5,0.8,1")
            }
            out.append(v * scale)
        }
        guard !out.isEmpty else { throw JBError.usage("--coverage: expected at least one share, e.g. 0.5") }
        return out
    }
}

/// What a run read and wrote, for the closing line on stderr.
public struct MetricsSummary: Sendable, Equatable {
    /// Grade records read.
    public var records = 0
    /// Distinct models.
    public var models = 0
    /// Metric, comparison and cutoff records written.
    public var metrics = 0, comparisons = 0, cutoffs = 0
    /// Warnings worth a line on stderr.
    public var warnings: [String] = []
}

/// Aggregates grade records into metric, comparison and cutoff records.
///
/// Streaming: each record updates running totals and is dropped. Memory grows with the number
/// of (model, group) pairs — each holds fixed counters, a latency sketch and a confidence
/// histogram of bounded size — plus, for paired comparisons, a few bits per question and
/// model (see `PairedOutcomes`).
public final class Metrics {
    /// The settings in force.
    public let settings: MetricsSettings
    private final class ModelState {
        var groups: [[JSON: GroupStats]]
        init(breakdowns: Int) { groups = Array(repeating: [:], count: breakdowns + 1) }
    }

    private var models: [String: ModelState] = [:]
    private var paired = PairedOutcomes()
    private var cutoffs: [CutoffProbe]
    private let cutoffIndex: [String: [Int]]
    /// Records added so far.
    public private(set) var recordCount = 0

    /// An empty aggregation.
    public init(settings: MetricsSettings) {
        self.settings = settings
        cutoffs = settings.cutoffs
        var index: [String: [Int]] = [:]
        for (k, c) in settings.cutoffs.enumerated() { index[c.model, default: []].append(k) }
        cutoffIndex = index
    }

    /// Reads every record from `reader`, then writes the results to `writer`.
    public func run(reader: JSONLReader, writer: JSONLWriter) throws -> MetricsSummary {
        while let record = try reader.next() {
            let outcome = try Outcome(record: record, fail: reader.error)
            add(outcome, record: record)
        }
        var summary = MetricsSummary()
        try results { r in
            try writer.write(r)
            switch r["kind"] {
            case "metric": summary.metrics += 1
            case "comparison": summary.comparisons += 1
            default: summary.cutoffs += 1
            }
        }
        summary.records = recordCount
        summary.models = models.count
        summary.warnings = warnings()
        return summary
    }

    /// Adds one graded record; `record` is the whole record, which `--by` reads.
    public func add(_ o: Outcome, record: JSONObject) {
        recordCount += 1
        let state: ModelState
        if let s = models[o.model] {
            state = s
        } else {
            state = ModelState(breakdowns: settings.breakdowns.count)
            models[o.model] = state
        }
        Self.stats(in: &state.groups[0], key: .null).add(o, rule: settings.scoring)
        for (k, b) in settings.breakdowns.enumerated() {
            Self.stats(in: &state.groups[k + 1], key: b.value(of: record)).add(o, rule: settings.scoring)
        }
        if settings.compare { paired.add(o) }
        if let probes = cutoffIndex[o.model] {
            for k in probes { cutoffs[k].add(o) }
        }
    }

    private static func stats(in groups: inout [JSON: GroupStats], key: JSON) -> GroupStats {
        if let s = groups[key] { return s }
        let s = GroupStats()
        groups[key] = s
        return s
    }

    /// The output records, in order (see `results(_:)`).
    public func results() -> [JSONObject] {
        var out: [JSONObject] = []
        results { out.append($0) }
        return out
    }

    /// Hands each output record to `emit` as it is made, so the output is never held whole:
    /// per model (byte order) the `all` group, then each breakdown's groups in value order;
    /// then a comparison per pair of models; then the cutoff probes.
    public func results(_ emit: (JSONObject) throws -> Void) rethrows {
        let level = settings.confidence
        let names = models.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for model in names {
            let groups = models[model]!.groups
            for (k, byValue) in groups.enumerated() {
                let breakdown: Breakdown? = k == 0 ? nil : settings.breakdowns[k - 1]
                for key in byValue.keys.sorted(by: Breakdown.precedes) {
                    var o = byValue[key]!.fields(confidence: level, coverages: settings.coverages)
                    o["kind"] = "metric"
                    o["model"] = .string(model)
                    o["group"] = .string(breakdown?.group(key) ?? "all")
                    o["group_field"] = JSON(breakdown?.field)
                    o["group_value"] = key
                    try emit(o)
                }
            }
        }
        if settings.compare {
            for (i, a) in names.enumerated() {
                for b in names[(i + 1)...] {
                    var o = paired.table(a, b, answeredOnly: settings.answeredOnly).fields(confidence: level)
                    o["kind"] = "comparison"
                    o["model_a"] = .string(a)
                    o["model_b"] = .string(b)
                    o["group"] = "all"
                    try emit(o)
                }
            }
        }
        for probe in cutoffs {
            var o = probe.fields(confidence: level)
            o["kind"] = "cutoff"
            o["model"] = .string(probe.model)
            o["group"] = "all"
            try emit(o)
        }
    }

    /// Warnings about the input: duplicate records, cutoffs naming models never seen.
    public func warnings() -> [String] {
        var w: [String] = []
        if paired.duplicates > 0 {
            w.append("\(paired.duplicates) record(s) repeat a model, id and epoch already seen: "
                + "each counts in the metrics, the last one in paired comparisons")
        }
        for probe in cutoffs where models[probe.model] == nil {
            w.append("--cutoff \(probe.model)=\(probe.date): no records of model \"\(probe.model)\"")
        }
        return w
    }
}
