import Foundation
import JBCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Word knowledge from a WordNet database (Debian's `wordnet-base`: `/usr/share/wordnet`).
///
/// Two questions only: do two phrases name the same thing (share a noun synset: `Ike` and
/// `Eisenhower`, `northern lights` and `aurora borealis`), and is a word a real English word or
/// name (so a near-spelling that is one — `Austria` for Australia — is a different answer, not a
/// misspelling). The grader works without it; with it, rule 4 and rule 11 are sharper.
public final class Lexicon: Sendable {
    /// The index tables, filled once (on a background thread for a WordNet folder).
    private final class Tables: @unchecked Sendable {
        /// Noun lemma (lowercase, words joined by `_`) → where its synset offsets lie in
        /// `offsetTable` (start << 8 | count): one flat table instead of 117,000 small arrays.
        var nouns: [String: UInt64] = [:]
        var offsetTable: [Int32] = []
        /// Lemmas of the other parts of speech.
        var otherWords = Set<String>()
    }
    private let storage: Tables
    /// Left when the tables are filled.
    private let loaded = DispatchGroup()
    /// Where it was read from.
    public let path: String
    /// `data.noun`, open for reading entries by offset (glosses and part holonyms), or -1.
    private let dataFD: Int32

    /// The default location, when present.
    public static let defaultPath = "/usr/share/wordnet"

    /// The tables, once loaded (the first question waits for them; a grader's fast path never asks).
    private var tables: Tables {
        loaded.wait()
        return storage
    }

    /// Opens the `index.noun`, `index.verb`, `index.adj` and `index.adv` files in `directory`
    /// and reads them on a background thread (about 0.15 s), so start-up and the replies that
    /// need no word knowledge do not wait for them.
    public init(directory: String) throws {
        path = directory
        let nounPath = directory + "/index.noun"
        guard FileManager.default.fileExists(atPath: nounPath) else {
            throw JBError.cannotOpen(path: nounPath, reason: "no WordNet index here (install wordnet-base, or pass --lexicon none)")
        }
        guard access(nounPath, R_OK) == 0 else { throw JBError.cannotOpen(path: nounPath, reason: ByteSource.errnoText()) }
        let tables = Tables()
        storage = tables
        dataFD = open(directory + "/data.noun", O_RDONLY)
        loaded.enter()
        let group = loaded
        Thread.detachNewThread {
            defer { group.leave() }
            var nouns: [String: UInt64] = [:]
            nouns.reserveCapacity(120_000)
            var table: [Int32] = []
            table.reserveCapacity(150_000)
            try? Lexicon.readIndex(nounPath, offsets: true) { lemma, offsets in
                let count = min(offsets.count, 255)
                nouns[lemma] = UInt64(table.count) << 8 | UInt64(count)
                table.append(contentsOf: offsets.prefix(count))
            }
            var others = Set<String>()
            others.reserveCapacity(40_000)
            for pos in ["verb", "adj", "adv"] {
                let p = directory + "/index." + pos
                if FileManager.default.fileExists(atPath: p) { try? Lexicon.readIndex(p, offsets: false) { lemma, _ in others.insert(lemma) } }
            }
            tables.nouns = nouns
            tables.offsetTable = table
            tables.otherWords = others
        }
    }

    deinit { if dataFD >= 0 { close(dataFD) } }

    /// An in-memory lexicon (tests).
    init(nouns: [String: [Int32]], otherWords: Set<String>) {
        let tables = Tables()
        for (lemma, offsets) in nouns {
            tables.nouns[lemma] = UInt64(tables.offsetTable.count) << 8 | UInt64(min(offsets.count, 255))
            tables.offsetTable.append(contentsOf: offsets.prefix(255))
        }
        tables.otherWords = otherWords
        storage = tables
        path = "<memory>"
        dataFD = -1
    }

    /// Reads an `index.*` file: the whole file at once, each line's lemma and synset offsets
    /// parsed from bytes (about 150,000 lines in all; this is jb-grade's start-up cost).
    private static func readIndex(_ path: String, offsets wanted: Bool, _ add: (String, [Int32]) -> Void) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw JBError.cannotOpen(path: path, reason: ByteSource.errnoText()) }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 1 << 20) }
            if n < 0 { throw JBError.io(path: path, reason: ByteSource.errnoText()) }
            if n == 0 { break }
            data.append(contentsOf: chunk[..<n])
        }
        data.withUnsafeBufferPointer { b in
            var i = 0
            let n = b.count
            var fields: [Range<Int>] = []
            fields.reserveCapacity(64)
            while i < n {
                var end = i
                while end < n && b[end] != 0x0A { end += 1 }
                defer { i = end + 1 }
                guard end > i, b[i] != 0x20 else { continue }  // licence header lines start with a space
                // The lemma: up to the first space, in the grader's token spelling.
                var k = i
                var lemma: [UInt8] = []
                while k < end && b[k] != 0x20 {
                    let c = b[k]
                    if c != 0x2E && c != 0x27 { lemma.append(c == 0x2D ? 0x5F : c) }  // drop . and ', - → _
                    k += 1
                }
                guard !lemma.isEmpty else { continue }
                var offsets: [Int32] = []
                if wanted {
                    fields.removeAll(keepingCapacity: true)
                    var f = k
                    while f < end {
                        while f < end && b[f] == 0x20 { f += 1 }
                        let s = f
                        while f < end && b[f] != 0x20 { f += 1 }
                        if f > s { fields.append(s..<f) }
                    }
                    // pos, synset_cnt, p_cnt, p_cnt pointers, sense_cnt, tagsense_cnt, offsets…
                    func int(_ r: Range<Int>) -> Int? {
                        var v = 0
                        for j in r { let d = Int(b[j]) - 48; guard d >= 0 && d <= 9, v < 100_000_000 else { return nil }; v = v * 10 + d }
                        return v
                    }
                    guard fields.count >= 5, let synsetCount = int(fields[1]), let pointerCount = int(fields[2]) else { continue }
                    let offsetsStart = 3 + pointerCount + 2
                    guard fields.count >= offsetsStart + synsetCount else { continue }
                    for r in fields[offsetsStart..<(offsetsStart + synsetCount)] {
                        if let v = int(r) { offsets.append(Int32(v)) }
                    }
                }
                add(String(decoding: lemma, as: UTF8.self), offsets)
            }
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
        if let s = offsets(lemma) { return s }
        // WordNet lemmas are singular: try the last word's singular.
        var singular = tokens
        let last = singular.removeLast()
        for candidate in [Text.stem(last), last.hasSuffix("s") ? String(last.dropLast()) : last] where candidate != last {
            if let s = offsets((singular + [candidate]).joined(separator: "_")) { return s }
        }
        return []
    }

    /// The synset offsets of a noun lemma, or nil.
    private func offsets(_ lemma: String) -> [Int32]? {
        let t = tables
        guard let packed = t.nouns[lemma] else { return nil }
        let start = Int(packed >> 8), count = Int(packed & 0xFF)
        return Array(t.offsetTable[start..<(start + count)])
    }

    /// True when the two phrases share a noun sense; with `firstSenseOfSecond`, only `b`'s
    /// first (most common) sense counts ("Hispaniola" shares Haiti's second sense, the island).
    func synonyms(_ a: [String], _ b: [String], firstSenseOfSecond: Bool = false) -> Bool {
        let sa = synsets(a)
        guard !sa.isEmpty else { return false }
        let sb = synsets(b)
        if firstSenseOfSecond { return sb.first.map(sa.contains) ?? false }
        return sa.contains { sb.contains($0) }
    }

    /// True when `word` is an English word or name WordNet knows.
    func isWord(_ word: String) -> Bool {
        let t = tables
        return t.nouns[word] != nil || t.otherWords.contains(word)
    }

    /// True when `word` is a noun lemma of its own (`odds`, `glasses`) whose senses the
    /// singular `base` does not share: the plural then means something else.
    func pluralChangesMeaning(plural: String, singular base: String) -> Bool {
        guard let ps = offsets(plural) else { return false }
        guard let bs = offsets(base) else { return true }
        return !ps.contains { bs.contains($0) }
    }

    // MARK: Synset entries (data.noun)

    /// One noun synset as `data.noun` stores it: its words, part holonyms (`#p`: the larger
    /// place or whole it is part of) and gloss.
    struct Entry: Sendable {
        var words: [String]
        var partOf: [Int32]
        /// Hypernyms and instance hypernyms (`@`, `@i`): what it is a kind or an instance of.
        var kindOf: [Int32] = []
        /// An instance (`@i`): a named thing (Oregon, the Amazon), not a kind (a river).
        var isInstance = false
        var gloss: String
    }

    /// The synset at `offset` (WordNet offsets are byte offsets into `data.noun`), or nil.
    func entry(_ offset: Int32) -> Entry? {
        guard dataFD >= 0, offset >= 0 else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var at = off_t(offset)
        while bytes.count < 65536 {
            let n = chunk.withUnsafeMutableBytes { pread(dataFD, $0.baseAddress, 4096, at) }
            guard n > 0 else { break }
            if let nl = chunk[..<n].firstIndex(of: 0x0A) { bytes += chunk[..<nl]; break }
            bytes += chunk[..<n]
            at += off_t(n)
        }
        let line = String(decoding: bytes, as: UTF8.self)
        let parts = line.split(separator: "|", maxSplits: 1)
        guard let head = parts.first else { return nil }
        let fields = head.split(separator: " ")
        guard fields.count > 4, Int32(fields[0]) == offset, let wordCount = Int(fields[3], radix: 16) else { return nil }
        var words: [String] = []
        var k = 4
        for _ in 0..<wordCount where k + 1 < fields.count {
            words.append(Lexicon.normalizeLemma(Substring(fields[k].lowercased())))
            k += 2
        }
        var partOf: [Int32] = [], kindOf: [Int32] = [], isInstance = false
        if k < fields.count, let pointerCount = Int(fields[k]) {
            k += 1
            for _ in 0..<pointerCount where k + 3 < fields.count {
                if fields[k] == "#p", let o = Int32(fields[k + 1]) { partOf.append(o) }
                if fields[k] == "@" || fields[k] == "@i", let o = Int32(fields[k + 1]) { kindOf.append(o) }
                if fields[k] == "@i" { isInstance = true }
                k += 4
            }
        }
        let gloss = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        return Entry(words: words, partOf: partOf, kindOf: kindOf, isInstance: isInstance, gloss: gloss)
    }

    /// Everything the synset is a kind or instance of, up to `depth` steps (Petrarchan sonnet →
    /// sonnet → poem).
    func kinds(_ offset: Int32, depth: Int = 3) -> Set<Int32> {
        var seen = Set<Int32>()
        var frontier = [offset]
        for _ in 0..<depth {
            var next: [Int32] = []
            for o in frontier {
                for p in entry(o)?.kindOf ?? [] where seen.insert(p).inserted { next.append(p) }
            }
            if next.isEmpty { break }
            frontier = next
        }
        return seen
    }

    /// Every whole the synset is part of, up to `depth` steps (Portland → Maine → United States).
    func wholes(_ offset: Int32, depth: Int = 4) -> Set<Int32> {
        var seen = Set<Int32>()
        var frontier = [offset]
        for _ in 0..<depth {
            var next: [Int32] = []
            for o in frontier {
                for p in entry(o)?.partOf ?? [] where seen.insert(p).inserted { next.append(p) }
            }
            if next.isEmpty { break }
            frontier = next
        }
        return seen
    }

    /// The noun senses of a phrase, in WordNet's order (most common first).
    func senses(_ tokens: [String]) -> [Int32] { synsets(tokens) }
}
