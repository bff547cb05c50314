import Foundation

/// Every acceptable form of an archive answer.
///
/// The archive writes optional words in parentheses (`(Abraham) Lincoln`), alternatives as
/// `Peking (or Beijing)` or `A / B`, and leaves HTML entities and backslash escapes behind.
/// A key expands all of that into concrete variants, each already tokenised.
public struct AnswerKey: Sendable {
    /// One concrete acceptable spelling.
    struct Variant: Sendable {
        /// Tokens as written (for capitalisation and Roman numerals).
        var tokens: [Text.Token]
        /// Which alternative it comes from: 0 is the archive's first reading.
        var alternative: Int
        /// True when optional parts were left out or put in relative to the archive text.
        var optionalChanged: Bool
        /// Basic view: folded tokens, articles dropped.
        var basic: [String]
        /// Numbers as digits.
        var numeric: [String]
        /// Singular stems of `numeric`.
        var stems: [String]
    }

    /// The archive answer as given.
    public let raw: String
    /// The answer with entities and escapes removed.
    public let clean: String
    /// The archive writes the answer in quotation marks: a title ("Macbeth"), whose words'
    /// synonyms are not other names of it.
    public let isTitle: Bool
    let variants: [Variant]

    /// Expands an archive answer.
    public init(_ archive: String) {
        raw = archive
        clean = Text.cleanArchive(archive)
        isTitle = clean.hasPrefix("\"") || clean.hasPrefix("“")
        var out: [Variant] = []
        for (partIndex, part) in AnswerKey.splitSlashes(clean).enumerated() {
            for (text, optionalChanged, isAlternative) in AnswerKey.expand(part) {
                let tokens = AnswerKey.dropArticleTokens(Text.tokenize(text))
                guard !tokens.isEmpty else { continue }
                let numeric = Text.canonicalNumbers(tokens)
                out.append(Variant(tokens: tokens, alternative: partIndex == 0 && !isAlternative ? 0 : 1,
                                   optionalChanged: optionalChanged, basic: tokens.map(\.text),
                                   numeric: numeric, stems: numeric.map(Text.stem)))
            }
        }
        if out.isEmpty {
            let tokens = Text.tokenize(clean)
            let numeric = Text.canonicalNumbers(tokens)
            out.append(Variant(tokens: tokens, alternative: 0, optionalChanged: false, basic: tokens.map(\.text),
                               numeric: numeric, stems: numeric.map(Text.stem)))
        }
        variants = out
    }

    static func dropArticleTokens(_ tokens: [Text.Token]) -> [Text.Token] {
        if tokens.allSatisfy({ ["a", "an", "the"].contains($0.text) }) { return tokens }  // "A", "The"
        var out: [Text.Token] = []
        for (i, t) in tokens.enumerated() {
            if t.text == "the" { continue }
            if (t.text == "a" || t.text == "an") && (i == 0 || out.isEmpty) { continue }
            out.append(t)
        }
        return out
    }

    /// `A / B` → [A, B] (only a slash with spaces around it separates alternatives).
    static func splitSlashes(_ s: String) -> [String] {
        guard s.fastContains(" / ") else { return [s] }
        let parts = s.components(separatedBy: " / ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return parts.isEmpty ? [s] : parts
    }

    /// One reading of a part: the texts it stands for, whether optional parts changed, and
    /// whether the text is an alternative rather than the main reading.
    static func expand(_ part: String) -> [(String, Bool, Bool)] {
        // Split into literal text and parenthesised groups.
        enum Piece { case text(String), optional(String), alternative(String) }
        var pieces: [Piece] = []
        var buffer = ""
        var depth = 0
        var group = ""
        for c in part {
            if c == "(" || c == "[" {
                if depth == 0 { if !buffer.isEmpty { pieces.append(.text(buffer)); buffer = "" } } else { group.append(c) }
                depth += 1
            } else if (c == ")" || c == "]") && depth > 0 {
                depth -= 1
                if depth == 0 {
                    let g = group.trimmingCharacters(in: .whitespaces)
                    let lower = g.lowercased()
                    if lower.hasPrefix("or ") {
                        pieces.append(.alternative(String(g.dropFirst(3))))
                    } else if lower.contains("accept") {
                        let cleaned = g.replacingOccurrences(of: "accepted", with: "", options: .caseInsensitive)
                            .replacingOccurrences(of: "also accept", with: "", options: .caseInsensitive)
                            .replacingOccurrences(of: "accept", with: "", options: .caseInsensitive)
                            .trimmingCharacters(in: CharacterSet(charactersIn: " :,;"))
                        pieces.append(.alternative(cleaned))
                    } else if !g.isEmpty {
                        pieces.append(.optional(g))
                    }
                    group = ""
                } else { group.append(c) }
            } else if depth > 0 {
                group.append(c)
            } else {
                buffer.append(c)
            }
        }
        if !buffer.isEmpty { pieces.append(.text(buffer)) }
        if depth > 0 && !group.isEmpty { pieces.append(.text(group)) }

        let optionalIndices = pieces.indices.filter { if case .optional = pieces[$0] { return true } else { return false } }
        var results: [(String, Bool, Bool)] = []
        // Every combination of optional groups in or out (at most 2^3 readings).
        let count = min(optionalIndices.count, 3)
        for mask in 0..<(1 << count) {
            var text = ""
            var changed = false
            for (k, p) in pieces.enumerated() {
                switch p {
                case .text(let t): text += t
                case .alternative: text += " "
                case .optional(let t):
                    if let pos = optionalIndices.firstIndex(of: k), pos < count, mask & (1 << pos) != 0 {
                        changed = true
                    } else {
                        text += " " + t + " "
                    }
                }
            }
            results.append((text, changed, false))
        }
        // Alternatives: the alternative alone, and in place of the word before it
        // (`Falkland (or Malvinas) Islands` → `Malvinas Islands`).
        for (k, p) in pieces.enumerated() {
            guard case .alternative(let group) = p else { continue }
            // "(or the metro or subway system)", "(or shadow, profile, or silhouette)": each one.
            var alts = [group]
            for sep in [", or ", " or ", ", "] where alts.contains(where: { $0.fastContains(sep) }) {
                alts = alts.flatMap { $0.components(separatedBy: sep) }
            }
            alts = alts.map { $0.trimmedSpaces() }.filter { !$0.isEmpty }
            if alts.count > 1 { results.append((group, false, true)) }
            for alt in alts { results.append((alt, false, true)) }
            guard let alt = alts.first else { continue }
            let after = pieces[(k + 1)...].compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined()
            if !after.trimmingCharacters(in: .whitespaces).isEmpty {
                let before = pieces[..<k].compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined()
                var words = before.split(separator: " ")
                if !words.isEmpty { words.removeLast() }
                results.append((words.joined(separator: " ") + " " + alt + " " + after, false, true))
            }
        }
        // A bare "X or Y" in the archive accepts either side too.
        let plain = results.first?.0 ?? part
        let orParts = plain.fastContains(" or ") ? plain.components(separatedBy: " or ") : [plain]
        if orParts.count == 2, !pieces.contains(where: { if case .alternative = $0 { return true } else { return false } }) {
            for side in orParts where !side.trimmingCharacters(in: .whitespaces).isEmpty { results.append((side, false, true)) }
        }
        return results
    }
}
