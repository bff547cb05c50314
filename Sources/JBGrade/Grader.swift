import Foundation
import JBCore

/// Grades response records: adds the `grade` object of docs/records.md.
public final class Grader: @unchecked Sendable {
    /// The grader's name and version; `+wordnet` when a lexicon was used.
    public static let version = "jb-grade/1"

    /// The mode.
    public let mode: GradeMode
    /// Word knowledge, when available.
    public let lexicon: Lexicon?
    /// The judge tier, when `--judge` is given.
    public let judge: JudgeTier?
    /// The judge's verdict cache.
    public let cache: JudgeCache?
    private let matcher: Matcher

    /// Running totals for the end-of-run summary.
    public struct Totals: Sendable, Equatable {
        public var graded = 0, correct = 0, wrong = 0, refusals = 0, errors = 0, judged = 0, judgeCacheHits = 0
        /// Grey-band cases the judge was needed for but could not answer.
        public var unsettled = 0
    }
    /// Why the judge stopped answering in this run, once it has.
    public private(set) var judgeFailure: String?
    /// Totals so far.
    public private(set) var totals = Totals()

    /// Creates a grader.
    public init(mode: GradeMode, lexicon: Lexicon?, judge: JudgeTier? = nil, cache: JudgeCache? = nil) {
        self.mode = mode
        self.lexicon = lexicon
        self.judge = judge
        self.cache = cache
        matcher = Matcher(lexicon: lexicon)
    }

    /// The `grader` field.
    public var graderName: String { lexicon == nil ? Grader.version : Grader.version + "+wordnet" }

    /// Reads every record from `reader`, writes it back with a `grade`, in order.
    public func run(reader: JSONLReader, writer: JSONLWriter) async throws {
        while var record = try reader.next() {
            let grade = try await self.grade(record, fail: { reader.error($0) })
            record["grade"] = .object(grade)
            try writer.write(record)
        }
    }

    /// The grade of one response record.
    public func grade(_ record: JSONObject, fail: @escaping (String) -> JBError) async throws -> JSONObject {
        let f = FieldReader(record, fail: fail)
        totals.graded += 1
        if let error = record["error"], !error.isNull {
            guard case .object = error else { throw fail("field \"error\": expected an object or null, found \(error.typeName)") }
            totals.errors += 1
            var g = gradeObject(correct: nil, answered: false, method: "error", score: 0, extracted: nil,
                                questionForm: false, confidence: nil, judge: nil)
            g["decided_by"] = "rules"
            return g
        }
        let answer = try f.string("answer")
        guard let responseValue = record["response_text"] else { throw fail("missing field \"response_text\"") }
        let response: String
        switch responseValue {
        case .string(let s): response = s
        case .null: response = ""
        default: throw fail("field \"response_text\": expected a string or null, found \(responseValue.typeName)")
        }
        let clue = try f.optionalString("clue") ?? ""
        let category = try f.optionalString("category") ?? ""
        return try await grade(answer: answer, response: response, clue: clue, category: category)
    }

    /// Grades one reply against an archive answer.
    public func grade(answer: String, response: String, clue: String, category: String) async throws -> JSONObject {
        let extraction = Extractor.extract(response)
        let context = ClueContext(clue: clue, category: category)
        var decision: Decision
        switch extraction.status {
        case .empty:
            decision = Decision(correct: false, method: "empty", score: 0, settled: true)
        case .refusal:
            decision = Decision(correct: false, method: "refusal", score: 0, settled: true)
        case .rejected:
            decision = Decision(correct: false, method: "rejected_mention", score: 0, settled: true)
        case .answer:
            let key = AnswerKey(answer)
            let ruleMode: GradeMode = mode == .jeopardy ? .lenient : mode
            decision = matcher.decide(extraction.answer!, key: key, clue: context, mode: ruleMode)
            if !decision.correct, ["no_match", "partial", "first_name_only"].contains(decision.method),
               mentions(withoutLast(extraction.answer!, in: extraction.plainText), key: key) {
                decision.method = "rejected_mention"
                decision.settled = true
            }
        }
        // A reply that is exactly the answer stands, however it reads ("I Have Nothing to
        // Declare", "It's a Wonderful Life", "Not in my back yard").
        var extracted = extraction.answer
        if !decision.correct, !extraction.finalLine.isEmpty, extraction.finalLine != extraction.answer,
           let exact = matcher.exactFamily(Matcher.Reply(extraction.finalLine), AnswerKey(answer), allowNumbers: mode != .strict,
                                           allowPlural: mode != .strict), exact.correct {
            decision = exact
            extracted = extraction.finalLine
        }
        let answered = (extraction.status == .answer || decision.correct) && decision.method != "restates_clue"

        var judgeObject: JSON = .null
        var decidedBy = "rules"
        if let judge, answered, judge.wants(decision) {
            let prompt = JudgePrompt.render(category: category, clue: clue, answer: answer, response: response)
            var raw: String?
            if let cached = cache?.lookup(model: judge.backend.model, prompt: prompt) {
                raw = cached
                totals.judgeCacheHits += 1
            } else if judgeFailure == nil {
                do {
                    raw = try await judge.backend.complete(prompt: prompt)
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // The judge is gone (its retries spent): the rules' verdict stands, marked
                    // unsettled, and the judge is not asked again in this run.
                    judgeFailure = (error as? JBError)?.message ?? "\(error)"
                }
                if let raw { try cache?.store(model: judge.backend.model, prompt: prompt, raw: raw) }
            }
            var o: JSONObject = ["model": .string(judge.backend.model), "prompt_hash": .string(JudgePrompt.templateHash)]
            if let raw {
                totals.judged += 1
                let verdict = JudgePrompt.verdict(raw)
                if verdict != "unclear" {
                    decision.correct = verdict == "correct"
                    decidedBy = "judge"
                }
                o["verdict"] = .string(verdict)
                o["raw"] = .string(raw)
            } else {
                totals.unsettled += 1
                o["verdict"] = "failed"
                o["raw"] = .null
                o["error"] = .string(judgeFailure ?? "the judge did not answer")
                decidedBy = "unsettled"
            }
            judgeObject = .object(o)
        }
        if mode == .jeopardy, decision.correct, !extraction.questionForm {
            decision.correct = false
            decision.method = "not_question_form"
            if decidedBy == "judge" { decidedBy = "rules" }
        }
        if !answered { totals.refusals += 1 } else if decision.correct { totals.correct += 1 } else { totals.wrong += 1 }
        var g = gradeObject(correct: decision.correct, answered: answered, method: decision.method, score: decision.score,
                            extracted: extracted, questionForm: extraction.questionForm,
                            confidence: extraction.confidence, judge: judgeObject)
        g["decided_by"] = .string(decidedBy)
        return g
    }

    /// The text with the last occurrence of the final answer cut out, so only earlier mentions remain.
    func withoutLast(_ answer: String, in text: String) -> String {
        guard let r = text.fastRange(of: answer, backwards: true) else { return text }
        return String(text[..<r.lowerBound]) + " " + String(text[r.upperBound...])
    }

    /// True when the reply's text contains an acceptable form of the answer somewhere.
    func mentions(_ text: String, key: AnswerKey) -> Bool {
        let stems = Text.canonicalNumbers(Text.tokenize(text)).map(Text.stem)
        for v in key.variants where !v.stems.isEmpty {
            var needle = v.stems
            if matcher.isPersonName(v), let last = needle.last { needle = [last] }
            guard needle.count <= stems.count else { continue }
            for i in 0...(stems.count - needle.count) where Array(stems[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }

    private func gradeObject(correct: Bool?, answered: Bool, method: String, score: Double, extracted: String?,
                             questionForm: Bool, confidence: Double?, judge: JSON?) -> JSONObject {
        [
            "correct": JSON(correct), "answered": .bool(answered), "mode": .string(mode.rawValue),
            "method": .string(method), "score": .double(score), "extracted": JSON(extracted),
            "question_form": .bool(questionForm), "confidence": JSON(confidence), "grader": .string(graderName),
            "judge": judge ?? .null,
        ]
    }
}

extension Grader {
    /// The end-of-run summary line.
    public var summary: String {
        let t = totals
        var s = "graded \(t.graded) (\(mode.rawValue)): \(t.correct) correct, \(t.wrong) wrong, "
            + "\(t.refusals) not answered (refusal, empty), \(t.errors) errors (never answered)"
        if judge != nil { s += ", \(t.judged) judged (\(t.judgeCacheHits) from cache)" }
        if t.unsettled > 0 { s += ", \(t.unsettled) unsettled (judge unavailable)" }
        return s
    }
}
