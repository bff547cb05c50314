import Foundation
import JBCore

/// Word knowledge from a WordNet database (Debian's `wordnet-base`: `/usr/share/wordnet`).
///
/// Two questions only: do two phrases name the same thing (share a noun synset: `Ike` and
/// `Eisenhower`, `northern lights` and `aurora borealis`), and is a word a real English word or
/// name (so a near-spelling that is one — `Austria` for Australia — is a different answer, not a
/// misspelling). The grader works without it; with it, rule 4 and rule 11 are sharper.
public final class Lexicon: Sendable {
    /// Noun lemma (lowercase, words joined by `_`) → synset offsets.
    private let nouns: [String: [Int32]]
    /// Lemmas of the other parts of speech.
    private let otherWords: Set<String>
    /// Where it was read from.
    public let path: String

    /// The default location, when present.
    public static let defaultPath = "/usr/share/wordnet"

    /// Reads the `index.noun`, `index.verb`, `index.adj` and `index.adv` files in `directory`.
    public init(directory: String) throws {
        path = directory
        var nouns: [String: [Int32]] = [:]
        nouns.reserveCapacity(120_000)
        let nounPath = directory + "/index.noun"
        guard FileManager.default.fileExists(atPath: nounPath) else {
            throw JBError.cannotOpen(path: nounPath, reason: "no WordNet index here (install wordnet-base, or pass --lexicon none)")
        }
        try Lexicon.readIndex(nounPath) { lemma, offsets in nouns[lemma] = offsets }
        var others = Set<String>()
        for pos in ["verb", "adj", "adv"] {
            let p = directory + "/index." + pos
            if FileManager.default.fileExists(atPath: p) { try Lexicon.readIndex(p) { lemma, _ in others.insert(lemma) } }
        }
        self.nouns = nouns
        otherWords = others
    }

    /// An in-memory lexicon (tests).
    init(nouns: [String: [Int32]], otherWords: Set<String>) {
        self.nouns = nouns
        self.otherWords = otherWords
        path = "<memory>"
    }

    private static func readIndex(_ path: String, _ add: (String, [Int32]) -> Void) throws {
        let reader = try LineReader(path: path)
        while let line = try reader.nextString() {
            if line.hasPrefix(" ") || line.isEmpty { continue }  // licence header
            let fields = line.split(separator: " ")
            guard fields.count >= 6, let synsetCount = Int(fields[2]), let pointerCount = Int(fields[3]) else { continue }
            let offsetsStart = 4 + pointerCount + 2
            guard fields.count >= offsetsStart + synsetCount else { continue }
            let offsets = fields[offsetsStart..<(offsetsStart + synsetCount)].compactMap { Int32($0) }
            add(normalizeLemma(fields[0]), offsets)
        }
    }

    /// A lemma in the grader's token spelling: `john_f._kennedy` → `john_f_kennedy`, `d.c.` → `dc`.
    static func normalizeLemma(_ s: Substring) -> String {
        var out = ""
        for c in s {
            if c == "." || c == "'" { continue }
            out.append(c == "-" ? "_" : c)
        }
        return out
    }

    /// The noun synsets of a phrase given as tokens.
    func synsets(_ tokens: [String]) -> [Int32] {
        guard !tokens.isEmpty else { return [] }
        let lemma = tokens.joined(separator: "_")
        if let s = nouns[lemma] { return s }
        // WordNet lemmas are singular: try the last word's singular.
        var singular = tokens
        let last = singular.removeLast()
        for candidate in [Text.stem(last), last.hasSuffix("s") ? String(last.dropLast()) : last] where candidate != last {
            if let s = nouns[(singular + [candidate]).joined(separator: "_")] { return s }
        }
        return []
    }

    /// True when the two phrases share a noun sense.
    func synonyms(_ a: [String], _ b: [String]) -> Bool {
        let sa = synsets(a)
        guard !sa.isEmpty else { return false }
        let sb = synsets(b)
        return sa.contains { sb.contains($0) }
    }

    /// True when `word` is an English word or name WordNet knows.
    func isWord(_ word: String) -> Bool {
        nouns[word] != nil || otherWords.contains(word)
    }

    /// True when `word` is a noun lemma of its own (`odds`, `glasses`) whose senses the
    /// singular `base` does not share: the plural then means something else.
    func pluralChangesMeaning(plural: String, singular base: String) -> Bool {
        guard let ps = nouns[plural] else { return false }
        guard let bs = nouns[base] else { return true }
        return !ps.contains { bs.contains($0) }
    }
}
