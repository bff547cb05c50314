import JBCore

/// Everything a report shows, worked out once from the inputs; each format renders it.
public struct ReportModel: Sendable {
    /// The report's title.
    public var title: String
    /// Every metric record, in input order (the CSV and JSON reports list them all).
    public var records: [MetricRecord] = []
    /// One row per model, best accuracy first.
    public var leaderboard: [ModelRow] = []
    /// One breakdown per grouping field, in the order the records first name them.
    public var breakdowns: [Breakdown] = []
    /// Paired comparisons of two models.
    public var comparisons: [MetricRecord] = []
    /// Accuracy before and after a model's training cutoff.
    public var cutoffs: [MetricRecord] = []
    /// Reliability bins per model (from the metric records, else from graded records).
    public var calibration: [String: [CalibrationBin]] = [:]
    /// What the graded records gave, when some were read.
    public var graded: GradedSummary?
    /// The run's configuration, flattened to `key = value` pairs.
    public var run: [(key: String, value: String)] = []
    /// The interval's confidence level, e.g. 0.95.
    public var confidence: Double?
    /// Rows kept per breakdown in human-readable formats.
    public var top: Int

    /// Builds the model from metric records (input order), optional graded results and run
    /// configuration.
    public init(title: String, records: [MetricRecord], graded: GradedSummary? = nil,
                run: JSONObject? = nil, top: Int = 20) {
        self.title = title
        self.records = records
        self.graded = graded
        self.top = top
        var overall: [String: MetricRecord] = [:]
        var modelOrder: [String] = []
        var byField: [String: Breakdown] = [:]
        var fieldOrder: [String] = []
        for r in records {
            switch r.kind {
            case "metric":
                if !modelOrder.contains(r.model) { modelOrder.append(r.model) }
                if confidence == nil { confidence = r.number(.confidence) }
                if let field = r.groupField, let value = r.groupValue {
                    if byField[field] == nil {
                        byField[field] = Breakdown(field: field)
                        fieldOrder.append(field)
                    }
                    byField[field]!.add(value: value, model: r.model, record: r)
                } else {
                    overall[r.model] = r
                }
            case "comparison": comparisons.append(r)
            case "cutoff": cutoffs.append(r)
            default: break
            }
        }
        leaderboard = modelOrder.map { ModelRow(model: $0, record: overall[$0]) }
        leaderboard.sort { a, b in
            let x = a.accuracy ?? -1, y = b.accuracy ?? -1
            if x != y { return x > y }
            let lx = a.ciLow ?? -1, ly = b.ciLow ?? -1
            if lx != ly { return lx > ly }
            return a.model < b.model
        }
        let order = leaderboard.map(\.model)
        breakdowns = fieldOrder.map { field in
            var b = byField[field]!
            b.models = order.filter { b.hasModel($0) }
            b.sortValues()
            return b
        }
        for row in leaderboard {
            if let bins = row.record.flatMap(ReportModel.bins(from:)), !bins.isEmpty {
                calibration[row.model] = bins
            } else if let bins = graded?.calibration[row.model], !bins.isEmpty {
                calibration[row.model] = bins
            }
        }
        if let run { self.run = ReportModel.flatten(run) }
    }

    /// The models in leaderboard order.
    public var models: [String] { leaderboard.map(\.model) }

    /// "95%" for a confidence of 0.95, or nil.
    public var confidenceLabel: String {
        guard let c = confidence else { return "95%" }
        let p = c * 100
        return (p == p.rounded() ? Formatting.fixed(p, decimals: 0) : Formatting.fixed(p, decimals: 1)) + "%"
    }

    /// The models whose overall metric record (the last one, as the report uses) carries
    /// reliability bins: the report draws those and bins no graded record for them.
    static func calibratedModels(_ records: [MetricRecord]) -> Set<String> {
        var overall: [String: MetricRecord] = [:]
        for r in records where r.kind == "metric" && (r.groupField == nil || r.groupValue == nil) { overall[r.model] = r }
        return Set(overall.filter { !(bins(from: $0.value) ?? []).isEmpty }.keys)
    }

    /// Reliability bins from a metric record's bins array, tolerant of the key names.
    static func bins(from record: MetricRecord) -> [CalibrationBin]? {
        guard let array = record.array(.calibrationBins) else { return nil }
        var out: [CalibrationBin] = []
        for item in array {
            guard let o = item.objectValue else { continue }
            func num(_ keys: [String]) -> Double? {
                for k in keys { if let v = o[k]?.doubleValue, v.isFinite { return v } }
                return nil
            }
            let n = Int(clampingRounded: num(["n", "count"]) ?? 0)
            guard n > 0, let acc = num(["accuracy", "observed", "frequency", "fraction_correct"]) else { continue }
            var conf = num(["confidence", "mean_confidence", "avg_confidence", "predicted"])
            if conf == nil, let lo = num(["low", "lower", "bin_low"]), let hi = num(["high", "upper", "bin_high"]) {
                conf = (lo + hi) / 2
            }
            guard let c = conf else { continue }
            out.append(CalibrationBin(confidence: c, accuracy: acc, n: n))
        }
        return out
    }

    /// A JSON object flattened to dotted keys and short text values, with secrets masked.
    static func flatten(_ object: JSONObject) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        func walk(_ v: JSON, _ prefix: String) {
            switch v {
            case .object(let o) where !o.isEmpty:
                for k in o.keys.sorted() { walk(o[k]!, prefix.isEmpty ? k : prefix + "." + k) }
            case .array(let a) where a.allSatisfy({ $0.objectValue == nil && $0.arrayValue == nil }):
                out.append((prefix, a.map(text).joined(separator: ", ")))
            case .array(let a):
                for (k, e) in a.enumerated() { walk(e, "\(prefix)[\(k)]") }
            default:
                out.append((prefix, isSecretKey(prefix) && !v.isNull ? "********" : text(v)))
            }
        }
        func text(_ v: JSON) -> String {
            let s: String
            switch v {
            case .string(let t): s = t
            case .null: s = "null"
            default: s = v.compactText
            }
            return Redactor.shared.redact(s)
        }
        walk(.object(object), "")
        return out
    }

    /// Keys whose values are never shown (an API key that reached a run file by mistake).
    static func isSecretKey(_ key: String) -> Bool {
        let last = key.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return ["api_key", "apikey", "key", "secret", "password", "token", "authorization"].contains(last)
            || last.hasSuffix("_key") || last.hasSuffix("_secret") || last.hasSuffix("_token")
    }
}

/// One leaderboard row: a model and its overall (`group` = `all`) metric record.
public struct ModelRow: Sendable {
    /// The model.
    public var model: String
    /// The overall record; nil when the input has only breakdowns for this model.
    public var record: MetricRecord?

    public var n: Int? { record?.int(.n) }
    public var answered: Int? { record?.int(.answered) }
    public var correct: Int? { record?.int(.correct) }
    public var accuracy: Double? { record?.number(.accuracy) }
    public var ciLow: Double? { record?.number(.ciLow) }
    public var ciHigh: Double? { record?.number(.ciHigh) }
    public var accuracyAnswered: Double? { record?.number(.accuracyAnswered) }
    public var errors: Int? { record?.int(.errors) }
    public var refusals: Int? { record?.int(.refusals) }
    public var dollarScore: Double? { record?.number(.dollarScore) }
    public var dollarShare: Double? { record?.number(.dollarShare) }
    public var latencyMean: Double? { record?.number(.latencyMean) }
    public var latencyP50: Double? { record?.number(.latencyP50) }
    public var latencyP95: Double? { record?.number(.latencyP95) }
    public var latencyP99: Double? { record?.number(.latencyP99) }
    public var promptTokens: Int? { record?.int(.promptTokens) }
    public var completionTokens: Int? { record?.int(.completionTokens) }
    public var cost: Double? { record?.number(.cost) }
    public var costPerCorrect: Double? { record?.number(.costPerCorrect) }
    public var brier: Double? { record?.number(.brier) }
    public var ece: Double? { record?.number(.ece) }
    public var confidenceCorrelation: Double? { record?.number(.confidenceCorrelation) }
}

/// Accuracy by one grouping field (`category`, `round`, …): a value × model table.
public struct Breakdown: Sendable {
    /// The field, e.g. `category`.
    public var field: String
    /// Its values, in display order (numeric values ascending, others by size).
    public var values: [String] = []
    /// The models with records in this breakdown, in leaderboard order.
    public var models: [String] = []
    /// The record for each value and model.
    public var cells: [String: [String: MetricRecord]] = [:]

    init(field: String) { self.field = field }

    mutating func add(value: String, model: String, record: MetricRecord) {
        if cells[value] == nil { values.append(value) }
        cells[value, default: [:]][model] = record
    }

    func hasModel(_ model: String) -> Bool { cells.values.contains { $0[model] != nil } }

    /// The record for a value and model.
    public func record(_ value: String, _ model: String) -> MetricRecord? { cells[value]?[model] }

    /// Questions in a value's group (the largest n over models).
    public func size(_ value: String) -> Int {
        cells[value]?.values.compactMap { $0.int(.n) }.max() ?? 0
    }

    /// The fields of a crossed breakdown (`round+difficulty`), or the one field.
    var subfields: [String] { field.split(separator: "+", omittingEmptySubsequences: false).map(String.init) }

    /// A value's parts, one per subfield: from the records' `group_value` array when crossed.
    func parts(_ value: String) -> [String] {
        let fields = subfields
        guard fields.count > 1 else { return [value] }
        if let array = cells[value]?.values.first?.fields["group_value"]?.arrayValue, array.count == fields.count {
            return array.map { $0.stringValue ?? ($0.isNull ? "null" : $0.compactText) }
        }
        let split = value.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        return split.count == fields.count ? split : [value]
    }

    /// Whether the values have a natural order (numbers, booleans, years, rounds) rather than
    /// by size.
    var isOrdered: Bool {
        let fields = subfields
        return fields.indices.allSatisfy { i in
            ["year", "decade", "air_date", "round"].contains(fields[i])
                || values.allSatisfy { v in
                    let p = parts(v)
                    return p.count == fields.count && (Double(p[i]) != nil || ["null", "false", "true"].contains(p[i]))
                }
        }
    }

    mutating func sortValues() {
        let rounds = ["Jeopardy!", "Double Jeopardy!", "Triple Jeopardy!", "Final Jeopardy!", "Tiebreaker"]
        let fields = subfields
        func key(_ v: String, _ field: String) -> (Int, Double, String) {
            if v == "null" { return (3, 0, v) }
            if field == "round", let i = rounds.firstIndex(of: v) { return (0, Double(i), v) }
            if let d = Double(v) { return (1, d, v) }
            if v == "false" || v == "true" { return (1, v == "true" ? 1 : 0, v) }
            return (2, 0, v)
        }
        func less(_ a: String, _ b: String) -> Bool {
            let pa = parts(a), pb = parts(b)
            for i in 0..<min(pa.count, pb.count, fields.count) {
                let ka = key(pa[i], fields[i]), kb = key(pb[i], fields[i])
                if ka != kb { return ka < kb }
            }
            return a < b
        }
        if isOrdered {
            values = values.sorted(by: less)
        } else {
            let sizes = Dictionary(uniqueKeysWithValues: values.map { ($0, size($0)) })
            values.sort { sizes[$0]! != sizes[$1]! ? sizes[$0]! > sizes[$1]! : $0 < $1 }
        }
    }

    /// The field's name for headings: `round × difficulty` for a crossed breakdown.
    public var title: String { subfields.joined(separator: " × ") }

    /// The values shown when at most `top` rows fit (numeric fields keep their order).
    public func shownValues(top: Int) -> [String] {
        guard top > 0, values.count > top else { return values }
        if !isOrdered { return Array(values.prefix(top)) }
        let keep = Set(values.sorted { size($0) > size($1) }.prefix(top))
        return values.filter(keep.contains)
    }
}
