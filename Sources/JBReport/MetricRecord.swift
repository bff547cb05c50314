import JBCore

/// One metric record from jb-metrics, read tolerantly: the fields the report knows are read
/// through `MetricField` (which lists the names jb-metrics writes), every other field is kept
/// in `fields` and passes through to the CSV and JSON reports unchanged.
public struct MetricRecord: Sendable, Equatable {
    /// The whole record, as read.
    public var fields: JSONObject
    /// `metric`, `comparison` or `cutoff`.
    public var kind: String
    /// The model (for comparisons, the first model of the pair).
    public var model: String
    /// `all`, or `field=value`.
    public var group: String

    /// The record kinds the report draws.
    public static let kinds: Set<String> = ["metric", "comparison", "cutoff"]

    /// Reads a record; a known field of the wrong type is an error located by `fail`.
    public init(json o: JSONObject, fail: (String) -> JBError) throws {
        fields = o
        guard let k = o["kind"] else { throw fail("missing field \"kind\" (expected a metric record from jb-metrics)") }
        guard case .string(let kindText) = k else { throw fail("field \"kind\": expected a string, found \(k.typeName)") }
        kind = kindText
        let modelKeys = kindText == "comparison" ? ["model_a", "model"] : ["model"]
        var found: String? = nil
        for key in modelKeys {
            guard let v = o[key], !v.isNull else { continue }
            guard case .string(let s) = v else { throw fail("field \"\(key)\": expected a string, found \(v.typeName)") }
            found = s
            break
        }
        guard let m = found else { throw fail("missing field \"\(modelKeys[0])\"") }
        model = m
        if let g = o["group"], !g.isNull {
            guard case .string(let s) = g else { throw fail("field \"group\": expected a string, found \(g.typeName)") }
            group = s
        } else {
            group = "all"
        }
        for key in MetricField.integerKeys {
            if let v = o[key], !v.isNull, v.intValue == nil {
                throw fail("field \"\(key)\": expected an integer, found \(v.typeName)")
            }
        }
        for key in MetricField.numberKeys {
            if let v = o[key], !v.isNull, v.doubleValue == nil {
                throw fail("field \"\(key)\": expected a number, found \(v.typeName)")
            }
        }
    }

    /// Creates a record from fields already checked (tests, derived rows).
    public init(kind: String, model: String, group: String, fields: JSONObject) {
        self.kind = kind
        self.model = model
        self.group = group
        self.fields = fields
    }

    /// The breakdown field of the group (`category` for `category=HISTORY`), nil for `all`.
    public var groupField: String? {
        if let f = fields["group_field"]?.stringValue { return f }
        guard let eq = group.firstIndex(of: "=") else { return nil }
        return String(group[..<eq])
    }

    /// The breakdown value of the group (`HISTORY` for `category=HISTORY`), nil for `all`.
    public var groupValue: String? {
        if let f = fields["group_field"]?.stringValue, group.hasPrefix(f + "=") {
            return String(group.dropFirst(f.count + 1))
        }
        guard let eq = group.firstIndex(of: "=") else { return nil }
        return String(group[group.index(after: eq)...])
    }

    /// The value at a dotted path (`latency_ms.p50`), or nil.
    public func value(at path: String) -> JSON? {
        MetricRecord.value(in: fields, at: path)
    }

    /// The value at a dotted path inside `object`.
    static func value(in object: JSONObject, at path: String) -> JSON? {
        if let v = object[path] { return v }
        guard path.contains(".") else { return nil }
        var current: JSON = .object(object)
        for part in path.split(separator: ".") {
            guard case .object(let o) = current, let next = o[String(part)] else { return nil }
            current = next
        }
        return current
    }

    /// The first number found under any of `field`'s names. A missing accuracy is worked
    /// out from `correct` and `n` when both are there.
    public func number(_ field: MetricField) -> Double? {
        for name in field.names {
            if let v = value(at: name)?.doubleValue, v.isFinite { return v }
        }
        if field == .accuracy, let n = int(.n), n > 0, let k = int(.correct) { return Double(k) / Double(n) }
        return nil
    }

    /// The first integer found under any of `field`'s names.
    public func int(_ field: MetricField) -> Int? {
        for name in field.names {
            if let v = value(at: name) {
                if let i = v.intValue { return i }
                if let d = v.doubleValue, d.isFinite { return Int(clampingRounded: d) }
            }
        }
        return nil
    }

    /// The first string found under any of `field`'s names.
    public func string(_ field: MetricField) -> String? {
        for name in field.names {
            if let s = value(at: name)?.stringValue { return s }
        }
        return nil
    }

    /// The first array found under any of `field`'s names.
    public func array(_ field: MetricField) -> [JSON]? {
        for name in field.names {
            if let a = value(at: name)?.arrayValue { return a }
        }
        return nil
    }
}

/// A field the report reads from metric records, with the names jb-metrics writes it under
/// (the first is the documented one; the others are accepted for records written by other
/// versions or by hand).
public struct MetricField: Sendable, Equatable {
    /// Accepted names, dotted for nested objects; the first one wins when several are present.
    public var names: [String]

    init(_ names: String...) { self.names = names }

    public static let n = MetricField("n")
    public static let answered = MetricField("answered")
    public static let correct = MetricField("correct")
    public static let accuracy = MetricField("accuracy")
    public static let ciLow = MetricField("ci_low")
    public static let ciHigh = MetricField("ci_high")
    public static let confidence = MetricField("confidence")
    public static let accuracyAnswered = MetricField("accuracy_answered")
    public static let errors = MetricField("errors")
    public static let refusals = MetricField("refusals")

    public static let dollarScore = MetricField("score", "dollar_score")
    public static let dollarMax = MetricField("score_max", "dollar_max")
    public static let dollarShare = MetricField("score_share", "dollar_share")

    public static let latencyMean = MetricField("latency_mean_ms", "latency_ms.mean")
    public static let latencyP50 = MetricField("latency_p50_ms", "latency_ms.p50")
    public static let latencyP95 = MetricField("latency_p95_ms", "latency_ms.p95")
    public static let latencyP99 = MetricField("latency_p99_ms", "latency_ms.p99")

    public static let promptTokens = MetricField("prompt_tokens", "tokens.prompt")
    public static let completionTokens = MetricField("completion_tokens", "tokens.completion")
    public static let cost = MetricField("cost_usd")
    public static let costPerCorrect = MetricField("cost_per_correct", "cost_per_correct_usd")

    public static let brier = MetricField("brier")
    public static let ece = MetricField("ece")
    public static let confidenceCorrelation = MetricField("confidence_correlation")
    public static let calibrationBins = MetricField("calibration_bins")
    public static let calibrationN = MetricField("calibration_n")
    public static let precisionAtCoverage = MetricField("precision_at_coverage")

    public static let modelB = MetricField("model_b")
    public static let accuracyA = MetricField("accuracy_a")
    public static let accuracyB = MetricField("accuracy_b")
    public static let difference = MetricField("difference")
    public static let differenceLow = MetricField("ci_low")
    public static let differenceHigh = MetricField("ci_high")
    public static let pValue = MetricField("p_value")
    public static let onlyA = MetricField("a_only")
    public static let onlyB = MetricField("b_only")

    public static let cutoffDate = MetricField("cutoff")
    public static let nBefore = MetricField("before_n")
    public static let nAfter = MetricField("after_n")
    public static let accuracyBefore = MetricField("before_accuracy")
    public static let accuracyAfter = MetricField("after_accuracy")
    public static let ciLowBefore = MetricField("before_ci_low")
    public static let ciHighBefore = MetricField("before_ci_high")
    public static let ciLowAfter = MetricField("after_ci_low")
    public static let ciHighAfter = MetricField("after_ci_high")

    /// Top-level keys that must be integers when present.
    static let integerKeys = ["n", "answered", "correct", "errors", "refusals"]
    /// Top-level keys that must be numbers when present.
    static let numberKeys = ["accuracy", "ci_low", "ci_high", "confidence", "accuracy_answered"]
}
