import JBCore

/// What jb-metrics reads from one grade record: the verdict and the measurements that get
/// aggregated. Everything else in the record is only looked at by `--by`.
public struct Outcome: Sendable, Equatable {
    /// The model that answered.
    public var model: String
    /// The question id.
    public var id: String
    /// The repeat number (1 when absent).
    public var epoch: Int
    /// The model gave an answer (no error, no refusal, not empty).
    public var answered: Bool
    /// The verdict; nil when the model never answered.
    public var correct: Bool?
    /// The request failed (`error` set).
    public var error: Bool
    /// The reply refused (`grade.method` is `refusal`).
    public var refusal: Bool
    /// The confidence the reply stated, 0–1.
    public var confidence: Double?
    /// The board value.
    public var value: Int?
    /// Daily Double flag.
    public var dailyDouble: Bool?
    /// The Daily Double wager, when known.
    public var wager: Int?
    /// The round name.
    public var round: String?
    /// The air date, `YYYY-MM-DD`.
    public var airDate: String?
    /// Request latency in milliseconds.
    public var latencyMS: Double?
    /// Answered from the response cache.
    public var cached: Bool
    /// Prompt tokens, when known.
    public var promptTokens: Int?
    /// Completion tokens, when known.
    public var completionTokens: Int?
    /// The request's cost in US dollars, when known.
    public var costUSD: Double?

    /// Creates an outcome (tests build them directly).
    public init(model: String, id: String, epoch: Int = 1, answered: Bool, correct: Bool?, error: Bool = false,
                refusal: Bool = false, confidence: Double? = nil, value: Int? = nil, dailyDouble: Bool? = nil,
                wager: Int? = nil, round: String? = nil, airDate: String? = nil, latencyMS: Double? = nil,
                cached: Bool = false, promptTokens: Int? = nil, completionTokens: Int? = nil, costUSD: Double? = nil) {
        self.model = model
        self.id = id
        self.epoch = epoch
        self.answered = answered
        self.correct = correct
        self.error = error
        self.refusal = refusal
        self.confidence = confidence
        self.value = value
        self.dailyDouble = dailyDouble
        self.wager = wager
        self.round = round
        self.airDate = airDate
        self.latencyMS = latencyMS
        self.cached = cached
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
    }

    /// Reads a grade record; `fail` builds an error located at the record's line.
    public init(record o: JSONObject, fail: @escaping (String) -> JBError) throws {
        let f = FieldReader(o, fail: fail)
        guard let gradeValue = o[Grade.recordKey] else {
            throw fail("missing field \"grade\" (is this a grade record? run jb-grade first)")
        }
        guard case .object(let grade) = gradeValue else {
            throw fail("field \"grade\": expected an object, found \(gradeValue.typeName)")
        }
        let g = FieldReader(grade) { message in
            fail(message.replacingOccurrences(of: "field \"", with: "field \"grade."))
        }
        model = try f.string(Response.Key.model)
        id = try f.string(Question.Key.id)
        epoch = try f.optionalInt(Response.Key.epoch) ?? 1
        guard let answered = try g.optionalBool(Grade.Key.answered) else { throw fail("missing field \"grade.answered\"") }
        self.answered = answered
        correct = try g.optionalBool(Grade.Key.correct)
        if answered && correct == nil {
            throw fail("field \"grade.correct\": expected true or false when \"grade.answered\" is true")
        }
        if !answered && correct == true {
            throw fail("field \"grade.correct\" is true but \"grade.answered\" is false")
        }
        if let e = o[Response.Key.error], !e.isNull {
            guard case .object = e else { throw fail("field \"error\": expected an object or null, found \(e.typeName)") }
            error = true
        } else {
            error = false
        }
        let method = try g.optionalString(Grade.Key.method)
        refusal = !error && method == GradeMethod.refusal.rawValue
        confidence = try g.optionalDouble(Grade.Key.confidence)
        if let c = confidence, !(0...1).contains(c) {
            throw fail("field \"grade.confidence\": expected a number from 0 to 1, found \(c)")
        }
        value = try Outcome.bounded(f.optionalInt(Question.Key.value), "value", fail: fail)
        dailyDouble = try f.optionalBool(Question.Key.dailyDouble)
        wager = try Outcome.bounded(f.optionalInt(Question.Key.wager), "wager", fail: fail)
        round = try f.optionalString(Question.Key.round)
        airDate = try f.optionalString(Question.Key.airDate)
        latencyMS = try f.optionalDouble(Response.Key.latencyMS)
        if let l = latencyMS, !(0...Outcome.limit).contains(l) {
            throw fail("field \"latency_ms\": expected a number of milliseconds from 0 to 10^12, found \(l)")
        }
        cached = try f.optionalBool(Response.Key.cached) ?? false
        if let tokens = try f.optionalObject(Response.Key.tokens) {
            let t = FieldReader(tokens) { message in
                fail(message.replacingOccurrences(of: "field \"", with: "field \"tokens."))
            }
            promptTokens = try Outcome.bounded(t.optionalInt(Response.TokensKey.prompt), "tokens.prompt", fail: fail, negative: false)
            completionTokens = try Outcome.bounded(t.optionalInt(Response.TokensKey.completion), "tokens.completion", fail: fail, negative: false)
        } else {
            promptTokens = nil
            completionTokens = nil
        }
        costUSD = try f.optionalDouble(Response.Key.costUSD)
        if let c = costUSD, !(-Outcome.limit...Outcome.limit).contains(c) {
            throw fail("field \"cost_usd\": expected a number of dollars within ±10^12, found \(c)")
        }
    }

    /// The largest magnitude accepted for a dollar amount, token count or latency: far beyond
    /// any real clue or call, and small enough that sums over millions of records stay exact.
    static let limit = 1e12

    /// `v` when its magnitude is at most `limit` (and, with `negative: false`, it is not
    /// negative); otherwise the record is refused naming the field.
    static func bounded(_ v: Int?, _ field: String, fail: (String) -> JBError, negative: Bool = true) throws -> Int? {
        guard let v else { return nil }
        let bound = Int(limit)
        if v > bound || v < (negative ? -bound : 0) {
            throw fail("field \"\(field)\": \(v) is out of range (expected \(negative ? "−10^12" : "0") to 10^12)")
        }
        return v
    }
}
