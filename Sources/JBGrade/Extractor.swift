import Foundation

/// What the grader read from a model's reply.
public struct Extraction: Equatable, Sendable {
    /// How the reply ended.
    public enum Status: String, Sendable {
        /// An answer was found.
        case answer
        /// Nothing, or only whitespace.
        case empty
        /// "I don't know", "I can't determine…", a request for more context.
        case refusal
        /// The reply only rejected a candidate ("Not Stockholm.") without naming another.
        case rejected
    }

    /// The status.
    public var status: Status
    /// The final answer, without the question phrasing ("What is … ?"), or nil.
    public var answer: String?
    /// The final answer begins with an interrogative and a form of "to be".
    public var questionForm: Bool
    /// A confidence the reply stated, 0–1.
    public var confidence: Double?
    /// The reply with markdown removed (for finding rejected mentions).
    public var plainText: String
    /// The final answer line as a whole (for replies that echo an answer that looks like a
    /// refusal or statement: "I Can't Help Falling in Love", "It's a Wonderful Life").
    public var finalLine: String = ""
}

/// Reads the final answer, its question form and any stated confidence from a reply.
public enum Extractor {
    /// Extracts from a whole reply.
    public static func extract(_ response: String) -> Extraction {
        var text = response.utf8.contains(13) ? response.replacingOccurrences(of: "\r\n", with: "\n") : response
        let confidence = statedConfidence(&text)
        let lines = text.split(separator: "\n").map { stripMarkdown(String($0)) }
            .map { $0.trimmedSpaces() }.filter { !$0.isEmpty }
        let plain = lines.joined(separator: "\n")
        guard !lines.isEmpty else {
            return Extraction(status: .empty, answer: nil, questionForm: false, confidence: confidence, plainText: plain)
        }

        // 1. An explicit "Final answer:" / "Answer:" line, the last one.
        var chosen: (line: String, afterMarker: String?)? = nil
        for line in lines.reversed() {
            if let rest = afterAnswerMarker(line) { chosen = (line, rest); break }
        }
        // 2. Else the last line holding a question-form sentence.
        if chosen == nil, let line = lines.last(where: { questionStart(in: $0) != nil }) { chosen = (line, nil) }
        // 3. Else the last line, or a short opening line when the reply ends in commentary.
        if chosen == nil {
            var line = lines.last!
            if lines.count > 1, wordCount(line) > 12, wordCount(lines[0]) <= 8 { line = lines[0] }
            chosen = (line, nil)
        }
        let source = chosen!.afterMarker ?? chosen!.line
        let finalLine = trimAnswer(source)

        var answer: String
        var questionForm = false
        var fromFallback = false
        if let q = questionStart(in: source) {
            questionForm = true
            answer = String(source[q...])
            var rest = ""
            if let mark = answer.firstIndex(of: "?") {
                rest = String(answer[answer.index(after: mark)...]).trimmedSpaces()
                answer = String(answer[..<mark])
            }
            // "Who is Madison? Or maybe Monroe." keeps both candidates, so the hedge is seen.
            let lowerRest = rest.lowercased()
            for opener in ["or maybe ", "or perhaps ", "or possibly ", "or ", "maybe ", "perhaps ", "possibly "] where lowerRest.hasPrefix(opener) {
                answer += " or " + String(rest.dropFirst(opener.count))
                break
            }
            // Two question-form answers in the final line, with no correction between them: a hedge.
            let starts = questionStarts(in: source)
            if starts.count >= 2, case let earlier = starts[starts.count - 2], !source[earlier..<q].contains("?") {
                // "What is What's My Line?": the title itself starts like a question.
                answer = String(source[earlier...])
                if let mark = answer.firstIndex(of: "?") { answer = String(answer[..<mark]) }
            } else if starts.count >= 2, case let earlier = starts[starts.count - 2], !isCorrection(String(source[earlier..<q])) {
                var first = String(source[earlier..<q])
                if let mark = first.firstIndex(of: "?") { first = String(first[..<mark]) }
                let firstTrimmed = first.trimmedSpaces()
                if !firstTrimmed.isEmpty && trimAnswer(firstTrimmed).lowercased() != trimAnswer(answer).lowercased() {
                    answer = firstTrimmed + " or " + answer
                }
            }
        } else if chosen!.afterMarker != nil {
            answer = source
        } else if let rest = afterStatementMarker(source) {
            answer = rest
        } else if let corrected = afterSelfCorrection(source) {
            answer = corrected
        } else {
            answer = firstSentence(source)
            fromFallback = true
        }
        if let corrected = afterSelfCorrection(answer) { answer = corrected }
        if isRefusal(questionForm ? "" : answer) || (!questionForm && fromFallback && isRefusal(source)) {
            return Extraction(status: .refusal, answer: nil, questionForm: false, confidence: confidence, plainText: plain, finalLine: finalLine)
        }
        // "Not Stockholm — Oslo." / "It's not X, it's Y": the part after the rejection.
        if !questionForm, let rejected = afterRejection(answer) {
            guard let kept = rejected else {
                return Extraction(status: .rejected, answer: nil, questionForm: questionForm, confidence: confidence, plainText: plain, finalLine: finalLine)
            }
            answer = kept
        }
        answer = trimAnswer(answer)
        if answer.isEmpty || Text.tokenize(answer).isEmpty {
            return Extraction(status: .empty, answer: nil, questionForm: questionForm, confidence: confidence, plainText: plain, finalLine: finalLine)
        }
        return Extraction(status: .answer, answer: answer, questionForm: questionForm, confidence: confidence, plainText: plain, finalLine: finalLine)
    }

    // MARK: Question form

    private static let whWords = ["what", "who", "where", "when", "which", "whom", "whose", "why", "how"]
    private static let beForms = [" is ", " are ", " was ", " were ", " am ", "'s ", "’s ", "'re ", "’re "]

    /// The index just after the last "What is"/"Who are"/"What's" that starts a sentence in
    /// `line`, or nil when the line has no question-form sentence.
    static func questionStart(in line: String) -> String.Index? {
        questionStarts(in: line).last
    }

    /// Every index just after a question-form opening in `line`, in order.
    static func questionStarts(in line: String) -> [String.Index] {
        let chars = Array(line)
        let lower = Array(line.lowercased())
        guard lower.count == chars.count else { return questionStartSlow(line).map { [$0] } ?? [] }
        var found: [Int] = []
        var i = 0
        while i < lower.count {
            if lower[i] == "w" || lower[i] == "h", i == 0 || !lower[i - 1].isLetter {
                for wh in whWords where matches(lower, at: i, wh) {
                    let end = i + wh.count
                    // A sentence start: line start, after punctuation, or capitalised mid-line.
                    var k = i - 1
                    while k >= 0 && (lower[k] == " " || lower[k] == "\"" || lower[k] == "“" || lower[k] == "'") { k -= 1 }
                    let previousWord = String(lower[..<max(0, k + 1)].reversed().prefix(while: { $0.isLetter }).reversed())
                    let starts = k < 0 || ".!?:;—–-(\u{2014}".contains(lower[k])
                        || (chars[i].isUppercase && ["say", "answer", "with", "is", "be", "it"].contains(previousWord))
                    guard starts else { continue }
                    for be in beForms {
                        let body = String(be.dropLast())  // without the trailing space
                        guard matches(lower, at: end, body) else { continue }
                        let after = end + body.count
                        if after == lower.count || lower[after] == " " || lower[after] == "?" {
                            found.append(min(after + 1, lower.count))
                            break
                        }
                    }
                }
            }
            i += 1
        }
        return found.map { line.index(line.startIndex, offsetBy: $0) }
    }

    private static func questionStartSlow(_ line: String) -> String.Index? {
        // Lowercasing changed the length (rare letters): search a lowercased copy that keeps it.
        let safe = String(line.map { c -> Character in
            let l = c.lowercased()
            return l.count == 1 ? Character(l) : c
        })
        guard safe.count == line.count, Array(safe.lowercased()).count == safe.count,
              let idx = questionStart(in: safe) else { return nil }
        return line.index(line.startIndex, offsetBy: safe.distance(from: safe.startIndex, to: idx))
    }

    private static func matches(_ chars: [Character], at i: Int, _ word: String) -> Bool {
        var k = i
        for c in word {
            guard k < chars.count, chars[k] == c else { return false }
            k += 1
        }
        return true
    }

    // MARK: Markers

    private static let answerMarkers = ["final answer", "answer", "my answer", "correct response", "response"]

    /// The text after "Final answer:" / "Answer:" / "The answer is", or nil.
    static func afterAnswerMarker(_ line: String) -> String? {
        let lower = line.lowercased()
        guard lower.count == line.count else { return nil }
        var best: String.Index? = nil
        for marker in ["final answer", "answer", "correct response"] {
            var search = lower.startIndex
            while let r = lower[search...].fastRangeSub(of: marker) {
                search = r.upperBound
                if r.lowerBound > lower.startIndex, lower[lower.index(before: r.lowerBound)].isLetter { continue }
                var k = r.upperBound
                while k < lower.endIndex, lower[k] == " " || lower[k] == "*" { k = lower.index(after: k) }
                if k < lower.endIndex, ":：".contains(lower[k]) {
                    let after = lower.index(after: k)
                    if best == nil || after > best! { best = after }
                } else if lower[k...].hasPrefix("is ") || lower[k...].hasPrefix("is:") || lower[k...].hasPrefix("would be ") {
                    // "the answer is X", "so the answer is: X"
                    var after = lower.index(k, offsetBy: lower[k...].hasPrefix("would be ") ? 9 : 3)
                    while after < lower.endIndex, lower[after] == ":" || lower[after] == " " { after = lower.index(after: after) }
                    if best == nil || after > best! { best = after }
                }
            }
        }
        guard let b = best else { return nil }
        let rest = String(line[line.index(line.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: b))...])
            .trimmedSpaces()
        return rest.isEmpty ? nil : rest
    }

    private static let statementMarkers = [
        "i'll say ", "i will say ", "i'd say ", "i would say ", "i'll go with ", "i'm going with ", "going with ",
        "i'll answer ", "i think it's ", "i think it is ", "i believe it's ", "i believe it is ", "it must be ",
        "it's ", "it is ", "this is ", "that's ", "that is ", "it was ", "i think ",
    ]

    /// The text after "I'll say", "It's", "This is" at a sentence start, or nil.
    static func afterStatementMarker(_ sentence: String) -> String? {
        let lower = String(sentence.lowercased().map { $0 == "’" ? "'" : $0 })
        guard lower.count == sentence.count else { return nil }
        var best: String.Index? = nil
        for marker in statementMarkers {
            if let r = lower.fastRange(of: marker, backwards: true) {
                let startOK = r.lowerBound == lower.startIndex || {
                    var k = lower.index(before: r.lowerBound)
                    while k > lower.startIndex, lower[k] == " " { k = lower.index(before: k) }
                    if ".!?:;,—".contains(lower[k]) { return true }
                    // "…, but I think it's X", "so it's X"
                    let before = lower[..<r.lowerBound].split(separator: " ").last.map(String.init) ?? ""
                    return ["but", "so", "and", "then", "well", "guess", "sure"].contains(before)
                }()
                if startOK, best == nil || r.upperBound > best! { best = r.upperBound }
            }
        }
        guard let b = best else { return nil }
        let rest = String(sentence[sentence.index(sentence.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: b))...])
        return rest.trimmedSpaces().isEmpty ? nil : rest
    }

    private static let selfCorrections = ["? no —", "? no,", "? no.", "? no -", "? no –", "no wait,", "no, wait,", "wait,", "wait no,", "actually,", "correction:",
                                          "on second thought,", "i mean,", "or rather,", "no, it's", "no wait"]

    /// The text after the last "No wait," / "Actually," / "On second thought,", or nil.
    static func afterSelfCorrection(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.count == text.count else { return nil }
        var best: String.Index? = nil
        let hay = Array(lower.utf8)
        guard hay.contains(44) || hay.contains(58) || hay.contains(63) || String.byteSearch(hay, Array("no wait".utf8), backwards: false) != nil
        else { return nil }  // every marker has a comma, colon or question mark, but "no wait"
        for m in selfCorrections {
            if let r = lower.fastRange(of: m, backwards: true), best == nil || r.upperBound > best! { best = r.upperBound }
        }
        guard let b = best else { return nil }
        var rest = String(text[text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: b))...])
            .trimmedSpaces()
        if let inner = afterStatementMarker(rest) { rest = inner }
        return rest.isEmpty ? nil : rest
    }

    /// True when text between two candidates takes the first back ("No, wait", "Actually", "not").
    static func isCorrection(_ text: String) -> Bool {
        let words = Set(text.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "'" }).map(String.init))
        return !words.isDisjoint(with: ["no", "not", "wait", "actually", "rather", "correction", "isn't", "wrong", "scratch", "instead"])
    }

    /// For "Not X — Y" and "It's not X, it's Y": `.some(Y)`; `.some(nil)` when nothing follows
    /// the rejection; nil when the answer does not start with a rejection.
    static func afterRejection(_ answer: String) -> String?? {
        let lower = answer.lowercased().trimmedSpaces()
        let openers = ["not ", "it's not ", "it is not ", "it isn't ", "it isn’t ", "it’s not ", "no, ", "definitely not "]
        guard openers.contains(where: { lower.hasPrefix($0) }) else { return nil }
        for sep in [" — ", "—", " – ", " - ", ";", ", but ", " but ", ", rather ", ","] {
            if let r = answer.fastRange(of: sep) {
                var rest = String(answer[r.upperBound...]).trimmedSpaces()
                if let inner = afterStatementMarker(rest) { rest = inner }
                for p in ["it's ", "it is ", "rather ", "but "] where rest.lowercased().hasPrefix(p) { rest = String(rest.dropFirst(p.count)) }
                return .some(rest.isEmpty ? nil : rest)
            }
        }
        return .some(nil)
    }

    // MARK: Refusals

    private static let refusalPhrases = [
        "i don't know", "i do not know", "not sure", "unsure", "can't determine", "cannot determine",
        "can't answer", "cannot answer", "unable to", "no idea", "i can't help", "i cannot help", "can't identify",
        "cannot identify", "more context", "not certain", "not enough information", "i have no idea", "i'm not able",
        "i am not able", "i pass", "no answer", "can't recall", "cannot recall", "don't recall",
        "i don’t know", "not confident", "can't be sure", "cannot be sure", "can't tell", "cannot tell", "need more",
    ]

    private static let refusalPhraseBytes = refusalPhrases.map { Array($0.utf8) }

    /// True for "I don't know", "I'm not sure who this is", "Could you give me more context?".
    static func isRefusal(_ text: String) -> Bool {
        let lower = String(text.lowercased().map { $0 == "’" ? "'" : $0 })
        if lower == "pass" || lower == "unknown" || lower == "n/a" || lower == "skip" { return true }
        let hay = Array(lower.utf8)
        return refusalPhraseBytes.contains { String.byteSearch(hay, $0, backwards: false) != nil }
    }

    // MARK: Clean-up

    /// Removes markdown emphasis, headings, quotes, list bullets and `\boxed{}`.
    static func stripMarkdown(_ line: String) -> String {
        var s = line
        guard s.utf8.contains(where: { $0 == 42 || $0 == 95 || $0 == 96 || $0 == 35 || $0 == 62 || $0 == 92 || $0 == 45 || $0 == 43 || $0 >= 0x80 }) else { return s }
        if s.fastContains("\\boxed{") {
            s = s.replacingOccurrences(of: "\\boxed{", with: "").replacingOccurrences(of: "}", with: "")
        }
        s = s.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            .replacingOccurrences(of: "`", with: "")
        s = s.replacingOccurrences(of: "*", with: "")
        var t = Substring(s).drop(while: { $0 == " " })
        while let f = t.first, f == "#" || f == ">" { t = t.dropFirst().drop(while: { $0 == " " }) }
        if t.hasPrefix("- ") || t.hasPrefix("+ ") || t.hasPrefix("• ") { t = t.dropFirst(2) }
        // Underscore emphasis: _word_ at word edges.
        var out = String(t)
        if out.contains("_") {
            var chars = Array(out)
            for i in chars.indices where chars[i] == "_" {
                let before = i > 0 ? chars[i - 1] : " ", after = i + 1 < chars.count ? chars[i + 1] : " "
                if !(before.isLetter && after.isLetter) { chars[i] = " " }
            }
            out = String(chars)
        }
        return out
    }

    /// Trailing punctuation, quotes and a trailing confidence note removed.
    static func trimAnswer(_ s: String) -> String {
        var t = s.trimmedSpaces()
        if let open = t.lastIndex(of: "("), t.hasSuffix(")") {
            let inner = t[open...].lowercased()
            if inner.contains("confiden") || inner.contains("%") || inner.contains("sure") { t = String(t[..<open]) }
        }
        let junk: Set<Character> = [" ", ".", "!", "?", ":", ";", ",", "\"", "'", "“", "”", "‘", "’", "\t"]
        t = t.trimmed(junk)
        for p in ["a: ", "q: "] where t.lowercased().hasPrefix(p) { t = String(t.dropFirst(p.count)) }
        return t.trimmed(junk)
    }

    /// The first sentence of a line ("Paris. It is the capital" → "Paris").
    static func firstSentence(_ line: String) -> String {
        var chars = Array(line)
        for i in chars.indices where ".!?".contains(chars[i]) {
            let next = i + 1 < chars.count ? chars[i + 1] : " "
            let prev = i > 0 ? chars[i - 1] : " "
            // A period inside "D.C." or "St. Louis" or after an initial does not end a sentence.
            let prevWord = String(chars[..<i].reversed().prefix(while: { $0.isLetter }).reversed()).lowercased()
            let abbreviations: Set<String> = ["mr", "mrs", "ms", "dr", "st", "jr", "sr", "mt", "vs", "no", "gen", "col",
                                              "lt", "sgt", "capt", "prof", "rev", "gov", "sen", "rep", "ft", "pres", "bros", "inc", "co"]
            if chars[i] == "!" { continue }  // "Tora! Tora! Tora!"
            if next == " ", (prevWord.count > 2 && !abbreviations.contains(prevWord)) || prev.isNumber || chars[i] != "." {
                let rest = chars[(i + 1)...].drop(while: { $0 == " " })
                if let f = rest.first, f.isUppercase || f.isNumber { chars = Array(chars[...i]); break }
            }
        }
        return String(chars)
    }

    private static func wordCount(_ s: String) -> Int { s.split(separator: " ").count }

    // MARK: Confidence

    private static let confidencePatterns: [NSRegularExpression] = [
            #"confiden(?:ce|t)(?:\s+(?:level|score))?\s*(?:is|of|:|=|-)?\s*(?:about\s+|around\s+|~)?(\d{1,3}(?:\.\d+)?)\s*(%|percent|/\s*100|/\s*10)?"#,
            #"(\d{1,3}(?:\.\d+)?)\s*(%|percent)\s*(?:confiden(?:t|ce)|sure|certain)"#,
            ].compactMap { try? NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }

    /// A stated confidence ("Confidence: 80%", "(90% sure)", "confidence 0.7"), removed from
    /// the text when it stands on its own line.
    static func statedConfidence(_ text: inout String) -> Double? {
        let lower = text.lowercased()
        guard lower.fastContains("confiden") || lower.fastContains("%") || lower.fastContains("sure") || lower.fastContains("certain") else { return nil }
        for re in confidencePatterns {
            let ns = text as NSString
            let matches = re.matches(in: text, range: NSRange(location: 0, length: ns.length))
            guard let m = matches.last, let v = Double(ns.substring(with: m.range(at: 1))) else { continue }
            let unit = m.range(at: 2).location != NSNotFound ? ns.substring(with: m.range(at: 2)).replacingOccurrences(of: " ", with: "") : ""
            var value = v
            if unit == "/10" { value = v / 10 } else if unit.isEmpty == false || v > 1 { value = v / 100 }
            guard value >= 0, value <= 1 else { continue }
            // Drop a line that is only the confidence statement.
            let lineRange = ns.lineRange(for: m.range)
            let line = ns.substring(with: lineRange).trimmingCharacters(in: .whitespacesAndNewlines)
            let lineLower = line.lowercased()
            if lineLower.hasPrefix("confiden") || lineLower.hasPrefix("(") || lineLower.hasPrefix("*confiden") || lineLower.hasPrefix("**confiden") {
                text = ns.replacingCharacters(in: lineRange, with: "\n")
            }
            return (value * 1000).rounded() / 1000
        }
        return nil
    }
}
