import Foundation
import JBCore

/// Text clean-up and tokenising shared by the answer key, the extractor and the matcher.
///
/// Every comparison works on tokens: lowercase, accents folded, punctuation gone, apostrophes
/// and abbreviation periods joined (`Macy's` → `macys`, `D.N.A.` → `dna`), `&` read as `and`.
enum Text {
    // MARK: Archive clean-up

    /// Decodes HTML entities (`&amp;`, `&euml;`, `&#233;`, `&#xE9;`) with JBCore's `TextCleaner`,
    /// so the grader and the ingester read the archive's leftovers alike.
    static func decodeEntities(_ s: String) -> String {
        guard s.utf8.contains(38) || s.utf8.contains(60) else { return s }  // & <
        return TextCleaner.clean(s).text
    }

    /// Removes the scrape's backslash escapes: `\"Star Wars\"` → `"Star Wars"`, `It\'s` → `It's`.
    static func unescape(_ s: String) -> String {
        guard s.utf8.contains(92) else { return s }  // backslash
        var out = ""
        var escaped = false
        for c in s {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    /// An archive answer made plain the way jb-ingest cleans it (JBCore's `TextCleaner`:
    /// tags removed, entities decoded, backslash escapes before quotes removed, spaces
    /// normalised), so a key from another tool's export or an old database matches like one
    /// that came through jb-ingest; any backslash left after that is dropped too.
    static func cleanArchive(_ s: String) -> String { unescape(TextCleaner.clean(s).text) }

    // MARK: Tokens

    /// One token and whether it was written in capitals (for Roman numerals and names).
    struct Token: Equatable, Sendable {
        var text: String
        var upper: Bool
        var capitalized: Bool
    }

    /// Splits text into folded tokens.
    static func tokenize(_ s: String) -> [Token] {
        var tokens: [Token] = []
        var current = String.UnicodeScalarView()
        var upperCount = 0, letterCount = 0, firstUpper = false
        var previous: Unicode.Scalar = " "
        func flush() {
            if !current.isEmpty {
                tokens.append(Token(text: String(current), upper: letterCount > 0 && upperCount == letterCount,
                                    capitalized: firstUpper))
            }
            current = String.UnicodeScalarView()
            upperCount = 0; letterCount = 0; firstUpper = false
        }
        let scalars = Array(s.unicodeScalars)
        var k = 0
        while k < scalars.count {
            let u = scalars[k]
            let next: Unicode.Scalar = k + 1 < scalars.count ? scalars[k + 1] : " "
            defer { previous = u; k += 1 }
            if u.isASCII {
                let v = u.value
                if v >= 0x61 && v <= 0x7A || v >= 0x30 && v <= 0x39 {
                    if current.isEmpty { firstUpper = false }
                    if v >= 0x61 { letterCount += 1 }
                    current.append(u)
                } else if v >= 0x41 && v <= 0x5A {
                    if current.isEmpty { firstUpper = true }
                    letterCount += 1; upperCount += 1
                    current.append(Unicode.Scalar(v + 0x20)!)
                } else if u == "'" || u == "`" {
                    continue  // Macy's → macys
                } else if u == "." {
                    if isDigit(previous) && isDigit(next) { current.append(u) }  // 3.14
                    else if isLetter(previous) && isLetter(next) && !current.isEmpty && current.count <= 2 { continue }  // D.N.A.
                    else if isLetter(previous) && current.count <= 1 { continue }  // J.S. → js
                    else { flush() }
                } else if u == "," && isDigit(previous) && isDigit(next) {
                    continue  // 1,400
                } else if u == "&" {
                    flush(); tokens.append(Token(text: "and", upper: false, capitalized: false))
                } else {
                    flush()
                }
            } else if u == "\u{2019}" || u == "\u{2018}" || u == "\u{02BC}" {
                continue
            } else if u.properties.isAlphabetic || u.properties.numericType != nil {
                for f in fold(u) {
                    if current.isEmpty { firstUpper = u.properties.isUppercase }
                    letterCount += 1
                    if u.properties.isUppercase { upperCount += 1 }
                    current.append(f)
                }
            } else if u.properties.generalCategory == .nonspacingMark {
                continue  // combining accent from a decoded entity
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    /// True when `tokenize(s)` would give at least one token (cheaper than tokenising).
    static func hasTokens(_ s: String) -> Bool {
        for u in s.unicodeScalars {
            if u.isASCII {
                let v = u.value
                if (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x26 { return true }
            } else if u.properties.isAlphabetic || u.properties.numericType != nil {
                return true
            }
        }
        return false
    }

    private static func isDigit(_ u: Unicode.Scalar) -> Bool { u.value >= 0x30 && u.value <= 0x39 }
    private static func isLetter(_ u: Unicode.Scalar) -> Bool {
        (u.value >= 0x61 && u.value <= 0x7A) || (u.value >= 0x41 && u.value <= 0x5A) || (!u.isASCII && u.properties.isAlphabetic)
    }

    /// A non-ASCII letter lowercased with its accents removed (`É` → `e`, `ß` → `ss`).
    static func fold(_ u: Unicode.Scalar) -> [Unicode.Scalar] {
        switch u {
        case "ß": return ["s", "s"]
        case "æ", "Æ": return ["a", "e"]
        case "œ", "Œ": return ["o", "e"]
        case "ø", "Ø": return ["o"]
        case "ł", "Ł": return ["l"]
        case "đ", "Đ", "ð", "Ð": return ["d"]
        case "þ", "Þ": return ["t", "h"]
        case "ı": return ["i"]
        default: break
        }
        let lower = String(u).lowercased()
        let stripped = lower.folding(options: [.diacriticInsensitive], locale: nil)
        return stripped.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
    }

    // MARK: Canonical forms

    /// Articles dropped: a leading `a`/`an`/`the` and `the` anywhere (`Catherine the Great`).
    static func dropArticles(_ tokens: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() {
            if t == "the" { continue }
            if (t == "a" || t == "an") && (out.isEmpty || i == 0) { continue }
            out.append(t)
        }
        return out
    }

    private static let ones: [String: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]
    private static let tens: [String: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    private static let ordinalOnes: [String: Int] = [
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
        "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
        "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
        "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
        "eightieth": 80, "ninetieth": 90, "hundredth": 100, "thousandth": 1000,
    ]
    private static let scales: [String: Int] = ["hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000]

    /// Numbers made digits: number words (`two hundred six` → `206`), ordinals (`eighth`, `3rd` → `8`,
    /// `3`) and Roman numerals after a name (`Henry VIII` → `henry 8`).
    static func canonicalNumbers(_ tokens: [Token]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            let t = tokens[i].text
            if ones[t] != nil || tens[t] != nil || ordinalOnes[t] != nil || (scales[t] != nil && t != "million" && t != "billion") {
                // A run of number words: "two hundred six", "twenty first", "one hundred and six",
                // "a hundred" (the article is gone), and years said in two halves: "nineteen
                // eighty-four" (1984), "ten sixty-six", "twenty twenty-one", "nineteen oh five".
                var total = 0, current = 0, j = i, ordinalEnd = false
                var century: Int? = nil, scaled = false
                while j < tokens.count, !ordinalEnd, current < 1_000_000_000_000, total < 1_000_000_000_000 {
                    let w = tokens[j].text
                    // A second half of a year: a teen or tens word after a first half of 10–99.
                    let startsHalf = (tens[w] != nil || (ones[w].map { $0 >= 10 } ?? false)) || (w == "oh" && j + 1 < tokens.count
                        && (ones[tokens[j + 1].text].map { $0 >= 1 && $0 <= 9 } ?? false))
                    if century == nil, !scaled, total == 0, current >= 10, current <= 99, j > i, startsHalf {
                        century = current
                        current = 0
                        if w == "oh" { j += 1; continue }  // "nineteen oh five"
                    }
                    if let v = ones[w] {
                        current += v
                    } else if let v = tens[w] {
                        current += v
                    } else if let v = ordinalOnes[w] {
                        if v >= 100 { current = max(current, 1) * v } else { current += v }
                        ordinalEnd = true
                    } else if let s = scales[w] {
                        scaled = true
                        if s == 100 { current = max(current, 1) * 100 } else { total += max(current, 1) * s; current = 0 }
                    } else if w == "and", j > i, j + 1 < tokens.count,
                              ones[tokens[j + 1].text] != nil || tens[tokens[j + 1].text] != nil {
                        // the "and" of "one hundred and six"
                    } else {
                        break
                    }
                    j += 1
                }
                if let c = century {
                    out.append(String(c * 100 + current))
                } else {
                    out.append(String(total + current))
                }
                i = j
                continue
            }
            // Only I, V, X and L: "D.C." or a middle initial "D." is not a number.
            if i > 0, tokens[i].upper, tokens[i - 1].text.first?.isLetter == true, t.allSatisfy({ "ivxl".contains($0) }),
               t.count > 1 ? true : (tokens[i - 1].capitalized && t != "l"), let v = roman(t) {
                out.append(String(v))  // Henry VIII, Apollo XIII, World War II
            } else {
                out.append(ordinalDigits(t) ?? t)
            }
            i += 1
        }
        return out
    }

    private static func ordinalDigits(_ t: String) -> String? {
        guard t.count >= 3, t.first?.isNumber == true else { return nil }
        for suffix in ["st", "nd", "rd", "th"] where t.hasSuffix(suffix) {
            let digits = t.dropLast(2)
            if digits.allSatisfy(\.isNumber) { return String(digits) }
        }
        return nil
    }

    /// The value of a Roman numeral written in lowercase letters, or nil.
    static func roman(_ t: String) -> Int? {
        let values: [Character: Int] = ["i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000]
        guard !t.isEmpty, t.count <= 8 else { return nil }
        var total = 0, prev = 0
        for c in t.reversed() {
            guard let v = values[c] else { return nil }
            if v < prev { total -= v } else { total += v; prev = v }
        }
        // Only canonical spellings: converting back must give the same letters.
        return toRoman(total) == t ? total : nil
    }

    private static func toRoman(_ n: Int) -> String {
        let table: [(Int, String)] = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                                      (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        var n = n, out = ""
        for (v, s) in table { while n >= v { out += s; n -= v } }
        return out
    }

    private static let irregularPlurals: [String: String] = [
        "men": "man", "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth", "geese": "goose",
        "mice": "mouse", "lice": "louse", "people": "person", "oxen": "ox", "cacti": "cactus", "fungi": "fungus",
        "alumni": "alumnus", "criteria": "criterion", "phenomena": "phenomenon", "dice": "die",
    ]

    /// A token reduced to its singular stem, so `wolves`/`wolf`, `Grammys`/`Grammy` and
    /// `crocodiles`/`crocodile` compare equal.
    static func stem(_ t: String) -> String {
        if let s = irregularPlurals[t] { return s }
        if t.count <= 3 || t.first?.isNumber == true { return t }
        if t.hasSuffix("men") && t.count > 5 { return String(t.dropLast(3)) + "man" }
        if t.hasSuffix("ies") && t.count > 4 { return String(t.dropLast(3)) + "y" }
        if t.hasSuffix("ves") { return String(t.dropLast(3)) + "f" }
        if t.hasSuffix("fe") { return String(t.dropLast(2)) + "f" }
        for suffix in ["sses", "ches", "shes", "xes", "zes", "oes"] where t.hasSuffix(suffix) { return String(t.dropLast(2)) }
        if t.hasSuffix("ss") || t.hasSuffix("us") || t.hasSuffix("is") { return t }
        if t.hasSuffix("s") { return String(t.dropLast()) }
        return t
    }

    // MARK: Similarity

    /// The Damerau-Levenshtein (optimal string alignment) distance between two strings.
    static func distance(_ a: String, _ b: String) -> Int {
        distance(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        if a.count > 200 || b.count > 200 { return max(a.count, b.count) }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
                cur[j] = v
            }
            prev2 = prev
            prev = cur
        }
        return prev[b.count]
    }

    /// 1 − distance / longer length: 1 for equal strings, 0 for nothing in common.
    static func similarity(_ a: String, _ b: String) -> Double {
        let n = max(a.unicodeScalars.count, b.unicodeScalars.count)
        if n == 0 { return 1 }
        return 1 - Double(distance(a, b)) / Double(n)
    }

    // MARK: Sound

    /// A rough phonetic key (Metaphone-like): spellings that sound alike get the same key
    /// (`Bronte`/`Bronty`, `Nietzsche`/`Nietzche`), different sounds do not (`Gambia`/`Zambia`).
    static func phonetic(_ word: String) -> String {
        var s = Array(word.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic) }.map { Character($0) })
        guard !s.isEmpty else { return word }
        func replace(_ from: String, _ to: String, atStart: Bool = false) { Text.replace(&s, from, to, atStart: atStart) }
        replace("kn", "n", atStart: true); replace("gn", "n", atStart: true); replace("pn", "n", atStart: true)
        replace("wr", "r", atStart: true); replace("ps", "s", atStart: true); replace("x", "s", atStart: true)
        replace("sch", "X"); replace("tch", "X"); replace("ch", "X"); replace("sh", "X"); replace("tz", "s")
        replace("gh", "g", atStart: true); replace("ph", "f"); replace("gh", ""); replace("ck", "k"); replace("dg", "j"); replace("th", "0")
        replace("wh", "w"); replace("q", "k"); replace("x", "ks"); replace("z", "s"); replace("v", "f")
        var out: [Character] = []
        let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]
        for (i, c) in s.enumerated() {
            let next: Character? = i + 1 < s.count ? s[i + 1] : nil
            var m = c
            if c == "c" { m = (next == "e" || next == "i" || next == "y") ? "s" : "k" }
            if c == "g" { m = (next == "e" || next == "i" || next == "y") ? "j" : "k" }
            if vowels.contains(c) { if i == 0 { m = "a" } else { continue } }
            if (c == "h" || c == "w") && i > 0 { continue }
            if let last = out.last, last == m { continue }
            out.append(m)
        }
        return String(out)
    }
}

extension Text {
    /// Replaces every `from` in `s` by `to`, left to right (only at the start with `atStart`):
    /// the rewriting step `phonetic` and `skeleton` share.
    static func replace(_ s: inout [Character], _ from: String, _ to: String, atStart: Bool) {
        let f = Array(from), t = Array(to)
        var out: [Character] = []
        var i = 0
        while i < s.count {
            if (!atStart || i == 0), i + f.count <= s.count, Array(s[i..<i + f.count]) == f {
                out.append(contentsOf: t); i += f.count
            } else { out.append(s[i]); i += 1 }
        }
        s = out
    }

    /// A transliteration skeleton: the spellings one name gets in different romanisations
    /// and transcriptions come out alike (`Qaddafi`/`Khadafy`/`Gadhafi` → `kadafi`,
    /// `Tchaikovsky`/`Tschaikowsky` → `caikovski`, `Dostoevsky`/`Dostoyevsky`), while
    /// names that differ in their consonants stay apart.
    static func skeleton(_ word: String) -> String {
        var s = Array(word.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic }.map { Character($0) })
        guard !s.isEmpty else { return word }
        func replace(_ from: String, _ to: String, atStart: Bool = false) { Text.replace(&s, from, to, atStart: atStart) }
        replace("tsch", "c"); replace("tch", "c"); replace("sch", "s"); replace("ch", "c"); replace("kh", "k")
        replace("gh", "g"); replace("dh", "d"); replace("th", "t"); replace("ph", "f"); replace("sh", "s"); replace("zh", "j")
        replace("ck", "k"); replace("q", "k"); replace("x", "ks"); replace("w", "v"); replace("y", "i")
        replace("ou", "u"); replace("oo", "u"); replace("ee", "i"); replace("ie", "i"); replace("ei", "i")
        replace("g", "k", atStart: true)
        var out: [Character] = []
        for c in s where c != "h" {
            if let last = out.last, last == c { continue }  // doubled letters
            out.append(c)
        }
        return String(out)
    }

    /// True when `a` and `b` differ by one swap of two neighbouring letters (`Dtuch`/`Dutch`).
    static func isTransposition(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        guard x.count == y.count, x.count >= 2 else { return false }
        var diffs: [Int] = []
        for i in x.indices where x[i] != y[i] {
            diffs.append(i)
            if diffs.count > 2 { return false }
        }
        return diffs.count == 2 && diffs[1] == diffs[0] + 1 && x[diffs[0]] == y[diffs[1]] && x[diffs[1]] == y[diffs[0]]
    }
}

extension String {
    /// The first (or last) range of `needle`, by bytes: much faster than Foundation's
    /// `range(of:)`, and exact (no locale, no case folding).
    func fastRange(of needle: String, backwards: Bool = false) -> Range<String.Index>? {
        let hay = Array(utf8), pin = Array(needle.utf8)
        guard let offset = String.byteSearch(hay, pin, backwards: backwards) else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: offset)
        let upper = utf8.index(lower, offsetBy: pin.count)
        return lower..<upper
    }

    /// True when `needle` occurs in the string (byte comparison).
    func fastContains(_ needle: String) -> Bool {
        String.byteSearch(Array(utf8), Array(needle.utf8), backwards: false) != nil
    }

    static func byteSearch(_ hay: [UInt8], _ pin: [UInt8], backwards: Bool) -> Int? {
        guard !pin.isEmpty, pin.count <= hay.count else { return pin.isEmpty ? 0 : nil }
        let last = hay.count - pin.count
        let first = pin[0]
        return hay.withUnsafeBufferPointer { h -> Int? in
            pin.withUnsafeBufferPointer { p -> Int? in
                var i = backwards ? last : 0
                while backwards ? i >= 0 : i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < p.count && h[i + k] == p[k] { k += 1 }
                        if k == p.count { return i }
                    }
                    i += backwards ? -1 : 1
                }
                return nil
            }
        }
    }
}

extension Substring {
    /// `fastRange(of:)` within a substring, with indices of the base string.
    func fastRangeSub(of needle: String) -> Range<String.Index>? {
        let hay = Array(utf8), pin = Array(needle.utf8)
        guard let offset = String.byteSearch(hay, pin, backwards: false) else { return nil }
        let lower = utf8.index(startIndex, offsetBy: offset)
        return lower..<utf8.index(lower, offsetBy: pin.count)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (no Foundation).
    func trimmedSpaces() -> String { trimmed([" ", "\t", "\u{A0}"]) }

    /// Without leading and trailing characters from `set`.
    func trimmed(_ set: Set<Character>) -> String {
        guard let first = firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = lastIndex(where: { !set.contains($0) })!
        return String(self[first...last])
    }
}
