import JBCore

/// One graded answer shown as an example in a report (a miss or a flipped verdict).
public struct Example: Sendable, Equatable {
    /// The model that answered.
    public var model: String
    /// The question id.
    public var id: String
    /// The category on the board.
    public var category: String
    /// The clue.
    public var clue: String
    /// The correct response.
    public var answer: String
    /// What the grader read from the reply (or the whole reply when it read nothing).
    public var reply: String
    /// The grader's verdict and rule, e.g. `wrong (fuzzy)`.
    public var verdict: String
    /// For flips: the earlier verdict and rule.
    public var previousVerdict: String?
    /// The order examples are sampled in: a hash of the question, stable across runs.
    var rank: UInt64

    /// The example's fields as JSON, for the JSON report.
    public var json: JSONObject {
        var o: JSONObject = [
            "model": .string(model), "id": .string(id), "category": .string(category),
            "clue": .string(clue), "answer": .string(answer), "reply": .string(reply),
            "verdict": .string(verdict),
        ]
        if let previousVerdict { o["previous_verdict"] = .string(previousVerdict) }
        return o
    }
}

/// Verdict counts between two gradings of the same answers, for one model.
public struct FlipCount: Sendable, Equatable {
    /// The model.
    public var model: String
    /// Answers graded in both files.
    public var compared: Int
    /// Wrong before, right now.
    public var gained: Int
    /// Right before, wrong now.
    public var lost: Int
}

/// One reliability-diagram point: answers whose stated confidence falls in a bin.
public struct CalibrationBin: Sendable, Equatable {
    /// The bin's mean stated confidence, 0–1.
    public var confidence: Double
    /// The share of those answers that were right, 0–1.
    public var accuracy: Double
    /// How many answers fell in the bin.
    public var n: Int
}

/// What the report takes from graded records: sampled misses, flipped verdicts against an
/// earlier grading, and reliability bins for a model whose metric record carries none (jb-metrics
/// writes them; they are not made again).
///
/// It reads the records once, keeping only a bounded sample per model and running counts,
/// so it works on any size of input.
public struct GradedSummary: Sendable {
    /// Sampled misses, up to `limit` per model.
    public var misses: [Example] = []
    /// Misses seen per model.
    public var missCounts: [String: Int] = [:]
    /// Sampled flips, up to `limit` per model.
    public var flips: [Example] = []
    /// Flip counts per model (empty without an earlier grading).
    public var flipCounts: [FlipCount] = []
    /// Reliability bins per model, from the graded records' stated confidences.
    public var calibration: [String: [CalibrationBin]] = [:]

    public init() {}

    /// The key that matches the same answer in two gradings.
    static func key(_ o: JSONObject) -> String {
        let model = o[Response.Key.model]?.stringValue ?? ""
        let id = o[Question.Key.id]?.stringValue ?? ""
        let epoch = o[Response.Key.epoch]?.intValue ?? 1
        return "\(model)\u{1F}\(id)\u{1F}\(epoch)"
    }

    /// The verdict part of a graded record: correct (true/false/nil) and a short text.
    struct Verdict: Sendable {
        var correct: Bool?
        var text: String
    }

    static func verdict(_ grade: JSONObject, record: JSONObject) -> Verdict {
        let correct = grade[Grade.Key.correct]?.boolValue
        let method = grade[Grade.Key.method]?.stringValue
        let word: String
        switch correct {
        case true?: word = "right"
        case false?: word = grade[Grade.Key.answered]?.boolValue == false ? "no answer" : "wrong"
        case nil: word = record[Response.Key.error]?.objectValue != nil ? "error" : "ungraded"
        }
        return Verdict(correct: correct, text: method.map { "\(word) (\($0))" } ?? word)
    }

    /// Reads a graded record's grade object, failing with `fail` when it is not one.
    static func grade(_ o: JSONObject, fail: (String) -> JBError) throws -> JSONObject {
        guard let g = o[Grade.recordKey] else { throw fail("missing field \"grade\" (expected a graded record from jb-grade)") }
        guard case .object(let grade) = g else { throw fail("field \"grade\": expected an object, found \(g.typeName)") }
        guard let m = o[Response.Key.model] else { throw fail("missing field \"model\"") }
        guard m.stringValue != nil else { throw fail("field \"model\": expected a string, found \(m.typeName)") }
        if let c = grade[Grade.Key.correct], !c.isNull, c.boolValue == nil {
            throw fail("field \"grade.correct\": expected true, false or null, found \(c.typeName)")
        }
        return grade
    }

    /// Reads `previous` (an earlier grading, optional) and then `current`, sampling up to
    /// `limit` misses and flips per model. Reliability bins are made only for models not in
    /// `calibrated` (those whose metric record already carries jb-metrics' bins).
    public static func read(current: JSONLReader, previous: JSONLReader?, limit: Int,
                            calibrated: Set<String> = []) throws -> GradedSummary {
        var earlier: [String: Verdict] = [:]
        if let previous {
            while let o = try previous.next() {
                let g = try grade(o, fail: previous.error)
                earlier[key(o)] = verdict(g, record: o)
            }
        }
        var summary = GradedSummary()
        var missSample: [String: [Example]] = [:]
        var flipSample: [String: [Example]] = [:]
        var flipCounts: [String: FlipCount] = [:]
        var bins: [String: ReliabilityBins] = [:]
        while let o = try current.next() {
            let g = try grade(o, fail: current.error)
            let model = o[Response.Key.model]?.stringValue ?? ""
            let v = verdict(g, record: o)
            if v.correct == false {
                summary.missCounts[model, default: 0] += 1
                insert(example(o, grade: g, verdict: v), into: &missSample[model, default: []], limit: limit)
            }
            if previous != nil, let before = earlier[key(o)] {
                var count = flipCounts[model] ?? FlipCount(model: model, compared: 0, gained: 0, lost: 0)
                count.compared += 1
                if let b = before.correct, let a = v.correct, a != b {
                    if a { count.gained += 1 } else { count.lost += 1 }
                    var e = example(o, grade: g, verdict: v)
                    e.previousVerdict = before.text
                    insert(e, into: &flipSample[model, default: []], limit: limit)
                }
                flipCounts[model] = count
            }
            if !calibrated.contains(model), let c = g[Grade.Key.confidence]?.doubleValue, c.isFinite, let right = v.correct {
                bins[model, default: ReliabilityBins()].add(confidence: min(max(c, 0), 1), correct: right)
            }
        }
        summary.misses = missSample.keys.sorted().flatMap { missSample[$0]! }
        summary.flips = flipSample.keys.sorted().flatMap { flipSample[$0]! }
        summary.flipCounts = flipCounts.keys.sorted().map { flipCounts[$0]! }
        for (model, r) in bins {
            summary.calibration[model] = (0..<ReliabilityBins.count).compactMap { b in
                guard let confidence = r.meanConfidence(b), let accuracy = r.accuracy(b) else { return nil }
                return CalibrationBin(confidence: confidence, accuracy: accuracy, n: r.n[b])
            }
        }
        return summary
    }

    static func example(_ o: JSONObject, grade g: JSONObject, verdict v: Verdict) -> Example {
        let id = o[Question.Key.id]?.stringValue ?? ""
        let extracted = g[Grade.Key.extracted]?.stringValue
        let reply = extracted ?? o[Response.Key.responseText]?.stringValue
            ?? o[Response.Key.error]?.objectValue?[Response.ErrorKey.message]?.stringValue ?? ""
        let model = o[Response.Key.model]?.stringValue ?? ""
        return Example(model: model, id: id,
                       category: o[Question.Key.category]?.stringValue ?? "",
                       clue: o[Question.Key.clue]?.stringValue ?? "",
                       answer: o[Question.Key.answer]?.stringValue ?? "",
                       reply: Redactor.shared.redact(reply),
                       verdict: v.text, previousVerdict: nil,
                       rank: ContentHash.uint64("\(id)\u{1F}\(o[Response.Key.epoch]?.intValue ?? 1)"))
    }

    /// Keeps the `limit` examples with the smallest rank: a sample that does not depend on
    /// input order, and picks the same questions for every model.
    static func insert(_ e: Example, into sample: inout [Example], limit: Int) {
        guard limit > 0 else { return }
        func less(_ a: Example, _ b: Example) -> Bool { a.rank != b.rank ? a.rank < b.rank : a.id < b.id }
        if sample.count == limit, let last = sample.last, !less(e, last) { return }
        let at = sample.firstIndex { less(e, $0) } ?? sample.count
        sample.insert(e, at: at)
        if sample.count > limit { sample.removeLast() }
    }
}
