import Foundation
import JBChat
import JBCore

/// A prompt template: how a question becomes chat messages.
///
/// Built-in templates are `jeopardy`, `cot`, `few-shot` and `basic`; a custom template is a
/// text file whose placeholders `{{category}}`, `{{clue}}`, `{{value}}`, `{{round}}` and
/// `{{air_date}}` are filled from the question. The name and a hash of the text go into each
/// response record, so answers from different prompts are never mixed up.
public struct PromptTemplate: Sendable {
    /// `jeopardy`, `cot`, `few-shot`, `basic`, or the custom file's name.
    public var name: String
    /// The system message (nil for none).
    public var system: String?
    /// The user message with placeholders.
    public var user: String
    /// How example answers are phrased in few-shot prompts.
    var exampleStyle: ExampleStyle = .question
    /// Few-shot examples per question (0 for none).
    public var shots: Int = 0

    enum ExampleStyle: Sendable { case question, plain }

    /// The placeholders a template may use.
    public static let placeholders = ["category", "clue", "value", "round", "air_date"]

    /// The built-in template names.
    public static let builtInNames = ["jeopardy", "cot", "few-shot", "basic"]

    static let clueBlock = "Category: {{category}}\nValue: {{value}}\nClue: {{clue}}"

    /// A built-in template by name.
    public static func builtIn(_ name: String, shots: Int = 3) -> PromptTemplate? {
        switch name {
        case "jeopardy":
            return PromptTemplate(
                name: name,
                system: "You are a Jeopardy! contestant. Respond to each clue in the form of a question, e.g. \"What is Paris?\" or \"Who is Marie Curie?\". Give only your response.",
                user: clueBlock)
        case "cot":
            return PromptTemplate(
                name: name,
                system: "You are an expert Jeopardy! contestant.",
                user: clueBlock + "\n\nThink it through step by step, then give your response on a last line of the form \"Final answer: What is …?\".")
        case "few-shot":
            var t = PromptTemplate(
                name: name,
                system: "You are a Jeopardy! contestant. Respond to each clue in the form of a question. Give only your response.",
                user: clueBlock)
            t.shots = shots
            return t
        case "basic":
            var t = PromptTemplate(name: name, system: nil,
                                   user: "Answer this trivia clue. Reply with the answer only.\n\nCategory: {{category}}\nClue: {{clue}}")
            t.exampleStyle = .plain
            return t
        default:
            return nil
        }
    }

    /// A custom template read from `path`; an unknown `{{name}}` is a usage error.
    public static func file(_ path: String) throws -> PromptTemplate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JBError.cannotOpen(path: path, reason: "no such file or not readable")
        }
        let text = String(decoding: data, as: UTF8.self)
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !placeholders.contains(name) {
                throw JBError.usage("\(path): unknown placeholder {{\(name)}}; known: " + placeholders.map { "{{\($0)}}" }.joined(separator: " "))
            }
            rest = rest[close.upperBound...]
        }
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return PromptTemplate(name: base, system: nil, user: text)
    }

    /// Creates a template.
    public init(name: String, system: String?, user: String) {
        self.name = name
        self.system = system
        self.user = user
    }

    /// The whole template text (system and user parts), as hashed into `template_hash`.
    public var text: String {
        var t = (system.map { "system: " + $0 + "\n\n" } ?? "") + "user: " + user
        if shots > 0 { t += "\n\nshots: \(shots)" }
        return t
    }

    /// 16 hex digits of the SHA-256 of `text`.
    public var hash: String { ContentHash.shortHex(text) }

    /// The sentence `--ask-confidence` adds to the user message.
    public static let confidenceRequest =
        "\n\nAfter your response, state how confident you are that it is correct as a last line of the form \"Confidence: N%\"."

    /// Replaces the system message (`--system`) and adds the confidence request.
    public func adjusted(system: String?, askConfidence: Bool) -> PromptTemplate {
        var t = self
        if let system { t.system = system.isEmpty ? nil : system }
        if askConfidence { t.user += PromptTemplate.confidenceRequest }
        return t
    }

    /// Fills the placeholders (`{{name}}`, spaces inside the braces allowed) from a question,
    /// in one pass: a value that itself contains `{{…}}` is not filled again. Unknown names
    /// are left as they are.
    public func fill(_ text: String, _ q: Question) -> String {
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), space = UInt8(ascii: " ")
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + q.clue.utf8.count + q.category.utf8.count + 32)
        var text = text
        text.withUTF8 { b in
            var i = 0
            scan: while i < b.count {
                if b[i] == open && i + 1 < b.count && b[i + 1] == open {
                    // The name ends at the first "}}" within a short distance.
                    var j = i + 2
                    while j + 1 < b.count && j - i < 40 && !(b[j] == close && b[j + 1] == close) { j += 1 }
                    if j + 1 < b.count && b[j] == close && b[j + 1] == close {
                        var s = i + 2, e = j
                        while s < e && b[s] == space { s += 1 }
                        while e > s && b[e - 1] == space { e -= 1 }
                        if let v = PromptTemplate.value(of: String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self), q) {
                            out.append(contentsOf: v.utf8)
                            i = j + 2
                            continue scan
                        }
                    }
                }
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A placeholder's value for `q`; nil for an unknown name.
    static func value(of name: String, _ q: Question) -> String? {
        switch name {
        case "category": return q.category
        case "clue": return q.clue
        case "value": return q.value.map { "$\($0)" } ?? (q.round == "Final Jeopardy!" ? "Final Jeopardy!" : "unknown")
        case "round": return q.round
        case "air_date": return q.airDate ?? "unknown"
        default: return nil
        }
    }

    /// The messages for `question`, with `examples` as earlier turns (few-shot).
    public func messages(for question: Question, examples: [Question] = []) -> [ChatMessage] {
        var m: [ChatMessage] = []
        if let system { m.append(ChatMessage(role: "system", content: system)) }
        for e in examples {
            m.append(ChatMessage(role: "user", content: fill(PromptTemplate.clueBlock, e)))
            let a = SimModel.cleanAnswer(e.answer)
            m.append(ChatMessage(role: "assistant",
                                 content: exampleStyle == .question ? SimModel.questionForm(a, category: e.category) : a))
        }
        m.append(ChatMessage(role: "user", content: fill(user, question)))
        return m
    }
}

/// The question pool few-shot examples are drawn from (`--pool FILE`).
public struct ExamplePool: Sendable {
    public var questions: [Question]

    public init(questions: [Question]) { self.questions = questions }

    /// Reads question records from a JSON Lines file.
    public init(path: String) throws {
        let reader = JSONLReader(paths: [path])
        var qs: [Question] = []
        while let o = try reader.next() {
            qs.append(try Question(json: o, fail: reader.error))
        }
        if qs.isEmpty { throw JBError.usage("--pool \(path): no questions in the file") }
        questions = qs
    }

    /// `k` examples for `question`, chosen deterministically from `seed` and the question's
    /// id; never the question itself (same id or same clue).
    public func examples(for question: Question, k: Int, seed: UInt64) -> [Question] {
        guard k > 0, !questions.isEmpty else { return [] }
        var rng = SplitMix64(seed: ContentHash.uint64("few-shot\u{1F}\(seed)\u{1F}\(question.id)"))
        var chosen: [Int] = []
        var tries = 0
        let target = min(k, questions.count)
        while chosen.count < target && tries < 50 * target + 100 {
            tries += 1
            let i = Int(rng.next() % UInt64(questions.count))
            let q = questions[i]
            if chosen.contains(i) || q.id == question.id || q.clue == question.clue { continue }
            chosen.append(i)
        }
        return chosen.map { questions[$0] }
    }
}

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same numbers on
/// every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
