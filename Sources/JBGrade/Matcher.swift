import JBCore

/// The grading modes.
public enum GradeMode: String, Sendable, CaseIterable {
    /// Normalised exact match on any acceptable form (case, punctuation, accents, articles,
    /// spacing, entities, optional parts and alternatives; nothing else).
    case strict
    /// Every rule: numbers, plurals, surnames, misspellings, more specific answers, aliases.
    case lenient
    /// Lenient, and the reply must be phrased as a question.
    case jeopardy
    /// Lenient with thresholds by kind of answer: numbers exact, short answers without
    /// misspellings, long answers by token overlap.
    case adaptive
}

/// What the rules decided about one extracted answer.
public struct Decision: Equatable, Sendable {
    /// The verdict.
    public var correct: Bool
    /// The rule that decided.
    public var method: GradeMethod
    /// Similarity of the extracted answer to the best acceptable form, 0–1.
    public var score: Double
    /// True when the rule is certain (an exact match, a hedge, a refusal): such cases never go
    /// to the judge.
    public var settled: Bool
}

/// The clue side of a case, prepared once.
final class ClueContext {
    private let text: String
    /// Stems of the clue's and category's tokens (computed when a rule first needs them).
    lazy var tokens: Set<String> = Set(Text.canonicalNumbers(Text.tokenize(text)).map(Text.stem))
    /// The clue's tokens as written (folded).
    lazy var words: Set<String> = Set(Text.tokenize(text).map(\.text))
    /// The clue speaks of a person ("he", "this composer").
    lazy var mentionsPerson: Bool = {
        let words = self.words
        // A personal pronoun, or a role noun ("this composer") in a clue that does not say "it"/"its".
        if words.contains(where: { WordLists.personalPronouns.contains($0) }) { return true }
        if words.contains("its") || words.contains("it") { return false }
        return words.contains { WordLists.personCues.contains($0) } || namesPersonNoun
    }()

    /// The clue describes the answer with a noun for a person that the cue list lacks ("this
    /// dictator", "This Russian", "Boxing champ noted for…"): the word after "this"/"these"
    /// (or the one after it), or one of the clue's first two words, whose most common WordNet
    /// sense is a person.
    private var namesPersonNoun: Bool {
        guard let lexicon else { return false }
        let tokens = Text.tokenize(clueText).map(\.text)
        var candidates = Array(tokens.prefix(2))
        for (i, t) in tokens.enumerated() where t == "this" || t == "these" {
            candidates += tokens[(i + 1)..<min(i + 3, tokens.count)]
        }
        return candidates.contains { $0.count > 2 && !WordLists.stopwords.contains($0) && lexicon.isPersonNoun($0) }
    }

    private let clueText: String
    private let lexicon: Lexicon?

    init(clue: String, category: String, lexicon: Lexicon? = nil) {
        clueText = Text.decodeEntities(clue)
        text = clueText + " " + Text.decodeEntities(category)
        self.lexicon = lexicon
    }

    /// The text's bytes, ASCII lowercased (for `mayContain`).
    private lazy var lowerBytes: [UInt8] = text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }

    /// False when `stem` (a folded token) cannot be one of the text's tokens: its bytes occur
    /// nowhere in the text. (True means "maybe": the tokens decide.)
    func mayContain(_ stem: String) -> Bool {
        guard stem.utf8.allSatisfy({ $0 < 0x80 }) else { return true }
        return String.byteSearch(lowerBytes, Array(stem.utf8), backwards: false) != nil
    }
}

/// Decides whether an extracted answer names the archive answer.
struct Matcher {
    let lexicon: Lexicon?

    /// A reply's tokens in every view the rules compare.
    struct Reply {
        let raw: String
        let tokens: [Text.Token]
        let basic: [String]
        let numeric: [String]
        let stems: [String]

        init(_ text: String) {
            raw = text
            tokens = AnswerKey.dropArticleTokens(Text.tokenize(text))
            basic = tokens.map(\.text)
            numeric = Text.canonicalNumbers(tokens)
            stems = numeric.map(Text.stem)
        }
    }

    /// Grades `answer` against `key` in `mode`.
    func decide(_ answer: String, key: AnswerKey, clue: ClueContext, mode: GradeMode) -> Decision {
        let reply = Reply(answer)
        guard !reply.basic.isEmpty else { return Decision(correct: false, method: .empty, score: 0, settled: true) }
        if let d = exactFamily(reply, key, allowNumbers: mode != .strict, allowPlural: mode != .strict) { return d }
        let score = bestSimilarity(reply, key, numeric: mode != .strict)
        if mode == .strict { return Decision(correct: false, method: .noMatch, score: score, settled: false) }

        // "X or Y" naming two candidates is a hedge, even when one of them is right.
        if let d = hedge(answer, reply: reply, key: key, clue: clue, mode: mode) { return d }

        let kind = AnswerKind(key)
        if mode == .adaptive && kind == .number {
            let answerNumbers = Set(key.variants.flatMap(\.numeric))
            let replyNumbers = reply.numeric.filter { $0.first?.isNumber == true }
            if let d = moreSpecific(reply, key, clue: clue, score: score), d.correct,
               replyNumbers.allSatisfy({ answerNumbers.contains($0) }) {
                return d
            }
            return Decision(correct: false, method: .numberMismatch, score: score, settled: true)
        }
        return lenient(reply, key: key, clue: clue, mode: mode, kind: kind, score: score)
    }

    /// The rules after exact matching and hedges.
    func lenient(_ reply: Reply, key: AnswerKey, clue: ClueContext, mode: GradeMode, kind: AnswerKind, score: Double) -> Decision {
        let allowFuzzy = !(mode == .adaptive && kind == .short)
        // A reply with no word in common with any acceptable form, and none close in letters,
        // can only be an alias, initials, a restated clue or another number: the rules that
        // compare words and spellings are skipped (most wrong answers end here, quickly).
        if !Matcher.related(reply, key) {
            if let d = synonym(reply, key, clue: clue) { return d }
            if let d = initials(reply, key) { return d }
            return unmatched(reply, key: key, clue: clue, score: score)
        }
        let whole = person(reply, key, clue: clue, allowFuzzy: allowFuzzy, score: score)
        if whole?.correct != true, let comma = reply.raw.firstIndex(of: ","),
           let head = person(Reply(String(reply.raw[..<comma])), key, clue: clue, allowFuzzy: allowFuzzy, score: score), head.correct {
            return head  // "Lincoln, the 16th president"
        }
        if let d = whole { return d }
        if let d = moreSpecific(reply, key, clue: clue, score: score) { return d }
        if let d = familyMembers(reply, key, score: score) { return d }
        let partial = self.partial(reply, key, score: score)
        if let p = partial, p.correct { return p }
        if let d = synonym(reply, key, clue: clue) { return d }
        if let d = initials(reply, key) { return d }
        if let p = partial { return p }
        if !(mode == .adaptive && kind == .short), let d = fuzzy(reply, key, score: score) { return d }
        if mode == .adaptive && kind == .long, let d = tokenOverlap(reply, key, score: score) { return d }
        return unmatched(reply, key: key, clue: clue, score: score)
    }

    /// True when some reply word shares a word, or most of its letters, with a word of an
    /// acceptable form (or the joined forms do): only then can the word and spelling rules apply.
    static func related(_ r: Reply, _ key: AnswerKey) -> Bool {
        func bag(_ s: String) -> [UInt8] {
            var counts = [UInt8](repeating: 0, count: 27)
            for u in s.utf8 {
                let i = u >= 0x61 && u <= 0x7A ? Int(u - 0x61) : 26
                if counts[i] < 255 { counts[i] += 1 }
            }
            return counts
        }
        func close(_ a: String, _ b: String) -> Bool {
            if a == b { return true }
            let la = a.utf8.count, lb = b.utf8.count
            guard abs(la - lb) <= 4 else { return false }
            let x = bag(a), y = bag(b)
            var common = 0
            for i in 0..<27 { common += Int(min(x[i], y[i])) }
            return common * 5 >= max(la, lb) * 3  // 60% of the letters
        }
        let replyWords = Set(r.stems + r.basic)
        for v in key.variants {
            if !replyWords.isDisjoint(with: v.stems) || !replyWords.isDisjoint(with: v.basic) { return true }
            for a in r.basic { for b in v.basic where close(a, b) { return true } }
            if close(r.basic.joined(), v.basic.joined()) { return true }
        }
        return false
    }

    /// The end of the rules: a restated clue, another number, or no match.
    func unmatched(_ reply: Reply, key: AnswerKey, clue: ClueContext, score: Double) -> Decision {
        if restatesClue(reply, clue: clue) { return Decision(correct: false, method: .restatesClue, score: score, settled: true) }
        // Numbers are exact: "Apollo Eleven" is not Apollo 13, however close the letters.
        let replyNumbers = Set(reply.numeric.filter { $0.first?.isNumber == true })
        if !replyNumbers.isEmpty, key.variants.allSatisfy({ v in
            let n = Set(v.numeric.filter { $0.first?.isNumber == true })
            return !n.isEmpty && n != replyNumbers
        }) {
            return Decision(correct: false, method: .numberMismatch, score: score, settled: true)
        }
        return Decision(correct: false, method: .noMatch, score: score, settled: false)
    }

    // MARK: Exact family

    func exactFamily(_ r: Reply, _ key: AnswerKey, allowNumbers: Bool, allowPlural: Bool) -> Decision? {
        func method(_ v: AnswerKey.Variant, _ base: GradeMethod) -> GradeMethod {
            v.alternative > 0 ? .alternative : (v.optionalChanged ? .optionalPart : base)
        }
        let joinedBasic = r.basic.joined()
        for v in key.variants where r.basic == v.basic || joinedBasic == v.basic.joined() {
            return Decision(correct: true, method: method(v, .exact), score: 1, settled: true)
        }
        guard allowNumbers else { return nil }
        let joinedNumeric = r.numeric.joined()
        for v in key.variants where r.numeric == v.numeric || joinedNumeric == v.numeric.joined() {
            return Decision(correct: true, method: v.alternative > 0 ? .alternative : .number, score: 1, settled: true)
        }
        guard allowPlural else { return nil }
        for v in key.variants where r.stems == v.stems || r.stems.joined() == v.stems.joined() {
            // "odd" for odds: a plural that is a word of its own with another meaning.
            if let lexicon, r.numeric.count == v.numeric.count {
                for (a, b) in zip(r.numeric, v.numeric) where a != b {
                    // The plural is the word whose stem differs from itself (odds → odd, mice → mouse).
                    let (plural, singular) = Text.stem(a) != a ? (a, b) : (b, a)
                    if lexicon.pluralChangesMeaning(plural: plural, singular: singular) {
                        return Decision(correct: false, method: .pluralMeaning, score: Text.similarity(a, b), settled: false)
                    }
                }
            }
            return Decision(correct: true, method: v.alternative > 0 ? .alternative : .plural, score: 1, settled: true)
        }
        return nil
    }

    // MARK: Hedges

    func hedge(_ answer: String, reply: Reply, key: AnswerKey, clue: ClueContext, mode: GradeMode) -> Decision? {
        // Cheap first: no "or", "/" or hedging word anywhere, no hedge.
        let probe = answer.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        guard Matcher.hedgeProbes.contains(where: { String.byteSearch(probe, $0, backwards: false) != nil }) else { return nil }
        let lowered = answer.lowercased()
        var text = " " + (lowered.utf8.contains(0x2F) ? lowered.replacingOccurrences(of: "/", with: " or ") : lowered) + " "
        for connector in WordLists.hedgeConnectors where text.fastContains(connector) {
            text = text.replacingOccurrences(of: connector, with: " or ")
        }
        let tokens = Text.tokenize(text).map(\.text)
        guard tokens.contains("or") else { return nil }
        if key.variants.contains(where: { $0.basic.contains("or") }) { return nil }
        var parts: [[String]] = [[]]
        for t in tokens {
            if t == "or" { parts.append([]) } else { parts[parts.count - 1].append(t) }
        }
        let candidates = parts.map { $0.filter { !WordLists.hedgeWords.contains($0) } }.filter { !$0.isEmpty }
        guard candidates.count >= 2 else { return nil }
        var right = 0
        for c in candidates {
            let sub = Reply(c.joined(separator: " "))
            // Each candidate must name the answer by itself (not merely contain it).
            if exactFamily(sub, key, allowNumbers: true, allowPlural: true)?.correct == true
                || person(sub, key, clue: clue, allowFuzzy: true, score: 0)?.correct == true
                || synonym(sub, key, clue: clue)?.correct == true || fuzzy(sub, key, score: 0) != nil {
                right += 1
            }
        }
        if right == candidates.count {
            return Decision(correct: true, method: .alternative, score: 1, settled: true)  // "Peking or Beijing"
        }
        return Decision(correct: false, method: .hedge, score: bestSimilarity(reply, key), settled: true)
    }

    /// Every hedge connector contains one of these (`WordLists.hedgeConnectors`, "or", "/").
    static let hedgeProbes: [[UInt8]] = ["or", "/", "maybe", "perhaps", "possibly", "probably", "versus", "vs", "might",
                                         "could", "may"].map { Array($0.utf8) }

    // MARK: People

    /// Surname alone, surname with initials or some given names, and first names alone.
    func person(_ r: Reply, _ key: AnswerKey, clue: ClueContext, allowFuzzy: Bool, score: Double) -> Decision? {
        // A title in quotes is a work, not a person ("The Last Supper"). The clue speaks of a
        // person, or WordNet knows the answer as one (Edward Kennedy, in "this Mass. Dem.").
        guard !key.isTitle, clue.mentionsPerson || key.variants.contains(where: { v in
            isPersonName(v) && (lexicon?.isPerson(v.basic) ?? false)
        }) else { return nil }
        for v in key.variants where isPersonName(v) {
            var names = v.basic
            while let last = names.last, names.count > 1, WordLists.nameSuffixes.contains(last) { names.removeLast() }
            guard names.count >= 2, let surname = names.last else { continue }
            let given = Array(names.dropLast())
            guard let replyLast = r.basic.last else { continue }
            var surnameFuzzy = false
            if replyLast != surname {
                guard allowFuzzy, misspelling(replyLast, of: surname) else {
                    // A first name (and initials) alone is never enough, unless it is the
                    // person's own short name ("Mao" for Mao Zedong: the family name comes first).
                    if r.basic.allSatisfy({ t in given.contains(t) || (t.count == 1 && given.contains { $0.hasPrefix(t) }) }) {
                        if r.basic.count == 1, AliasTable.same(r.numeric, v.numeric)
                            || (lexicon?.synonyms(r.basic, v.basic) ?? false) {
                            return Decision(correct: true, method: .synonym, score: score, settled: false)
                        }
                        return Decision(correct: false, method: .firstNameOnly, score: score, settled: true)
                    }
                    continue
                }
                surnameFuzzy = true
            }
            let others = Array(r.basic.dropLast())
            if others.isEmpty {
                let ambiguous = clue.words.contains(surname) || clue.words.contains(where: { WordLists.kinWords.contains($0) })
                if ambiguous {
                    return Decision(correct: false, method: .lastNameAmbiguous, score: score, settled: false)
                }
                return Decision(correct: true, method: surnameFuzzy ? .fuzzy : .lastName, score: score, settled: !surnameFuzzy)
            }
            // Other reply words must be the answer's given names, or their initials.
            let initials = String(given.compactMap(\.first))
            let keyHasInitials = given.contains { $0.count <= 2 }
            var consistent = true, extraMiddle = false
            for (position, t) in others.enumerated() {
                let ok = given.contains(t) || WordLists.nameParticles.contains(t) || WordLists.honorifics.contains(t)
                    || (t.count <= 3 && t.count >= 1 && initials.contains(t))
                    || (t.count == 1 && given.contains { $0.hasPrefix(t) })
                    || given.contains { $0.count == 1 && t.hasPrefix($0) }
                    || (allowFuzzy && given.contains { misspelling(t, of: $0) || givenNameVariant(t, of: $0) })
                    || given.contains { Matcher.shortGivenName(t, of: $0) || Matcher.shortGivenName($0, of: t) }
                if ok { continue }
                // A middle initial the archive leaves out ("Richard M. Nixon"), after the
                // right first name, when the archive writes no initials of its own.
                if t.count == 1, position > 0, !keyHasInitials, let first = given.first, others.first == first {
                    continue
                }
                // A middle name the archive leaves out ("Thomas Alva Edison"): only when
                // WordNet says the longer name is the same person (John Quincy Adams is not John Adams).
                if position > 0, let first = given.first, others.first == first, t.count > 1 {
                    extraMiddle = true
                    continue
                }
                consistent = false
                break
            }
            if consistent, let lexicon {
                let replyNames = Array(r.basic.drop(while: { WordLists.honorifics.contains($0) }))
                let replySenses = lexicon.synsets(replyNames), keySenses = lexicon.synsets(v.basic)
                if extraMiddle && (replySenses.isEmpty || keySenses.isEmpty || !replySenses.contains(where: keySenses.contains)) {
                    consistent = false
                } else if !replySenses.isEmpty, !keySenses.isEmpty, !replySenses.contains(where: keySenses.contains) {
                    consistent = false  // WordNet knows both names as different people
                }
            } else if extraMiddle {
                consistent = false
            }
            if consistent {
                return Decision(correct: true, method: surnameFuzzy ? .fuzzy : .lastName, score: score, settled: !surnameFuzzy)
            }
            // Another of the person's names ("Mohandas Gandhi" for Mahatma Gandhi).
            if AliasTable.same(r.numeric, v.numeric) || (lexicon?.synonyms(r.basic, v.basic) ?? false) {
                return Decision(correct: true, method: .synonym, score: score, settled: false)
            }
            return Decision(correct: false, method: .differentGivenName, score: score, settled: true)
        }
        return nil
    }

    /// A familiar short form of a given name: its first letters ("Ben" for Benjamin, "Fred" for
    /// Frederick, at least three of them) or a common English pet form (`WordLists.petNames`:
    /// "Bill" for William).
    static func shortGivenName(_ word: String, of given: String) -> Bool {
        if word.count >= 3, given.count > word.count, given.hasPrefix(word) { return true }
        return WordLists.petNames[word]?.contains(given) ?? false
    }

    /// A name of a person: two to five capitalised words, no digits, no leading title.
    func isPersonName(_ v: AnswerKey.Variant) -> Bool {
        let words = v.tokens
        guard words.count >= 2, words.count <= 5 else { return false }
        if WordLists.nameTitles.contains(words[0].text) { return false }
        if words.contains(where: { $0.text == "and" || $0.text == "of" }) { return false }
        if v.numeric.contains(where: { $0.first?.isNumber == true }) { return false }  // Henry VIII, Elizabeth I
        // South Africa, Lake Superior, New Mexico: places and things, not people.
        if v.basic.contains(where: { WordLists.distinguishingModifiers.contains($0) || WordLists.genericHeads.contains($0)
            || WordLists.places[$0] != nil || WordLists.nonPersonHeads.contains($0) }) { return false }
        for w in words {
            if !w.capitalized && !WordLists.nameParticles.contains(w.text) { return false }
        }
        return true
    }

    // MARK: More specific

    /// The answer inside a longer reply: `Paris, France`, `Atlantic hurricanes`, `the HMS Beagle`,
    /// unless the extra words contradict the clue (`Birmingham, Alabama` for the English city).
    func moreSpecific(_ r: Reply, _ key: AnswerKey, clue: ClueContext, score: Double) -> Decision? {
        for v in key.variants where !v.stems.isEmpty && r.stems.count > v.stems.count {
            guard let start = find(v.stems, in: r.stems) else { continue }
            let after = Array(r.numeric[(start + v.stems.count)...])
            let extras = Array(r.numeric[..<start]) + after
            // A sentence that only mentions the answer ("The planet next to Mars is Jupiter.",
            // "I have never been to Beijing's airport."): it says something else about it.
            // The answer first, then a clause about it ("the Mona Lisa, which hangs in the
            // Louvre", "Mars is the fourth planet") still names it; negation and doubt are
            // judged below.
            let describesAnswer = start == 0 && after.first.map { ["which", "who", "whose", "that", "where", "is", "was", "are", "were"].contains($0) } == true
                && !extras.contains(where: { ["not", "no", "never", "isnt", "wasnt", "arent"].contains($0) })
            if !describesAnswer, extras.contains(where: { WordLists.sentenceWords.contains($0) }) || extras.count > 8 {
                return Decision(correct: false, method: .mention, score: score, settled: false)
            }
            // "Alexandre Dumas fils", "Martin Luther King Jr.": the son or namesake, not the answer.
            if extras.contains(where: { WordLists.namesakeMarks.contains($0) }) && !v.basic.contains(where: { WordLists.namesakeMarks.contains($0) }) {
                return Decision(correct: false, method: .contradiction, score: score, settled: false)
            }
            var placeSettled = false
            if let lexicon {
                // WordNet knows the longer name as something else (Martin Luther King for Martin Luther).
                // (A kind of the answer is fine: the Petrarchan sonnet is a sonnet.)
                let replySenses = lexicon.synsets(r.basic), keySenses = lexicon.synsets(v.basic)
                if !replySenses.isEmpty, !keySenses.isEmpty, !replySenses.contains(where: keySenses.contains),
                   !replySenses.contains(where: { !lexicon.kinds($0).isDisjoint(with: keySenses) }) {
                    return Decision(correct: false, method: .contradiction, score: score, settled: false)
                }
                // "Portland, Oregon" for the Maine city; "Paris, Texas" for the French capital.
                let afterBasic = Array(r.basic.suffix(after.count))
                if let consistent = placeQualifier(afterBasic, answer: v, clue: clue, lexicon: lexicon) {
                    if !consistent { return Decision(correct: false, method: .contradiction, score: score, settled: false) }
                    placeSettled = true
                }
            }
            if let first = after.first {
                // "Spain and Portugal": two answers; "Rocky II", "The Godfather Part II": another title.
                if ["and", "or", "nor", "plus"].contains(first) { return Decision(correct: false, method: .hedge, score: score, settled: false) }
                // "Napoleon I", "Napoleon the First": a ruler known by one name is the first of it.
                let regnalFirst = after == ["1"] && start == 0 && v.basic.count == 1 && isRulerName(v)
                    && ["i", "first"].contains(r.basic.last ?? "")
                if !regnalFirst, first.first?.isNumber == true || ["part", "volume", "vol", "chapter", "episode", "season", "book", "sequel"].contains(first) {
                    return Decision(correct: false, method: .contradiction, score: score, settled: false)
                }
            }
            if !Set(extras).isDisjoint(with: WordLists.doubtWords) {
                return Decision(correct: false, method: .hedge, score: score, settled: false)
            }
            if let reason = contradiction(extras, clue: clue, answer: v, placesChecked: placeSettled) {
                return Decision(correct: false, method: reason, score: score, settled: false)
            }
            return Decision(correct: true, method: .moreSpecific, score: score, settled: false)
        }
        return nil
    }

    /// A one-word name, capitalised, that is no number, title or place: the kind of name a
    /// ruler is known by (Napoleon, Charlemagne).
    func isRulerName(_ v: AnswerKey.Variant) -> Bool {
        guard v.tokens.count == 1, let t = v.tokens.first, t.capitalized else { return false }
        return t.text.count >= 3 && t.text.allSatisfy(\.isLetter) && WordLists.places[t.text] == nil
    }

    /// Whether a place named after the answer ("Portland, Oregon") holds a sense of the answer
    /// that is the one the clue means: true (consistent), false (another place of the same name,
    /// or a place the answer is not in), nil (WordNet cannot tell).
    func placeQualifier(_ after: [String], answer v: AnswerKey.Variant, clue: ClueContext, lexicon: Lexicon) -> Bool? {
        let words = after.filter { !["state", "of", "in", "county", "province", "city", "republic", "and"].contains($0) }
        guard !words.isEmpty, words.count <= 4 else { return nil }
        let senses = lexicon.synsets(v.basic)
        guard !senses.isEmpty else { return nil }
        // The place: the whole phrase, else its words one by one.
        var places = Set(lexicon.synsets(words))
        if places.isEmpty { for w in words { places.formUnion(lexicon.synsets([w])) } }
        guard !places.isEmpty else { return nil }
        let wholes = senses.map { lexicon.wholes($0) }
        // Only an answer that is a place (part of something) can be placed elsewhere: "D-Day,
        // the Normandy landings" says what D-Day was, not where another D-Day lies.
        guard wholes.contains(where: { !$0.isEmpty }) else { return nil }
        // Only places count: the qualifier must itself be part of something, or contain a sense.
        // A named place (an instance: Oregon, Texas), not a kind of thing ("the Amazon River").
        let named = places.filter { lexicon.entry($0)?.isInstance == true }
        guard !named.isEmpty else { return nil }
        places = named
        let qualifierIsPlace = places.contains { !(lexicon.entry($0)?.partOf.isEmpty ?? true) }
            || wholes.contains { !$0.isDisjoint(with: places) }
        guard qualifierIsPlace else { return nil }
        let replySenses = senses.indices.filter { !wholes[$0].isDisjoint(with: places) }
        guard !replySenses.isEmpty else { return false }  // "Philadelphia, Mississippi"
        // The senses that are places at all compete for the clue's meaning (not "Ottawa" the people).
        let placeSenses = senses.indices.filter { !wholes[$0].isEmpty }
        guard placeSenses.count > 1 else { return true }
        return replySenses.contains(placeSenses[clueSense(placeSenses.map { senses[$0] }, clue: clue, lexicon: lexicon)])
    }

    /// Which sense of an answer with several the clue means: the one whose place or gloss the
    /// clue's words name most (the Maine Portland for "this largest Maine city"); else WordNet's
    /// first (most common) sense.
    func clueSense(_ senses: [Int32], clue: ClueContext, lexicon: Lexicon) -> Int {
        // Clue words in the gloss count 1, clue words naming a place the sense lies in count 3
        // ("Maine" for the Maine Portland); numbers do not count (a birth year in a gloss).
        let clueWords = clue.tokens.filter { $0.count >= 3 && $0.first?.isLetter == true && !WordLists.stopwords.contains($0) }
        var scores: [Int] = []
        for sense in senses {
            let gloss = Set(Text.tokenize(lexicon.entry(sense)?.gloss ?? "").map { Text.stem($0.text) })
            // Only the near wholes (state, country): continents and hemispheres name too much.
            var placeText = ""
            for w in lexicon.wholes(sense, depth: 2) {
                placeText += " " + (lexicon.entry(w)?.words.joined(separator: " ") ?? "").replacingOccurrences(of: "_", with: " ")
            }
            let places = Set(Text.tokenize(placeText).map { Text.stem($0.text) })
            let countries = Set(places.compactMap { WordLists.places[$0] })
            scores.append(clueWords.reduce(0) { total, w in
                // "English" in the clue names England's country too.
                if places.contains(w) { return total + 3 }
                // (Not "American": every U.S. namesake would match it.)
                if let code = WordLists.places[w], code != "us", countries.contains(code) { return total + 3 }
                return total + (gloss.contains(w) ? 1 : 0)
            })
        }
        // WordNet's first sense is the most common: another must beat it clearly.
        var best = 0
        for i in scores.indices where scores[i] >= scores[0] + 2 && scores[i] > scores[best] { best = i }
        return best
    }

    func contradiction(_ extras: [String], clue: ClueContext, answer: AnswerKey.Variant, placesChecked: Bool = false) -> GradeMethod? {
        let extraSet = Set(extras)
        if extras.contains(where: { ["not", "non", "anti", "or", "nor"].contains($0) }) { return .contradiction }
        // A political unit of another kind than the clue's ("the state of Georgia" for a nation).
        let replyState = !extraSet.isDisjoint(with: WordLists.stateWords)
        let replyNation = !extraSet.isDisjoint(with: WordLists.nationWords)
        let clueState = !clue.words.isDisjoint(with: WordLists.stateWords)
        let clueNation = !clue.words.isDisjoint(with: WordLists.nationWords)
        if (replyState && clueNation && !clueState) || (replyNation && clueState && !clueNation) { return .contradiction }
        // A place in another country, or another U.S. state, than the clue says (when WordNet
        // could not say where the answer lies).
        if placesChecked { return nil }
        let cluePlaces = Set(clue.words.compactMap { WordLists.places[$0] })
        let clueStates = clue.words.filter { WordLists.usStates.contains($0) }
        for e in extras where !clue.words.contains(e) && !answer.basic.contains(e) {
            if let country = WordLists.places[e], !cluePlaces.isEmpty, !cluePlaces.contains(country) { return .contradiction }
            if WordLists.usStates.contains(e), !clueStates.isEmpty { return .contradiction }
        }
        return nil
    }

    private func find(_ needle: [String], in hay: [String]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    /// "Orville and Wilbur Wright" for the Wright brothers: the members of a family or group
    /// named by their given names and the family name the answer has.
    func familyMembers(_ r: Reply, _ key: AnswerKey, score: Double) -> Decision? {
        for v in key.variants where v.basic.count == 2 && WordLists.familyWords.contains(v.basic[1]) {
            let family = v.basic[0]
            guard r.tokens.count >= 4, r.basic.last == family else { continue }
            let names = r.tokens.dropLast().filter { !["and", "&"].contains($0.text) }
            let connectors = r.tokens.count - 1 - names.count
            guard names.count >= 2, connectors >= 1, names.allSatisfy({ $0.capitalized && $0.text.count >= 2 }),
                  !names.contains(where: { $0.text == family || WordLists.familyWords.contains($0.text) }) else { continue }
            return Decision(correct: true, method: .moreSpecific, score: score, settled: false)
        }
        return nil
    }

    // MARK: Partial answers

    /// A reply that is part of the answer: right when only generic words were left out (`the
    /// Wrights`) or it is a group's short name (`the Stones`); otherwise too general or missing a
    /// required part (`an eagle` for the bald eagle, `Ireland` for Northern Ireland).
    func partial(_ r: Reply, _ key: AnswerKey, score: Double) -> Decision? {
        for v in key.variants where r.stems.count < v.stems.count {
            guard let start = find(r.stems, in: v.stems) else { continue }
            let droppedIndices = Array(0..<start) + Array((start + r.stems.count)..<v.stems.count)
            // A title is left out of a name ("Victoria" for Queen Victoria), not of a common
            // noun ("a penguin" is not the emperor penguin).
            if droppedIndices.allSatisfy({ WordLists.genericHeads.contains(v.stems[$0])
                || (WordLists.nameTitles.contains(v.stems[$0]) && $0 < v.tokens.count && v.tokens[$0].capitalized) }) {
                return Decision(correct: true, method: .shortName, score: score, settled: false)
            }
            // A team's or group's short name: the end of a capitalised name whose last word is a
            // plural (`the Stones`, `the Yankees`, `the Red Sox`), unless the word left out just
            // before it changes the thing (`Ireland` for Northern Ireland).
            if start + r.stems.count == v.stems.count, start > 0, let last = v.tokens.last, last.capitalized,
               last.text.hasSuffix("s") || r.stems.count >= 2,
               v.tokens.allSatisfy({ $0.capitalized || WordLists.nameParticles.contains($0.text) }),
               !WordLists.distinguishingModifiers.contains(v.basic[start - 1]) {
                return Decision(correct: true, method: .shortName, score: score, settled: false)
            }
            return Decision(correct: false, method: .partial, score: score, settled: false)
        }
        return nil
    }

    // MARK: Aliases

    /// Another name for the same thing, when the lexicon knows both (`Ike`, `the northern lights`).
    func synonym(_ r: Reply, _ key: AnswerKey, clue: ClueContext) -> Decision? {
        // Words taken from the clue are a restatement, not an alias ("the capital of Australia").
        if restatesClue(r, clue: clue, minimum: 1) { return nil }
        // The curated table first: nicknames, acronyms, renamed places (AliasTable.swift).
        for v in key.variants where AliasTable.same(r.numeric, v.numeric) {
            return Decision(correct: true, method: .synonym, score: bestSimilarity(r, key), settled: false)
        }
        // A title is its own name: WordNet's synonyms of its words are other titles.
        guard let lexicon, !key.isTitle else { return nil }
        let replyNumbers = Set(r.numeric.filter { $0.first?.isNumber == true })
        for v in key.variants {
            // A successor state, a part or a whole that WordNet files together (AliasTable.distinctText).
            if AliasTable.differ(r.numeric, v.numeric) { continue }
            // Another number is another thing (Elizabeth II is not Elizabeth I).
            if !replyNumbers.isEmpty, replyNumbers != Set(v.numeric.filter { $0.first?.isNumber == true }) { continue }
            let isPerson = isPersonName(v) && clue.mentionsPerson
            // A single reply word that is part of a person's name is for the surname rules to judge.
            if isPerson && r.basic.count == 1 && v.basic.contains(r.basic[0]) { continue }
            var forms = [v.basic]
            if isPerson {
                let noInitials = v.basic.filter { $0.count > 1 }
                if noInitials != v.basic { forms.append(noInitials) }
                // "JFK": a nickname of the person the surname names, when the reply lacks the surname.
                if let last = v.basic.last, !r.basic.contains(last) { forms.append([last]) }
            }
            // The answer's own sense: the shared meaning must be the answer's first (most
            // common) sense, so "Hispaniola" (the island) is not Haiti (the country).
            for f in forms where lexicon.synonyms(r.basic, f, firstSenseOfSecond: true) {
                return Decision(correct: true, method: .synonym, score: bestSimilarity(r, key), settled: false)
            }
        }
        return nil
    }

    // MARK: Misspellings

    /// Same words, some misspelled in a way that keeps the sound and makes no other real word.
    func fuzzy(_ r: Reply, _ key: AnswerKey, score: Double) -> Decision? {
        for v in key.variants {
            if r.numeric.count == v.numeric.count {
                var changed = false, ok = true
                for (a, b) in zip(r.numeric, v.numeric) where a != b && Text.stem(a) != Text.stem(b) {
                    if misspelling(a, of: b) { changed = true } else { ok = false; break }
                }
                if ok && changed { return Decision(correct: true, method: .fuzzy, score: score, settled: false) }
            }
            // The same words in another order: "July 4th" for the 4th of July.
            let filler: Set<String> = ["of", "and", "in", "on", "at"]
            let ra = r.numeric.filter { !filler.contains($0) }, va = v.numeric.filter { !filler.contains($0) }
            if ra.count >= 2, ra.sorted() == va.sorted() {
                return Decision(correct: true, method: .reordered, score: score, settled: false)
            }
            // Words run together or split apart: "Michael Angelo", "Spiderman".
            let a = r.numeric.joined(), b = v.numeric.joined()
            if r.numeric.count != v.numeric.count, a != b, a.count >= 6,
               r.numeric.allSatisfy({ t in !(lexicon?.isWord(t) ?? false) || v.numeric.contains(t) }), misspelling(a, of: b) {
                return Decision(correct: true, method: .fuzzy, score: score, settled: false)
            }
        }
        return nil
    }

    /// True when `word` is a recognisable misspelling of `target`: close in letters, the same
    /// sound, no digits, and not itself another real word.
    func misspelling(_ word: String, of target: String) -> Bool {
        if word == target { return true }
        guard word.count >= 4, target.count >= 4 else { return false }
        if word.contains(where: \.isNumber) || target.contains(where: \.isNumber) { return false }
        let length = max(word.count, target.count)
        guard abs(word.count - target.count) <= 3 else { return false }
        let d = Text.distance(word, target)
        guard d <= 4 else { return false }
        // Two neighbouring letters swapped ("Dtuch" for Dutch): a typing slip, whatever the
        // sound, as long as the result is no real word (WordNet tells, when present) and has 5 letters or more.
        if d == 1, Text.isTransposition(word, target), word.count >= 5 {
            return !isOtherWord(word, than: target)
        }
        // Another romanisation of the same name ("Khadafy", "Tchekhov", "Dostoyevsky").
        if length >= 5, Text.skeleton(word) == Text.skeleton(target) {
            return !isOtherWord(word, than: target)
        }
        guard d <= 3 else { return false }
        let pw = Text.phonetic(word), pt = Text.phonetic(target)
        // Letters may differ more when the sound is the same ("Ghandi" for Gandhi).
        let allowed = length >= 14 ? 3 : (length >= 10 || (pw == pt && length >= 6) ? 2 : 1)
        guard d <= allowed else { return false }
        if pw != pt {
            guard min(pw.count, pt.count) >= 5, Text.distance(pw, pt) <= 1 else { return false }
        }
        return !isOtherWord(word, than: target)  // Austria, Gambia, anecdote: other real words
    }

    /// True when WordNet knows `word` as a word or name that is not `target`: a spelling that
    /// is another real word is another answer, unless the two share a sense (`Gaddafi`,
    /// `Qaddafi` and `Khadafy` are one man's names in WordNet).
    func isOtherWord(_ word: String, than target: String) -> Bool {
        guard let lexicon, lexicon.isWord(word) else { return false }
        return !lexicon.synonyms([word], [target])
    }

    /// A given name in another spelling or language ("Alexander" for Alexandre, "Nicholas" for
    /// Nicolaus, "Lev" for Leo): the same first letter and close letters once transliteration is
    /// set aside. Unlike a surname, a given name that is also a word is still a spelling of it.
    func givenNameVariant(_ word: String, of target: String) -> Bool {
        guard let a = word.first, let b = target.first, a == b, word.count >= 3, target.count >= 3 else { return false }
        if word.count == 3 || target.count == 3 {
            return word.prefix(2) == target.prefix(2) && Text.distance(word, target) <= 1
        }
        let length = max(word.count, target.count)
        let allowed = length >= 7 ? 2 : 1
        return Text.distance(word, target) <= allowed || Text.distance(Text.skeleton(word), Text.skeleton(target)) <= allowed - 1
            || (length >= 7 && Text.distance(Text.skeleton(word), Text.skeleton(target)) <= 2)
    }

    // MARK: Long answers

    /// Adaptive mode, long answers: token F1 of at least 0.75.
    func tokenOverlap(_ r: Reply, _ key: AnswerKey, score: Double) -> Decision? {
        let replySet = Set(r.stems)
        for v in key.variants where v.stems.count >= 4 {
            let answerSet = Set(v.stems)
            let common = Double(replySet.intersection(answerSet).count)
            guard common > 0 else { continue }
            let p = common / Double(replySet.count), rc = common / Double(answerSet.count)
            let f1 = 2 * p * rc / (p + rc)
            if f1 >= 0.75 { return Decision(correct: true, method: .tokenOverlap, score: f1, settled: false) }
        }
        return nil
    }

    // MARK: Restating the clue

    /// Two or more content words, all taken from the clue: "Who is the patron saint of Ireland?".
    func restatesClue(_ r: Reply, clue: ClueContext, minimum: Int = 2) -> Bool {
        let content = r.stems.filter { !WordLists.stopwords.contains($0) }
        guard content.count >= minimum else { return false }
        // Cheap first: a word whose letters are nowhere in the clue ends it before the clue is tokenised.
        for w in content where !clue.mayContain(w) { return false }
        return content.allSatisfy { clue.tokens.contains($0) }
    }

    /// Initials of a multi-word name: `JFK` for John F. Kennedy, `FDR`, `NATO`-style short forms.
    func initials(_ r: Reply, _ key: AnswerKey) -> Decision? {
        guard r.basic.count == 1, let word = r.basic.first, word.count >= 2, word.count <= 6,
              word.allSatisfy(\.isLetter) else { return nil }
        for v in key.variants where v.basic.count >= 2 {
            let all = String(v.basic.compactMap(\.first))
            let content = String(v.basic.filter { !["of", "and", "for", "in", "on", "de"].contains($0) }.compactMap(\.first))
            if word == all || word == content {
                return Decision(correct: true, method: .initials, score: bestSimilarity(r, key), settled: false)
            }
        }
        return nil
    }

    // MARK: Score

    /// The best letter similarity between the reply and any acceptable form (or a person's surname).
    func bestSimilarity(_ r: Reply, _ key: AnswerKey, numeric: Bool = true) -> Double {
        let a = (numeric ? r.numeric : r.basic).joined(separator: " ")
        var best = 0.0
        for v in key.variants {
            best = max(best, Text.similarity(a, (numeric ? v.numeric : v.basic).joined(separator: " ")))
            if best == 1 { break }
        }
        return (best * 1000).rounded() / 1000
    }
}

/// The kind of answer, for adaptive thresholds.
enum AnswerKind: Equatable {
    case number, short, long, normal

    init(_ key: AnswerKey) {
        let v = key.variants.first { $0.alternative == 0 && !$0.optionalChanged } ?? key.variants[0]
        if !v.numeric.isEmpty && v.numeric.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            self = .number
        } else if v.numeric.count == 1 && v.numeric[0].count <= 5 {
            self = .short
        } else if v.numeric.count >= 4 {
            self = .long
        } else {
            self = .normal
        }
    }
}
