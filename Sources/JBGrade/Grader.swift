import Dispatch
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

        mutating func add(_ o: Totals) {
            graded += o.graded; correct += o.correct; wrong += o.wrong; refusals += o.refusals
            errors += o.errors; judged += o.judged; judgeCacheHits += o.judgeCacheHits; unsettled += o.unsettled
        }
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

    /// Reads every record from `reader`, writes it back with a `grade`, in order (one at a
    /// time: the path for the judge, whose verdicts are asked and cached in order).
    public func run(reader: JSONLReader, writer: JSONLWriter) async throws {
        while var record = try reader.next() {
            let grade = try await self.grade(record, fail: { reader.error($0) })
            record[Grade.recordKey] = .object(grade)
            try writer.write(record)
        }
    }

    /// Grades the JSON Lines files at `paths` (stdin when empty) without a judge, on `threads`
    /// threads: lines are read in blocks, graded in parallel and written in input order.
    /// Memory stays flat (one block in flight). When the input pauses, what was read so far is
    /// graded and flushed, so a slow producer's records pass through at once.
    public func runParallel(paths: [String], writer: JSONLWriter, threads: Int, blockSize: Int = 4096) throws {
        precondition(judge == nil, "the judge path is run(reader:writer:)")
        let inputs: [String?] = paths.isEmpty ? [nil] : paths.map { $0 == "-" ? nil : $0 }
        var block = LineBlock()
        block.reserve(blockSize)
        // One output buffer per part, kept from block to block: no fresh pages for every block.
        let parts = (0..<max(1, threads)).map { _ in BlockPart() }
        for path in inputs {
            let reader = try LineReader(path: path)
            reader.source.beforeWaiting = { [unowned self] in
                try self.gradeBlock(&block, parts: parts, writer: writer)
                try writer.flush()
            }
            var first = true
            while true {
                let more = try reader.withNextLine { line -> Bool in
                    var bytes = line
                    if first, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                        bytes = UnsafeBufferPointer(rebasing: bytes[3...])  // a UTF-8 byte order mark
                    }
                    first = false
                    block.append(bytes, source: reader.name, line: reader.lineNumber)
                    return true
                }
                guard more != nil else { break }
                if block.count >= blockSize { try gradeBlock(&block, parts: parts, writer: writer) }
            }
            try gradeBlock(&block, parts: parts, writer: writer)
            reader.source.beforeWaiting = nil
        }
    }

    /// Lines read but not yet graded: their bytes one after another, with where each came from.
    struct LineBlock {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var sources: [String] = []
        var lines: [Int] = []
        var count: Int { ends.count }
        mutating func reserve(_ n: Int) {
            bytes.reserveCapacity(n * 512)
            ends.reserveCapacity(n)
            lines.reserveCapacity(n)
            sources.reserveCapacity(n)
        }
        mutating func append(_ line: UnsafeBufferPointer<UInt8>, source: String, line number: Int) {
            bytes.append(contentsOf: line)
            ends.append(bytes.count)
            sources.append(source)
            lines.append(number)
        }
        mutating func clear() {
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            sources.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
        }
    }

    /// One thread's share of a block: its graded lines, totals and first error.
    final class BlockPart: @unchecked Sendable {
        var out: [UInt8] = []
        var totals = Totals()
        var error: JBError? = nil
        func reset() {
            out.removeAll(keepingCapacity: true)
            totals = Totals()
            error = nil
        }
    }

    /// Grades and writes the block, in order; the first bad line's error is thrown after the
    /// lines before it are written.
    private func gradeBlock(_ block: inout LineBlock, parts results: [BlockPart], writer: JSONLWriter) throws {
        let n = block.count
        guard n > 0 else { return }
        let parts = max(1, min(results.count, n / 64 + 1))
        for part in results { part.reset() }
        let grader = self
        // The block is read in place (no copy): it is cleared only after every part is done.
        /// The block's arrays, read in place by every part (nothing writes them meanwhile).
        struct View: @unchecked Sendable {
            let all: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>
            let sources: UnsafeBufferPointer<String>, lines: UnsafeBufferPointer<Int>
        }
        block.bytes.withUnsafeBufferPointer { all in
            block.ends.withUnsafeBufferPointer { ends in
                block.sources.withUnsafeBufferPointer { sources in
                    block.lines.withUnsafeBufferPointer { lines in
                        let view = View(all: all, ends: ends, sources: sources, lines: lines)
                        DispatchQueue.concurrentPerform(iterations: parts) { p in
                            let part = results[p]
                            let from = n * p / parts, to = n * (p + 1) / parts
                            for i in from..<to {
                                let start = i == 0 ? 0 : view.ends[i - 1]
                                let line = UnsafeBufferPointer(rebasing: view.all[start..<view.ends[i]])
                                do {
                                    if try grader.gradeLine(line, into: &part.out, totals: &part.totals,
                                                            source: view.sources[i], line: view.lines[i]) {
                                        part.out.append(0x0A)
                                    }
                                } catch let e as JBError {
                                    part.error = e
                                    return
                                } catch {
                                    part.error = .badRecord(source: view.sources[i], line: view.lines[i], message: "\(error)")
                                    return
                                }
                            }
                        }
                    }
                }
            }
        }
        block.clear()
        for part in results.prefix(parts) {
            totals.add(part.totals)
            if !part.out.isEmpty { try writer.writeLines(part.out) }
            if let e = part.error { throw e }
        }
    }

    /// Grades one JSON Lines line and appends the graded record to `out`; false for a blank line.
    func gradeLine(_ line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], totals: inout Totals,
                   source: String, line number: Int) throws -> Bool {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return false }
        // The fast way: read only the fields the rules need, pass every other byte through.
        if let raw = try? RawRecord(line) {
            let answerMember = raw.member(Question.Key.answer, in: line), responseMember = raw.member(Response.Key.responseText, in: line)
            let errorMember = raw.member(Response.Key.error, in: line)
            // The fast path needs only the answer and the reply: the clue is read when a rule needs it.
            if errorMember.map({ line[$0.value.lowerBound] == UInt8(ascii: "n") }) ?? true,
               let a = answerMember, line[a.value.lowerBound] == UInt8(ascii: "\""),
               let r = responseMember, line[r.value.lowerBound] == UInt8(ascii: "\"") {
                let answer = RawRecord.decodeString(line, (a.value.lowerBound + 1)..<(a.value.upperBound - 1))
                let response = RawRecord.decodeString(line, (r.value.lowerBound + 1)..<(r.value.upperBound - 1))
                if let fast = fastExact(answer: answer, response: response) {
                    totals.graded += 1
                    let fields = finish(Decision(correct: true, method: .exact, score: 1, settled: true), answered: true,
                                        extracted: fast.extracted, questionForm: fast.questionForm, confidence: nil,
                                        judge: .null, totals: &totals)
                    raw.write(line, grade: fields, into: &out)
                    return true
                }
            }
            var fields: JSONObject = [:]
            fields.reserveCapacity(5)
            if let m = answerMember { fields[Question.Key.answer] = RawRecord.value(line, m) }
            if let m = responseMember { fields[Response.Key.responseText] = RawRecord.value(line, m) }
            if let m = errorMember { fields[Response.Key.error] = RawRecord.value(line, m) }
            if let m = raw.member(Question.Key.clue, in: line) { fields[Question.Key.clue] = RawRecord.value(line, m) }
            if let m = raw.member(Question.Key.category, in: line) { fields[Question.Key.category] = RawRecord.value(line, m) }
            let grade = try rules(fields, totals: &totals, fail: { .badRecord(source: source, line: number, message: $0) })
            if let fields = grade.fields { raw.write(line, grade: fields, into: &out) }
            return true
        }
        // Anything the scan leaves (not an object, invalid UTF-8, a syntax error): the full
        // parser, which also words the error.
        let value: JSON
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw JBError.badRecord(source: source, line: number, message: JSONLine.invalid(error))
        }
        guard case .object(var record) = value else {
            throw JBError.badRecord(source: source, line: number, message: JSONLine.notAnObject(value))
        }
        let grade = try rules(record, totals: &totals, fail: { .badRecord(source: source, line: number, message: $0) })
        record[Grade.recordKey] = .object(grade.object)
        JSONSerializer.writeObject(record, into: &out)
        return true
    }

    /// The grade of one response record.
    public func grade(_ record: JSONObject, fail: @escaping (String) -> JBError) async throws -> JSONObject {
        var t = totals
        let result = try rules(record, totals: &t, fail: fail)
        totals = t
        guard let pending = result.pending else { return result.object }
        return try await judged(pending)
    }

    /// Grades one reply against an archive answer.
    public func grade(answer: String, response: String, clue: String, category: String) async throws -> JSONObject {
        var t = totals
        let result = rules(answer: answer, response: response, clue: clue, category: category, totals: &t)
        totals = t
        guard let pending = result.pending else { return result.object }
        return try await judged(pending)
    }

    /// A grade the rules made, and what the judge needs when it is to be asked.
    struct RuleGrade {
        /// Nil while the judge is pending.
        var fields: Grade?
        var pending: Pending?
        var object: JSONObject { fields?.object ?? [:] }
    }

    /// A case for the judge: the rules' decision, to be replaced by the verdict.
    struct Pending {
        var decision: Decision
        var answer, response, clue, category: String
        var extracted: String?
        var questionForm: Bool
        var confidence: Double?
    }

    /// The rules' grade of a record (no judge).
    func rules(_ record: JSONObject, totals: inout Totals, fail: @escaping (String) -> JBError) throws -> RuleGrade {
        let f = FieldReader(record, fail: fail)
        totals.graded += 1
        if let error = record[Response.Key.error], !error.isNull {
            guard case .object = error else { throw fail("field \"error\": expected an object or null, found \(error.typeName)") }
            totals.errors += 1
            return RuleGrade(fields: gradeObject(correct: nil, answered: false, method: .error, score: 0, extracted: nil,
                                                 questionForm: false, confidence: nil, judge: nil), pending: nil)
        }
        let answer = try f.string(Question.Key.answer)
        guard let responseValue = record[Response.Key.responseText] else { throw fail("missing field \"\(Response.Key.responseText.rawValue)\"") }
        let response: String
        switch responseValue {
        case .string(let s): response = s
        case .null: response = ""
        default: throw fail("field \"\(Response.Key.responseText.rawValue)\": expected a string or null, found \(responseValue.typeName)")
        }
        let clue = try f.optionalString(Question.Key.clue) ?? ""
        let category = try f.optionalString(Question.Key.category) ?? ""
        totals.graded -= 1  // counted again below
        return rules(answer: answer, response: response, clue: clue, category: category, totals: &totals)
    }

    /// The rules' grade of one reply; `pending` is set when the judge should be asked.
    func rules(answer: String, response: String, clue: String, category: String, totals: inout Totals) -> RuleGrade {
        totals.graded += 1
        // The fast path: a reply that is the archive answer itself, bare or as "What is …?",
        // needs no extraction beyond its first words and no rule beyond the exact match.
        if let fast = fastExact(answer: answer, response: response) {
            return RuleGrade(fields: finish(Decision(correct: true, method: .exact, score: 1, settled: true), answered: true,
                                            extracted: fast.extracted, questionForm: fast.questionForm, confidence: nil,
                                            judge: .null, totals: &totals), pending: nil)
        }
        let extraction = Extractor.extract(response)
        let context = ClueContext(clue: clue, category: category, lexicon: lexicon)
        var decision: Decision
        var answerKey: AnswerKey? = nil
        switch extraction.status {
        case .empty:
            decision = Decision(correct: false, method: .empty, score: 0, settled: true)
        case .refusal:
            decision = Decision(correct: false, method: .refusal, score: 0, settled: true)
        case .rejected:
            decision = Decision(correct: false, method: .rejectedMention, score: 0, settled: true)
        case .answer where extraction.hedged:
            // "What is Mars? (It could also be Jupiter.)": a second candidate after the answer.
            decision = Decision(correct: false, method: .hedge, score: 0, settled: true)
        case .answer:
            let key = AnswerKey(answer)
            answerKey = key
            let ruleMode: GradeMode = mode == .jeopardy ? .lenient : mode
            decision = matcher.decide(extraction.answer!, key: key, clue: context, mode: ruleMode)
            if !decision.correct, [.noMatch, .partial, .firstNameOnly].contains(decision.method),
               mentions(withoutLast(extraction.answer!, in: extraction.plainText), key: key) {
                decision.method = .rejectedMention
                decision.settled = true
            }
        }
        // A reply that is exactly the answer stands, however it reads ("I Have Nothing to
        // Declare", "It's a Wonderful Life", "Not in my back yard").
        var extracted = extraction.answer
        if !decision.correct, !extraction.finalLine.isEmpty, extraction.finalLine != extraction.answer,
           !extraction.questionForm || Grader.startsLikeAQuestion(answer),
           let exact = matcher.exactFamily(Matcher.Reply(extraction.finalLine), answerKey ?? AnswerKey(answer), allowNumbers: mode != .strict,
                                           allowPlural: mode != .strict), exact.correct {
            decision = exact
            extracted = extraction.finalLine
        }
        let answered = (extraction.status == .answer || decision.correct) && decision.method != .restatesClue
        if let judge, answered, judge.wants(decision) {
            return RuleGrade(fields: nil, pending: Pending(decision: decision, answer: answer, response: response, clue: clue,
                                                          category: category, extracted: extracted,
                                                          questionForm: extraction.questionForm, confidence: extraction.confidence))
        }
        return RuleGrade(fields: finish(decision, answered: answered, extracted: extracted, questionForm: extraction.questionForm,
                                        confidence: extraction.confidence, judge: .null, totals: &totals), pending: nil)
    }

    /// Asks the judge about a pending case (through the cache) and finishes its grade. The
    /// verdict stands beside the rules' `method` (`decided_by: "judge"`); when the judge cannot
    /// answer (its retries spent), the rules' verdict stands, marked `unsettled`, and the judge
    /// is not asked again in this run.
    private func judged(_ p: Pending) async throws -> JSONObject {
        guard let judge else { return [:] }
        var decision = p.decision
        var decidedBy = "rules"
        let prompt = JudgePrompt.render(category: p.category, clue: p.clue, answer: p.answer, response: p.response)
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
        var t = totals
        let fields = finish(decision, answered: true, extracted: p.extracted, questionForm: p.questionForm,
                            confidence: p.confidence, judge: .object(o), decidedBy: decidedBy, totals: &t)
        totals = t
        return fields.object
    }

    /// The grade object, after the jeopardy-mode check, with the totals counted.
    private func finish(_ d: Decision, answered: Bool, extracted: String?, questionForm: Bool, confidence: Double?,
                        judge: JSON, decidedBy: String = "rules", totals: inout Totals) -> Grade {
        var decision = d
        var decidedBy = decidedBy
        if mode == .jeopardy, decision.correct, !questionForm {
            decision.correct = false
            decision.method = .notQuestionForm
            if decidedBy == "judge" { decidedBy = "rules" }
        }
        if !answered { totals.refusals += 1 } else if decision.correct { totals.correct += 1 } else { totals.wrong += 1 }
        var g = gradeObject(correct: decision.correct, answered: answered, method: decision.method, score: decision.score,
                            extracted: extracted, questionForm: questionForm, confidence: confidence, judge: judge)
        g.decidedBy = decidedBy
        return g
    }

    /// The fast path's match: the reply, after an optional "What is"/"Who are" opening and
    /// without a final "?" or ".", is the archive answer exactly (letters, case aside). Only
    /// plain single-line replies and plain keys qualify; everything else takes the full path.
    func fastExact(answer: String, response: String) -> (extracted: String, questionForm: Bool)? {
        let a = answer.utf8, r = response.utf8
        guard !a.isEmpty, r.count <= 200, a.count <= 120 else { return nil }
        // Plain text only: no optional parts or alternatives (parentheses, brackets, slashes),
        // tags, escapes, entities or control characters; the full rules handle those.
        var previous: UInt8 = 0
        for c in a {
            switch c {
            case 0x28, 0x29, 0x5B, 0x5D, 0x2F, 0x5C, 0x3C, 0x3E, 0x00...0x1F: return nil
            default: if previous == 0x26, c != 0x20 { return nil }  // "&amp;"
            }
            previous = c
        }
        if previous == 0x26 { return nil }
        var rest = Substring(response)
        var questionForm = false
        if let q = Grader.questionOpening(response) {
            rest = response[q...]
            questionForm = true
        } else if let q = Grader.questionAfterLeadIn(response) {
            rest = response[q...]
            questionForm = true
        }
        var body = rest
        while let last = body.last, last == "?" || last == "." || last == " " { body = body.dropLast() }
        guard body.utf8.count == a.count else { return nil }
        for (x, y) in zip(body.utf8, a) where x != y {
            let lx = x >= 0x41 && x <= 0x5A ? x + 0x20 : x, ly = y >= 0x41 && y <= 0x5A ? y + 0x20 : y
            if lx != ly { return nil }
        }
        // A one-word answer that reads like a refusal or a marker is left to the full rules.
        let lower = body.lowercased()
        if ["pass", "unknown", "skip", "none", "no", "not sure", "i don't know"].contains(lower) { return nil }
        if !questionForm, Extractor.questionStart(in: String(body)) != nil { return nil }
        // As the extractor reports it: without the quotation marks of a title.
        func plain(_ c: UInt8?) -> Bool {
            guard let c else { return false }
            return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        }
        let clean = plain(body.utf8.first) && plain(body.utf8.last)
        return (clean ? String(body) : Extractor.trimAnswer(String(body)), questionForm)
    }

    /// "I think this is **Paris**. What is Paris?": one plain lead-in sentence (no question,
    /// marker, number, doubt, negation or confidence in it), then "What is …?" ending the
    /// reply. The index after the question's opening, or nil.
    static func questionAfterLeadIn(_ s: String) -> String.Index? {
        let b = Array(s.utf8)
        guard b.count >= 12, b.last == 0x3F, !b.contains(0x0A) else { return nil }
        var p = b.count - 3
        while p > 0, !((b[p] == 0x2E || b[p] == 0x21) && b[p + 1] == 0x20) { p -= 1 }
        guard p > 0 else { return nil }
        let lead = b[..<p].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        for c in lead where c == 0x3F || c == 0x3A || c == 0x25 || (c >= 0x30 && c <= 0x39) || c == 0x28 || c == 0x5C { return nil }
        let padded = [0x20] + lead + [0x20]
        for word in leadInStoppers where String.byteSearch(padded, word, backwards: false) != nil { return nil }
        let questionStart = s.utf8.index(s.utf8.startIndex, offsetBy: p + 2)
        guard let q = questionOpening(String(s[questionStart...])) else { return nil }
        let offset = s.utf8.distance(from: s.utf8.startIndex, to: questionStart) + s[questionStart...].utf8.count
            - String(s[questionStart...])[q...].utf8.count
        return s.utf8.index(s.utf8.startIndex, offsetBy: offset)
    }

    /// Words that make a lead-in more than a lead-in (another candidate, a correction, a marker).
    private static let leadInStoppers: [[UInt8]] = [
        " what ", " who ", " where ", " when ", " which ", " how ", " why ", " whom ", " whose ", "answer", "confiden",
        " sure", "certain", " or ", " not ", " no ", " no,", "wait", "actually", "maybe", "perhaps", "possibly", "either",
        "might", "could", "unless", "rather", "instead", "boxed", "n't", "n’t", "what's", "who's",
    ].map { Array($0.utf8) }

    /// The index after a leading "What is " / "Who are " / "What's " (ASCII, any case), or nil.
    static func questionOpening(_ s: String) -> String.Index? {
        var u = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) as (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
        var n = 0
        withUnsafeMutableBytes(of: &u) { buf in
            for c in s.utf8 {
                guard n < 12 else { break }
                buf[n] = c >= 0x41 && c <= 0x5A ? c + 0x20 : c
                n += 1
            }
        }
        guard n >= 8 else { return nil }
        return withUnsafeBytes(of: &u) { buf -> String.Index? in
            for opening in questionOpenings where n > opening.count {
                var same = true
                for k in 0..<opening.count where buf[k] != opening[k] { same = false; break }
                if same { return s.utf8.index(s.utf8.startIndex, offsetBy: opening.count) }
            }
            return nil
        }
    }

    private static let questionOpenings: [[UInt8]] = {
        var out: [[UInt8]] = []
        for wh in ["what", "who", "where", "when", "which"] {
            for be in [" is ", " are ", " was ", " were ", "'s "] { out.append(Array((wh + be).utf8)) }
        }
        return out
    }()

    /// True when an archive answer itself begins with an interrogative ("Who's Afraid of
    /// Virginia Woolf?"): only then can a question-form reply's whole line be the answer.
    static func startsLikeAQuestion(_ answer: String) -> Bool {
        var b = Array(answer.utf8.prefix(8)).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        while let f = b.first, f == 0x22 || f == 0x5C || f == 0x27 || f == 0x20 { b.removeFirst() }
        return b.starts(with: Array("wh".utf8)) || b.starts(with: Array("how".utf8))
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

    private func gradeObject(correct: Bool?, answered: Bool, method: GradeMethod, score: Double, extracted: String?,
                             questionForm: Bool, confidence: Double?, judge: JSON?) -> Grade {
        Grade(correct: correct, answered: answered, mode: mode.rawValue, method: method, score: score, extracted: extracted,
              questionForm: questionForm, confidence: confidence, grader: graderName, judge: judge ?? .null)
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
