import Foundation
import JBChat
import JBCore

/// A simulated model (`sim/…`): answers from the question's own answer at a set accuracy,
/// with the variety of phrasing, token counts, cost, latency and transient errors of a real
/// one. No network, no key; the same seed, input and flags give the same replies.
///
/// Ids: `sim/perfect` (accuracy 1.0), `sim/good` (0.85), `sim/fair` (0.6), `sim/weak` (0.35),
/// `sim/random` (0.05), or `sim/acc=0.7`; options may follow after commas:
/// `sim/good,err=0.1,refuse=0.02` (per-attempt transient error rate, refusal rate).
public struct SimModel: Sendable, Equatable {
    /// The id as asked.
    public var id: String
    /// Probability of a correct answer on a middle-row clue.
    public var accuracy: Double
    /// Probability that one attempt fails with a transient error (429, 5xx, timeout).
    public var errorRate: Double
    /// Probability of a refusal.
    public var refusalRate: Double
    /// USD per token.
    public var price: ModelPrice
    /// Milliseconds per generated token.
    var msPerToken: Double
    /// Median time to first token, ms.
    var ttftMs: Double

    static let presets: [String: Double] = ["perfect": 1.0, "good": 0.85, "fair": 0.6, "weak": 0.35, "random": 0.05]

    /// Parses a `sim/…` id; anything malformed is a usage error.
    public static func parse(_ id: String, defaultErrorRate: Double = 0) throws -> SimModel {
        guard ModelID.isSimulated(id) else { throw JBError.usage("\(id): not a simulated model id (sim/…)") }
        let spec = id.dropFirst(4)
        var accuracy: Double?
        var err = defaultErrorRate
        var refuse: Double?
        for (n, part) in spec.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let p = part.trimmingCharacters(in: .whitespaces)
            if n == 0, let a = presets[p] { accuracy = a; continue }
            let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, let v = Double(kv[1]), v.isFinite, (0...1).contains(v) else {
                throw JBError.usage("\(id): expected sim/NAME (\(presets.keys.sorted().joined(separator: ", "))) or sim/acc=P, with options err=P, refuse=P (P from 0 to 1)")
            }
            switch kv[0] {
            case "acc", "accuracy": accuracy = v
            case "err", "errors": err = v
            case "refuse", "refusals": refuse = v
            default: throw JBError.usage("\(id): unknown option \"\(kv[0])\" (known: acc, err, refuse)")
            }
        }
        guard let acc = accuracy else {
            throw JBError.usage("\(id): expected sim/NAME (\(presets.keys.sorted().joined(separator: ", "))) or sim/acc=P")
        }
        // Better simulated models cost more, as real ones do (roughly gpt-4o-mini for "good").
        let perMillionPrompt = 0.05 + 2.45 * pow(acc, 6)
        let prompt = (Decimal(string: String(format: "%.4f", perMillionPrompt)) ?? 0) / 1_000_000
        return SimModel(id: id, accuracy: acc, errorRate: err, refusalRate: refuse ?? (0.005 + 0.03 * (1 - acc)),
                        price: ModelPrice(prompt: prompt, completion: prompt * 4),
                        msPerToken: 6 + 14 * acc, ttftMs: 220 + 300 * acc)
    }

    /// The answers other clues in the run have, for plausible wrong answers.
    public struct Context: Sendable {
        var byCategory: [String: CategoryAnswers] = [:]
        var all: [String] = []
        /// The category each answer came from (for "Who is" versus "What is").
        var categoryOf: [String: String] = [:]
        /// Builds the context from the run's questions.
        public init(questions: [Question]) {
            var builder = Builder()
            for q in questions { builder.add(q) }
            self = builder.context
        }

        /// Builds a context one question at a time (so the questions need not be kept).
        public struct Builder {
            var context = Context(empty: ())
            var seen = Set<String>()
            public init() {}
            public mutating func add(_ q: Question) {
                let a = SimModel.cleanAnswer(q.answer)
                if a.isEmpty { return }
                let lower = a.lowercased()
                context.byCategory[q.category, default: CategoryAnswers()].append(a, lower: lower)
                if seen.insert(lower).inserted { context.all.append(a) }
                if context.categoryOf[a] == nil { context.categoryOf[a] = q.category }
            }
            public var result: Context { context }
        }

        init(empty: Void) {}
    }

    /// One category's answers in input order, with where each lowercased answer occurs, so a
    /// wrong answer "any of the category's answers but the right one" is picked without
    /// filtering the whole list for every record.
    struct CategoryAnswers: Sendable {
        var answers: [String] = []
        /// The positions in `answers` of each lowercased answer, ascending.
        var positions: [String: [Int]] = [:]

        mutating func append(_ a: String, lower: String) {
            positions[lower, default: []].append(answers.count)
            answers.append(a)
        }

        /// How many answers are not (lowercased) `lower`.
        func countOther(than lower: String) -> Int { answers.count - (positions[lower]?.count ?? 0) }

        /// The `k`-th (0-based) answer, in order, of those that are not (lowercased) `lower`.
        func other(than lower: String, at k: Int) -> String {
            var i = k
            for p in positions[lower] ?? [] {
                if p <= i { i += 1 } else { break }
            }
            return answers[i]
        }
    }

    /// What one simulated attempt gives.
    public enum Reply: Sendable {
        case answer(text: String, finishReason: String, promptTokens: Int, completionTokens: Int, latencyMs: Int, ttftMs: Int)
        case failure(status: Int?, message: String, retryAfter: Double?, latencyMs: Int)
    }

    /// The reply to one attempt. `key` identifies the request (model, messages, params,
    /// epoch); `attempt` is 1-based.
    public func reply(question q: Question, messages: [ChatMessage], template: String, askConfidence: Bool,
                      maxTokens: Int?, seed: UInt64, key: String, attempt: Int, context: Context) -> Reply {
        let promptTokens = messages.reduce(3) { $0 + 4 + ($1.content.utf8.count + 3) / 4 }
        var errRNG = SplitMix64(seed: ContentHash.uint64("sim-error\u{1F}\(seed)\u{1F}\(key)\u{1F}\(attempt)"))
        if errorRate > 0 && errRNG.unit() < errorRate {
            let u = errRNG.unit()
            let wait = Int(40 + errRNG.unit() * 400)
            if u < 0.4 { return .failure(status: 429, message: "Rate limit exceeded", retryAfter: u < 0.2 ? 1 : nil, latencyMs: wait) }
            if u < 0.55 { return .failure(status: 500, message: "Internal Server Error", retryAfter: nil, latencyMs: wait) }
            if u < 0.7 { return .failure(status: 502, message: "Provider returned error", retryAfter: nil, latencyMs: wait) }
            if u < 0.9 { return .failure(status: 503, message: "Provider temporarily unavailable", retryAfter: nil, latencyMs: wait) }
            return .failure(status: nil, message: "timed out", retryAfter: nil, latencyMs: 30_000)
        }
        var rng = SplitMix64(seed: ContentHash.uint64("sim\u{1F}\(seed)\u{1F}\(key)"))
        let answer = SimModel.cleanAnswer(q.answer, rng: &rng)
        var text: String
        let correct: Bool
        if rng.unit() < refusalRate {
            text = SimModel.refusals[Int(rng.next() % UInt64(SimModel.refusals.count))]
            correct = false
        } else {
            correct = rng.unit() < probabilityCorrect(q)
            var said = correct ? answer : wrongAnswer(q, answer: answer, context: context, rng: &rng)
            let saidCategory = correct ? q.category : (context.categoryOf[said] ?? "")
            if correct && said.count >= 5 && rng.unit() < 0.05 { said = SimModel.misspell(said, rng: &rng) }
            text = SimModel.phrase(said, question: q, answerCategory: saidCategory, template: template, rng: &rng)
        }
        if askConfidence {
            let c = correct ? 70 + Int(rng.next() % 30) : 25 + Int(rng.next() % 65)
            text += (text.contains("\n") ? "\n" : "\n\n") + "Confidence: \(c - c % 5)%"
        }
        var completionTokens = (text.utf8.count + 3) / 4 + 1
        var finish = "stop"
        if let maxTokens, completionTokens > maxTokens {
            let keep = max(0, maxTokens - 1) * 4
            text = String(text.prefix(keep))
            completionTokens = maxTokens
            finish = "length"
        }
        // Latency: a log-normal-ish time to first token, then a steady token rate.
        let jitter = exp(0.35 * (rng.unit() + rng.unit() + rng.unit() - 1.5) * 2)
        let ttft = Int(ttftMs * jitter)
        let latency = ttft + Int(Double(completionTokens) * msPerToken * (0.8 + 0.4 * rng.unit()))
        return .answer(text: text, finishReason: finish, promptTokens: promptTokens, completionTokens: completionTokens,
                       latencyMs: latency, ttftMs: ttft)
    }

    /// Harder rows and Final Jeopardy are missed more often; the mean stays near `accuracy`.
    func probabilityCorrect(_ q: Question) -> Double {
        if accuracy >= 1 { return 1 }
        if accuracy <= 0 { return 0 }
        var logit = log(accuracy / (1 - accuracy))
        if let d = q.difficulty { logit += 0.35 * Double(3 - d) }
        if q.round == "Final Jeopardy!" { logit -= 0.6 }
        return 1 / (1 + exp(-logit))
    }

    func wrongAnswer(_ q: Question, answer: String, context: Context, rng: inout SplitMix64) -> String {
        let lower = answer.lowercased()
        if let same = context.byCategory[q.category] {
            let n = same.countOther(than: lower)
            if n > 0 && rng.unit() < 0.7 {
                return same.other(than: lower, at: Int(rng.next() % UInt64(n)))
            }
        }
        let others = context.all.count > 1 ? context.all : SimModel.fallbackAnswers
        for _ in 0..<8 {
            let a = others[Int(rng.next() % UInt64(others.count))]
            if a.lowercased() != lower { return a }
        }
        return SimModel.fallbackAnswers.first { $0.lowercased() != lower } ?? "Paris"
    }

    static let fallbackAnswers = ["Paris", "Abraham Lincoln", "the Nile", "Mercury", "Shakespeare", "Napoleon", "gold", "Canada"]

    static let refusals = [
        "I'm not sure.",
        "I don't know the answer to this one.",
        "I'm sorry, but I can't determine the answer from this clue.",
        "Pass.",
    ]

    /// The archive's answer as a contestant would say it: tags, backslashes and quotes
    /// removed, the first of "or" alternatives, parenthesised optional parts kept or dropped.
    public static func cleanAnswer(_ raw: String) -> String {
        var rng = SplitMix64(seed: 0)
        return cleanAnswer(raw, rng: &rng, keepOptional: false)
    }

    static func cleanAnswer(_ raw: String, rng: inout SplitMix64, keepOptional: Bool? = nil) -> String {
        if let a = cleanPrintableASCIIAnswer(raw, rng: &rng, keepOptional: keepOptional) { return a }
        return cleanAnswerWithFoundation(raw, rng: &rng, keepOptional: keepOptional)
    }

    /// `cleanAnswer` step by step on bytes, for an answer of printable ASCII (nearly all):
    /// the same result as the Foundation version (tested on both), without its regular
    /// expressions and searches, which were a quarter of a simulated request's time. Nil for
    /// any other answer.
    static func cleanPrintableASCIIAnswer(_ raw: String, rng: inout SplitMix64, keepOptional: Bool?) -> String? {
        let lt: UInt8 = 0x3C, gt: UInt8 = 0x3E, open: UInt8 = 0x28, close: UInt8 = 0x29, space: UInt8 = 0x20
        var b: [UInt8] = []
        b.reserveCapacity(raw.utf8.count)
        // Tags (`<[^>]*>`), backslashes and double quotes removed.
        var pendingTag = -1
        var sawControl = false
        raw.utf8.withContiguousStorageIfAvailable { u in
            for c in u {
                if c < 0x20 || c > 0x7E { sawControl = true; return }
            }
            var i = 0
            while i < u.count {
                let c = u[i]
                if c == lt, let end = u[(i + 1)...].firstIndex(of: gt) {
                    i = end + 1
                    continue
                }
                if c != 0x5C && c != 0x22 { b.append(c) }
                i += 1
            }
            pendingTag = 0
        }
        guard pendingTag == 0, !sawControl else { return nil }
        // The first of "or" alternatives, when the part before it has balanced parentheses.
        if let cut = firstRange(of: Array(" (or ".utf8), in: b, ignoringCase: false)
            ?? firstRange(of: Array(" or ".utf8), in: b, ignoringCase: true) {
            let head = b[..<cut]
            if head.filter({ $0 == open }).count == head.filter({ $0 == close }).count { b.removeSubrange(cut...) }
        }
        let keep = keepOptional ?? (rng.unit() < 0.4)
        if !keep {
            // `\s*\([^)]*\)\s*` → " " (on printable ASCII, `\s` is the space).
            var dropped: [UInt8] = []
            dropped.reserveCapacity(b.count)
            var i = 0
            while i < b.count {
                var j = i
                while j < b.count && b[j] == space { j += 1 }
                if j < b.count && b[j] == open, let end = b[(j + 1)...].firstIndex(of: close) {
                    var k = end + 1
                    while k < b.count && b[k] == space { k += 1 }
                    dropped.append(space)
                    i = k
                    continue
                }
                dropped.append(b[i])
                i += 1
            }
            if dropped.contains(where: { $0 != space }) { b = dropped }
        }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        for c in b where c != open && c != close {
            if c == space && (out.isEmpty || out.last == space) { continue }
            out.append(c)
        }
        if out.last == space { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where `needle` first occurs in `haystack` (ASCII letters compared without case when
    /// `ignoringCase`).
    static func firstRange(of needle: [UInt8], in haystack: [UInt8], ignoringCase: Bool) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        func fold(_ c: UInt8) -> UInt8 { ignoringCase && c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
        outer: for start in 0...(haystack.count - needle.count) {
            for (k, n) in needle.enumerated() where fold(haystack[start + k]) != fold(n) { continue outer }
            return start
        }
        return nil
    }

    static func cleanAnswerWithFoundation(_ raw: String, rng: inout SplitMix64, keepOptional: Bool? = nil) -> String {
        var a = raw.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
        a = a.replacingOccurrences(of: "\\", with: "").replacingOccurrences(of: "\"", with: "")
        if let r = a.range(of: " (or ") ?? a.range(of: " or ", options: .caseInsensitive) {
            let head = a[..<r.lowerBound]
            if head.filter({ $0 == "(" }).count == head.filter({ $0 == ")" }).count { a = String(head) }
        }
        let keep = keepOptional ?? (rng.unit() < 0.4)
        if keep {
            a = a.replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
        } else {
            let dropped = a.replacingOccurrences(of: #"\s*\([^)]*\)\s*"#, with: " ", options: .regularExpression)
            if !dropped.trimmingASCIISpace().isEmpty { a = dropped }
            a = a.replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
        }
        return a.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    static let personWords = ["PEOPLE", "PRESIDENT", "AUTHOR", "WRITER", "ACTOR", "ACTRESS", "SINGER", "COMPOSER",
                              "POET", "LEADER", "KING", "QUEEN", "SCIENTIST", "ARTIST", "PAINTER", "WHO", "FIRST LADIES",
                              "BIOGRAPH", "PHILOSOPHER", "EXPLORER", "INVENTOR", "NAMES"]

    static let placeWords = ["CAPITAL", "CITIES", "CITY", "COUNTR", "STATE", "GEOGRAPH", "RIVER", "ISLAND", "MOUNTAIN",
                             "LAKE", "WORLD", "NATIONS", "PLACE", "TRAVEL", "BOOK", "NOVEL", "FILM", "MOVIE", "SONG",
                             "SHOW", "TV", "BRAND", "COMPAN", "TEAM", "FOOD", "DRINK"]

    /// "What is X?", "Who is X?" or "What are X?", guessed from the answer and category.
    public static func questionForm(_ answer: String, category: String) -> String {
        let cat = category.uppercased()
        let words = answer.split(separator: " ")
        let capitalised = words.count >= 2 && words.count <= 3
            && words.allSatisfy { $0.first?.isUppercase == true }
        // An ASCII category is searched byte by byte (Foundation's search was a sixth of a
        // simulated request's time); any other with Foundation, as before.
        let asciiCat = cat.utf8.allSatisfy { $0 < 0x80 } ? Array(cat.utf8) : nil
        func inCategory(_ word: String) -> Bool {
            guard let asciiCat else { return cat.contains(word) }
            return firstRange(of: Array(word.utf8), in: asciiCat, ignoringCase: false) != nil
        }
        let place = placeWords.contains { inCategory($0) }
        let person = personWords.contains { inCategory($0) } || (capitalised && !place)
        let plural = words.count == 1 && answer.hasSuffix("s") && !answer.hasSuffix("ss") && answer.first?.isLowercase == true
        let lead = person ? "Who is" : (plural ? "What are" : "What is")
        return "\(lead) \(answer)?"
    }

    static func misspell(_ s: String, rng: inout SplitMix64) -> String {
        var chars = Array(s)
        let candidates = (1..<(chars.count - 2)).filter { chars[$0].isLetter && chars[$0 + 1].isLetter && chars[$0] != chars[$0 + 1] }
        guard !candidates.isEmpty else { return s }
        let i = candidates[Int(rng.next() % UInt64(candidates.count))]
        if rng.unit() < 0.5 {
            chars.swapAt(i, i + 1)
        } else {
            chars.remove(at: i)
        }
        return String(chars)
    }

    static func phrase(_ answer: String, question q: Question, answerCategory: String, template: String,
                       rng: inout SplitMix64) -> String {
        let form = questionForm(answer, category: answerCategory)
        let u = rng.unit()
        switch template {
        case "cot":
            let clueStart = q.clue.split(separator: " ").prefix(6).joined(separator: " ")
            let steps = [
                "The category is \"\(q.category)\". The clue begins \"\(clueStart)…\", which points to \(answer).",
                "Let me think step by step.\n1. Category: \(q.category).\n2. Key words: \"\(clueStart)\".\n3. The best fit is \(answer).",
                "This is about \(q.category.lowercased()). Given \"\(clueStart)…\", the answer that fits is \(answer).",
            ]
            let body = steps[Int(rng.next() % UInt64(steps.count))]
            let final = u < 0.2 ? "**Final answer:** \(form)" : "Final answer: \(u < 0.9 ? form : answer)"
            return body + "\n\n" + final
        case "basic":
            if u < 0.7 { return answer }
            if u < 0.85 { return answer + "." }
            return "The answer is \(answer)."
        default:
            let bare = template == "jeopardy" || template == "few-shot" ? 0.08 : 0.4
            if u < bare { return answer }
            if u < bare + 0.1 { return "**\(form)**" }
            if u < bare + 0.25 { return "\(form) The clue points to \(answer)." }
            if u < bare + 0.3 { return String(form.lowercased().prefix(1) + form.dropFirst()) }
            return form
        }
    }
}
