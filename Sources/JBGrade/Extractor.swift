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
    /// Another candidate is offered after the final answer ("What is Mars? (It could also be
    /// Jupiter.)", "Sweden. It might also be Norway."): the reply hedges.
    public var hedged: Bool = false
}

/// Reads the final answer, its question form and any stated confidence from a reply.
public enum Extractor {
    /// Extracts from a whole reply.
    public static func extract(_ response: String) -> Extraction {
        var text = response.utf8.contains(13) ? response.replacingOccurrences(of: "\r\n", with: "\n") : response
        let confidence = statedConfidence(&text)
        var rawLines: [Substring] = []
        var lines: [String] = []
        for raw in text.split(separator: "\n") {
            let line = stripMarkdown(String(raw)).trimmedSpaces()
            if !line.isEmpty { lines.append(line); rawLines.append(raw) }
        }
        let plain = lines.joined(separator: "\n")
        guard !lines.isEmpty else {
            return Extraction(status: .empty, answer: nil, questionForm: false, confidence: confidence, plainText: plain)
        }

        // 1. An explicit "Final answer:" / "Answer:" line, the last one.
        var chosen: (line: String, afterMarker: String?)? = nil
        var chosenIndex = lines.count - 1
        for (i, line) in lines.enumerated().reversed() {
            if let rest = afterAnswerMarker(line) { chosen = (line, rest); chosenIndex = i; break }
        }
        // 2. Else the last line holding a question-form sentence.
        if chosen == nil, let i = lines.lastIndex(where: { questionStart(in: $0) != nil }) {
            chosen = (lines[i], nil)
            chosenIndex = i
        }
        // 3. Else the last line, or a short opening line when the reply ends in commentary.
        if chosen == nil {
            chosenIndex = lines.count - 1
            if lines.count > 1, wordCount(lines[chosenIndex]) > 12, wordCount(lines[0]) <= 8 { chosenIndex = 0 }
            chosen = (lines[chosenIndex], nil)
        }
        let source = chosen!.afterMarker ?? chosen!.line
        let finalLine = trimAnswer(source)
        let laterLines = lines[(chosenIndex + 1)...].joined(separator: "\n")

        var answer: String
        var questionForm = false
        var fromFallback = false
        var answerFrom = source.startIndex  // where the answer starts in `source`
        if let q = questionStart(in: source) {
            questionForm = true
            answerFrom = q
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
            // A long sentence with the answer in bold ("**Mongolia**'s parliament sits in
            // Ulaanbaatar."), or a short head before a dash ("Sweden — about 450,000 km²…").
            if wordCount(answer) > 5, let bold = boldSpans(rawLines[chosenIndex]).last, !bold.isEmpty, wordCount(bold) <= 8 {
                answer = bold
            } else if wordCount(answer) > 8 {
                for dash in [" — ", " – ", " - "] {
                    if let r = answer.range(of: dash), wordCount(String(answer[..<r.lowerBound])) <= 5 {
                        answer = String(answer[..<r.lowerBound])
                        break
                    }
                }
            }
        }
        // What follows the final answer: a second candidate there is a hedge.
        var tail = laterLines
        if let r = source[answerFrom...].fastRangeSub(of: answer) {
            tail = String(source[r.upperBound...]) + "\n" + laterLines
        }
        let hedged = offersAnotherCandidate(tail)
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
        if answer.isEmpty || !Text.hasTokens(answer) {
            return Extraction(status: .empty, answer: nil, questionForm: questionForm, confidence: confidence, plainText: plain, finalLine: finalLine)
        }
        return Extraction(status: .answer, answer: answer, questionForm: questionForm, confidence: confidence, plainText: plain,
                          finalLine: finalLine, hedged: hedged)
    }

    // MARK: Hedges after the answer

    /// Phrases that offer another candidate wherever they stand after the answer.
    private static let hedgeCues = [
        "could also be", "might also be", "may also be", "could equally be", "or maybe", "or possibly", "or perhaps",
        "or was it", "or is it", "or it could", "or it might", "one of those", "one of the two", "one of these",
        "alternatively", "some say", "others say", "some sources say", "not sure if it's", "not sure whether",
        "i'm torn", "if not,", "though it might be", "though it could be", "but it might be", "but it could be",
        "or else", "possibly also", "perhaps also", "also possible", "also plausible", "another possibility",
        "another option", "could also", "might also", "may also", "unless you mean", "unless it's", "or rather",
    ].map { Array($0.utf8) }
    /// Phrases that offer another candidate when a name follows them ("It could be Jupiter",
    /// not "this could be confusing").
    private static let weakHedgeCues = ["could be ", "might be ", "may be ", "maybe ", "perhaps ", "possibly ", "or "]
        .map { Array($0.utf8) }

    /// True when `tail` (the text after the final answer) offers a second candidate.
    static func offersAnotherCandidate(_ tail: String) -> Bool {
        guard tail.utf8.contains(where: { $0 > 0x20 }) else { return false }
        let raw = Array(tail.utf8.map { $0 == 0x0A ? 0x20 : $0 })
        let lower = raw.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        // "’" → "'" is not needed for the cues above but for "i’m": compare both spellings.
        let hasCurly = raw.contains(0xE2)
        let bytes = hasCurly ? Array(String(decoding: lower, as: UTF8.self).replacingOccurrences(of: "’", with: "'").utf8) : lower
        for cue in hedgeCues where String.byteSearch(bytes, cue, backwards: false).map({ $0 == 0 || !isWordByte(bytes[$0 - 1]) }) == true {
            return true
        }
        let original = hasCurly ? Array(tail.replacingOccurrences(of: "’", with: "'").utf8.map { $0 == 0x0A ? 0x20 : $0 }) : raw
        guard original.count == bytes.count else { return false }
        for cue in weakHedgeCues {
            var from = 0
            while let start = search(bytes, cue, from: from) {
                let end = start + cue.count
                from = end
                guard start == 0 || !isWordByte(bytes[start - 1]), end < original.count else { continue }
                // At the start of the tail or of a sentence in it ("Seven? Maybe six."), any word
                // after the cue is a candidate.
                var b = start - 1
                while b >= 0, bytes[b] == 0x20 { b -= 1 }
                if b < 0 || [0x2E, 0x3F, 0x21, 0x28, 0x3B].contains(bytes[b]) {
                    // …when what follows is short and plain ("Maybe six."), not a remark
                    // ("Perhaps surprisingly, Chile is narrower.").
                    var e = end, words = 1, comma = false
                    while e < bytes.count, ![0x2E, 0x3F, 0x21, 0x29].contains(bytes[e]) {
                        if bytes[e] == 0x20 { words += 1 }
                        if bytes[e] == 0x2C { comma = true }
                        e += 1
                    }
                    if !comma && words <= 4 { return true }
                }
                var k = end
                while k < original.count, original[k] == 0x20 || original[k] == 0x22 || original[k] == 0x2A { k += 1 }
                // "It might be the Congo": an article before the name.
                for article in articleBytes where hasBytes(bytes, at: k, article) { k += article.count; break }
                if k < original.count, (original[k] >= 0x41 && original[k] <= 0x5A) || (original[k] >= 0x30 && original[k] <= 0x39) {
                    return true
                }
            }
        }
        return false
    }

    /// The first index of `pin` in `hay` at or after `from`.
    private static func search(_ hay: [UInt8], _ pin: [UInt8], from: Int) -> Int? {
        guard !pin.isEmpty, hay.count >= pin.count, from <= hay.count - pin.count else { return nil }
        var i = from
        while i <= hay.count - pin.count {
            if hay[i] == pin[0] {
                var k = 1
                while k < pin.count && hay[i + k] == pin[k] { k += 1 }
                if k == pin.count { return i }
            }
            i += 1
        }
        return nil
    }

    private static let articleBytes = ["the ", "a ", "an "].map { Array($0.utf8) }

    private static func isWordByte(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) }

    /// The texts between `**` pairs in a raw (markdown) line.
    static func boldSpans(_ raw: Substring) -> [String] {
        guard raw.contains("**") else { return [] }
        let parts = raw.components(separatedBy: "**")
        guard parts.count >= 3 else { return [] }
        return stride(from: 1, to: parts.count - 1, by: 2).map { trimAnswer(parts[$0]) }
    }

    // MARK: Question form

    private static let whWords = ["what", "who", "where", "when", "which", "whom", "whose", "why", "how"]

    /// The index just after the last "What is"/"Who are"/"What's" that starts a sentence in
    /// `line`, or nil when the line has no question-form sentence.
    static func questionStart(in line: String) -> String.Index? {
        questionStarts(in: line).last
    }

    /// Every index just after a question-form opening in `line`, in order.
    ///
    /// Works on the line's UTF-8 bytes (ASCII lowercased in place, so offsets stay the line's):
    /// an interrogative at a sentence start (line start, after `.!?:;-(`, a dash, or a
    /// capitalised one after "say", "answer", "with", "is", "be", "it"), then a form of "to be".
    static func questionStarts(in line: String) -> [String.Index] {
        let raw = Array(line.utf8)
        let n = raw.count
        guard n >= 5 else { return [] }
        var lower = raw
        for k in 0..<n where raw[k] >= 0x41 && raw[k] <= 0x5A { lower[k] = raw[k] + 0x20 }
        func isLetter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || c >= 0x80 }
        var found: [Int] = []
        var i = 0
        while i < n {
            let c = lower[i]
            if (c == 0x77 || c == 0x68), i == 0 || !isLetter(lower[i - 1]) {  // w, h
                for wh in whBytes where hasBytes(lower, at: i, wh) {
                    let end = i + wh.count
                    // A sentence start: skip back over spaces and opening quotes.
                    var k = i - 1
                    while k >= 0 {
                        if lower[k] == 0x20 || lower[k] == 0x22 || lower[k] == 0x27 { k -= 1; continue }
                        if k >= 2, lower[k - 2] == 0xE2, lower[k - 1] == 0x80, lower[k] == 0x9C { k -= 3; continue }  // “
                        break
                    }
                    var starts = k < 0
                    if !starts {
                        let p = lower[k]
                        starts = p == 0x2E || p == 0x21 || p == 0x3F || p == 0x3A || p == 0x3B || p == 0x2D || p == 0x28
                            || (k >= 2 && lower[k - 2] == 0xE2 && lower[k - 1] == 0x80 && (p == 0x94 || p == 0x93))  // — –
                    }
                    if !starts, raw[i] >= 0x41, raw[i] <= 0x5A {
                        var w = k
                        while w >= 0, lower[w] >= 0x61, lower[w] <= 0x7A { w -= 1 }
                        let previous = Array(lower[(w + 1)...max(w + 1, k)])
                        starts = k >= 0 && previousWordsBytes.contains(previous)
                    }
                    guard starts else { continue }
                    for be in beBytes where hasBytes(lower, at: end, be) {
                        let after = end + be.count
                        if after == n || lower[after] == 0x20 || lower[after] == 0x3F {
                            found.append(min(after + 1, n))
                            break
                        }
                    }
                }
            }
            i += 1
        }
        // Offsets to indices in one walk (not one walk per offset).
        var out: [String.Index] = []
        out.reserveCapacity(found.count)
        let utf8 = line.utf8
        var index = utf8.startIndex, at = 0
        for f in found {
            index = utf8.index(index, offsetBy: f - at)
            at = f
            out.append(index)
        }
        return out
    }

    private static let whBytes = whWords.map { Array($0.utf8) }
    private static let beBytes = [" is", " are", " was", " were", " am", "'s", "’s", "'re", "’re"].map { Array($0.utf8) }
    private static let previousWordsBytes = ["say", "answer", "with", "is", "be", "it"].map { Array($0.utf8) }

    // MARK: Markers

    private static let answerMarkers = ["final answer", "answer", "my answer", "correct response", "response"]

    /// The text after "Final answer:" / "Answer:" / "The answer is", or nil.
    ///
    /// One pass over the line's bytes per marker: a line of thousands of repeated markers
    /// costs time in proportion to its length, not its square.
    static func afterAnswerMarker(_ line: String) -> String? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 6 else { return nil }
        // ASCII-only lowercasing keeps byte offsets equal to the line's.
        let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        var best: Int? = nil
        let n = lower.count
        func isLetterByte(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || c >= 0x80 }
        for marker in answerMarkerBytes {
            let m = marker.count
            guard m <= n else { continue }
            var i = 0
            while i + m <= n {
                if lower[i] != marker[0] { i += 1; continue }
                var k = 1
                while k < m && lower[i + k] == marker[k] { k += 1 }
                guard k == m else { i += 1; continue }
                defer { i += m }
                if i > 0, isLetterByte(lower[i - 1]) { continue }
                var j = i + m
                while j < n, lower[j] == 0x20 || lower[j] == 0x2A { j += 1 }  // spaces, "*"
                guard j < n else { continue }
                var after: Int? = nil
                if lower[j] == 0x3A {
                    after = j + 1  // ":"
                } else if j + 3 <= n, lower[j] == 0x69, lower[j + 1] == 0x73, j + 2 == n || lower[j + 2] == 0x20 || lower[j + 2] == 0x3A {
                    after = j + 2  // "is", "is:"
                } else if hasBytes(lower, at: j, wouldBe) {
                    after = j + wouldBe.count
                } else if j + 3 <= n, lower[j] == 0xEF, lower[j + 1] == 0xBC, lower[j + 2] == 0x9A {
                    after = j + 3  // full-width colon
                }
                guard var a = after else { continue }
                while a < n, lower[a] == 0x3A || lower[a] == 0x20 { a += 1 }
                if best == nil || a > best! { best = a }
            }
        }
        guard let b = best, b < n else { return nil }
        let rest = String(decoding: bytes[b...], as: UTF8.self).trimmedSpaces()
        return rest.isEmpty ? nil : rest
    }

    private static let answerMarkerBytes = ["final answer", "answer", "correct response"].map { Array($0.utf8) }
    private static let wouldBe = Array("would be ".utf8)

    private static func hasBytes(_ hay: [UInt8], at i: Int, _ pin: [UInt8]) -> Bool {
        guard i + pin.count <= hay.count else { return false }
        for k in 0..<pin.count where hay[i + k] != pin[k] { return false }
        return true
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

    /// Removes markdown emphasis, headings, quotes, list bullets and `\boxed{}` (on bytes).
    static func stripMarkdown(_ line: String) -> String {
        guard line.utf8.contains(where: { $0 == 42 || $0 == 95 || $0 == 96 || $0 == 35 || $0 == 62 || $0 == 92 || $0 == 45 || $0 == 43 || $0 >= 0x80 })
        else { return line }
        var src = Array(line.utf8)
        if line.fastContains("\\boxed{") {
            src = Array(line.replacingOccurrences(of: "\\boxed{", with: "").replacingOccurrences(of: "}", with: "").utf8)
        }
        // "**", "__", "`" and "*" go.
        var b: [UInt8] = []
        b.reserveCapacity(src.count)
        var k = 0
        while k < src.count {
            let c = src[k]
            if c == 0x2A || c == 0x60 { k += 1; continue }
            if c == 0x5F, k + 1 < src.count, src[k + 1] == 0x5F { k += 2; continue }
            b.append(c)
            k += 1
        }
        // Leading spaces, heading marks and quote marks; one list bullet.
        var start = 0
        while start < b.count, b[start] == 0x20 { start += 1 }
        while start < b.count, b[start] == 0x23 || b[start] == 0x3E {
            start += 1
            while start < b.count, b[start] == 0x20 { start += 1 }
        }
        if start + 1 < b.count, b[start] == 0x2D || b[start] == 0x2B, b[start + 1] == 0x20 {
            start += 2
        } else if start + 3 < b.count, b[start] == 0xE2, b[start + 1] == 0x80, b[start + 2] == 0xA2, b[start + 3] == 0x20 {
            start += 4  // •
        }
        // Underscore emphasis: "_" at word edges becomes a space ("snake_case" keeps it).
        func isLetter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c >= 0x80 }
        for j in start..<b.count where b[j] == 0x5F {
            let before = j > start ? b[j - 1] : 0x20, after = j + 1 < b.count ? b[j + 1] : 0x20
            if !(isLetter(before) && isLetter(after)) { b[j] = 0x20 }
        }
        return String(decoding: b[start...], as: UTF8.self)
    }

    /// Trailing punctuation, quotes and a trailing confidence note removed (on bytes).
    static func trimAnswer(_ s: String) -> String {
        var b = Array(s.utf8)
        func isJunk(_ i: Int, fromEnd: Bool) -> Int {  // the junk's length at i (0: none)
            let c = b[i]
            if c == 0x20 || c == 0x2E || c == 0x21 || c == 0x3F || c == 0x3A || c == 0x3B || c == 0x2C || c == 0x22
                || c == 0x27 || c == 0x09 { return 1 }
            // “ ” ‘ ’ and a no-break space
            if fromEnd {
                if i >= 2, b[i - 2] == 0xE2, b[i - 1] == 0x80, [0x9C, 0x9D, 0x98, 0x99].contains(c) { return 3 }
                if i >= 1, b[i - 1] == 0xC2, c == 0xA0 { return 2 }
            } else {
                if i + 2 < b.count, c == 0xE2, b[i + 1] == 0x80, [0x9C, 0x9D, 0x98, 0x99].contains(b[i + 2]) { return 3 }
                if i + 1 < b.count, c == 0xC2, b[i + 1] == 0xA0 { return 2 }
            }
            return 0
        }
        func trim() {
            var start = 0, end = b.count
            while start < end { let n = isJunk(start, fromEnd: false); if n == 0 { break }; start += n }
            while end > start { let n = isJunk(end - 1, fromEnd: true); if n == 0 { break }; end -= n }
            if start > 0 || end < b.count { b = Array(b[start..<max(start, end)]) }
        }
        // Spaces first, then a trailing "(90% sure)" / "(confidence: high)".
        while let f = b.first, f == 0x20 || f == 0x09 { b.removeFirst() }
        while let l = b.last, l == 0x20 || l == 0x09 { b.removeLast() }
        if b.last == 0x29, let open = b.lastIndex(of: 0x28) {
            let inner = String(decoding: b[open...], as: UTF8.self).lowercased()
            if inner.contains("confiden") || inner.contains("%") || inner.contains("sure") { b = Array(b[..<open]) }
        }
        trim()
        if b.count >= 3, b[1] == 0x3A, b[2] == 0x20, b[0] | 0x20 == 0x61 || b[0] | 0x20 == 0x71 {  // "A: ", "Q: "
            b.removeFirst(3)
            trim()
        }
        return String(decoding: b, as: UTF8.self)
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
