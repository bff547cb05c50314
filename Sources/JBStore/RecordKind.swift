import JBCore

/// The four kinds of jb record, told apart by their fields as docs/records.md says.
public enum RecordKind: String, Sendable, CaseIterable {
    case question, response, grade, metric

    /// The `kind` values jb-metrics writes.
    static let metricKinds: Set<String> = ["metric", "comparison", "cutoff"]

    /// A `grade` object makes a grade; a metric `kind` makes a metric; else a `model` makes a
    /// response; else it is a question.
    public init(of record: JSONObject) {
        if case .object? = record[Grade.recordKey] {
            self = .grade
        } else if let kind = record["kind"]?.stringValue,
                  RecordKind.metricKinds.contains(kind) || (record["group"] != nil && record[Question.Key.clue] == nil) {
            self = .metric
        } else if record[Response.Key.model] != nil {
            self = .response
        } else {
            self = .question
        }
    }

    /// The fields of a response record that come from its question.
    static let questionFields: Set<String> = Question.knownKeys.union(["comments", "notes"])

    /// The fields that identify a metric record; the rest are its measurements.
    static let metricIdentity = ["kind", "model", "group", "run_id", "mode", "grade_mode", "model_a", "model_b",
                                 "cutoff", "confidence", "by"]

    /// The natural key of a response (or of the response inside a grade): its `key`, else the
    /// SHA-256 of its canonical text, so hand-made records load idempotently too.
    static func responseKey(_ response: JSONObject) -> String {
        if let key = response[Response.Key.key]?.stringValue, !key.isEmpty { return key }
        return ContentHash.sha256Hex(JSONSerializer.string(.object(response)))
    }

    /// The natural key of a metric record: its `key`, else a hash of its identifying fields.
    static func metricKey(_ metric: JSONObject) -> String {
        if let key = metric["key"]?.stringValue, !key.isEmpty { return key }
        var identity: JSONObject = [:]
        for name in metricIdentity { if let v = metric[name] { identity[name] = v } }
        return ContentHash.sha256Hex(JSONSerializer.string(.object(identity)))
    }

    /// The id of a question: its `id`, else the content id computed from its fields.
    static func questionID(_ question: JSONObject) -> String? {
        if let id = question[Question.Key.id]?.stringValue, !id.isEmpty { return id }
        guard let round = question[Question.Key.round]?.stringValue, let clue = question[Question.Key.clue]?.stringValue else { return nil }
        return Question.makeID(airDate: question[Question.Key.airDate]?.stringValue, round: round,
                               category: question[Question.Key.category]?.stringValue ?? "", clue: clue)
    }
}
