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
        /// `index.noun`, and the lemmas of the other parts of speech (`index.verb`, `.adj`, `.adv`).
        var nouns = IndexFile()
        var others: [IndexFile] = []
        /// In-memory tables (tests): lemma → synset offsets, and other words.
        var memoryNouns: [String: [Int32]] = [:]
        var memoryOthers = Set<String>()
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
    /// and indexes them on a background thread (a few milliseconds: the files are kept as read
    /// and looked up by binary search), so start-up and the replies that need no word knowledge
    /// do not wait for them.
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
            if let nouns = try? IndexFile(path: nounPath, withOffsets: true) { tables.nouns = nouns }
            for pos in ["verb", "adj", "adv"] {
                let p = directory + "/index." + pos
                if FileManager.default.fileExists(atPath: p), let file = try? IndexFile(path: p, withOffsets: false) {
                    tables.others.append(file)
                }
            }
        }
    }

    deinit { if dataFD >= 0 { close(dataFD) } }

    /// An in-memory lexicon (tests).
    init(nouns: [String: [Int32]], otherWords: Set<String>) {
        let tables = Tables()
        for (lemma, offsets) in nouns { tables.memoryNouns[lemma] = Array(offsets.prefix(255)) }
        tables.memoryOthers = otherWords
        storage = tables
        path = "<memory>"
        dataFD = -1
    }

    /// One `index.*` file, kept as its bytes: the lines sorted by lemma (WordNet writes them
    /// sorted; a file that is not is sorted here) and looked up by binary search. A lemma is
    /// asked in the grader's token spelling (`.` and `'` dropped, `-` as `_`): the few lemmas
    /// that spell otherwise are kept in a table of their own. Of two lines with the same
    /// lemma, the later in the file counts.
    struct IndexFile {
        var bytes: [UInt8] = []
        /// Where each lemma line starts, in lemma order.
        var starts: [Int32] = []
        /// Lemmas with `.`, `'` or `-`, in token spelling → the start of the latest such line.
        var respelled: [String: Int32] = [:]
        /// Lines whose synset offsets are wanted (index.noun): a line without them does not count.
        var withOffsets = false

        init() {}

        init(path: String, withOffsets: Bool) throws {
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
            self.init(bytes: data, withOffsets: withOffsets)
        }

        init(bytes data: [UInt8], withOffsets: Bool) {
            bytes = data
            self.withOffsets = withOffsets
            guard data.count < Int(Int32.max) else { return }
            var starts: [Int32] = []
            starts.reserveCapacity(data.count / 30)
            var respelled: [String: Int32] = [:]
            var sorted = true
            data.withUnsafeBufferPointer { b in
                let n = b.count
                var i = 0
                var previous = -1
                while i < n {
                    var end = i
                    var special = false
                    // The lemma: up to the first space.
                    while end < n && b[end] != 0x20 && b[end] != 0x0A {
                        let c = b[end]
                        if c == 0x2E || c == 0x27 || c == 0x2D { special = true }
                        end += 1
                    }
                    let lemmaEnd = end
                    while end < n && b[end] != 0x0A { end += 1 }
                    defer { i = end + 1 }
                    guard lemmaEnd > i, b[i] != 0x20 else { continue }  // licence header lines start with a space
                    if special {
                        var lemma: [UInt8] = []
                        for k in i..<lemmaEnd {
                            let c = b[k]
                            if c != 0x2E && c != 0x27 { lemma.append(c == 0x2D ? 0x5F : c) }
                        }
                        if !lemma.isEmpty { respelled[String(decoding: lemma, as: UTF8.self)] = Int32(i) }
                    }
                    if sorted, previous >= 0, IndexFile.compare(b, previous, b, i, lemmaEnd - i) >= 0 { sorted = false }
                    previous = i
                    starts.append(Int32(i))
                }
                if !sorted {
                    // A stable sort keeps lines of one lemma in file order (the last one counts).
                    let order = starts.indices.sorted { x, y in
                        let c = IndexFile.compare(b, Int(starts[x]), b, Int(starts[y]), IndexFile.lemmaLength(b, Int(starts[y])))
                        return c != 0 ? c < 0 : x < y
                    }
                    starts = order.map { starts[$0] }
                }
            }
            self.starts = starts
            self.respelled = respelled
        }

        /// The length of the lemma at `start`.
        static func lemmaLength(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
            var k = start
            while k < b.count && b[k] != 0x20 && b[k] != 0x0A { k += 1 }
            return k - start
        }

        /// Compares the lemma at `start` in `a` with the `count` bytes at `at` in `q` (a lemma
        /// ends at a space or line end, which sorts before every byte of a lemma).
        static func compare(_ a: UnsafeBufferPointer<UInt8>, _ start: Int, _ q: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int {
            var k = 0
            while true {
                let ca: Int = start + k < a.count && a[start + k] != 0x20 && a[start + k] != 0x0A ? Int(a[start + k]) : -1
                let cq: Int = k < count ? Int(q[at + k]) : -1
                if ca != cq { return ca < cq ? -1 : 1 }
                if ca == -1 { return 0 }
                k += 1
            }
        }

        /// The start of the line of `lemma` (token spelling), or nil.
        func line(_ lemma: String) -> Int? {
            var query = lemma
            let raw: Int? = query.withUTF8 { q -> Int? in
                for c in q where c == 0x2E || c == 0x27 || c == 0x2D || c == 0x20 || c == 0x0A { return nil }
                return bytes.withUnsafeBufferPointer { b -> Int? in
                    // The last line whose lemma is not after the query.
                    var lo = 0, hi = starts.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if IndexFile.compare(b, Int(starts[mid]), q, 0, q.count) <= 0 { lo = mid + 1 } else { hi = mid }
                    }
                    guard lo > 0, IndexFile.compare(b, Int(starts[lo - 1]), q, 0, q.count) == 0 else { return nil }
                    return Int(starts[lo - 1])
                }
            }
            let other = respelled[lemma].map(Int.init)
            switch (raw, other) {
            case let (a?, b?): return max(a, b)
            case let (a?, nil): return a
            case let (nil, b?): return b
            default: return nil
            }
        }

        /// The synset offsets on the line at `start` (at most 255), or nil when the line does
        /// not hold them (pos, synset_cnt, p_cnt, p_cnt pointers, sense_cnt, tagsense_cnt, offsets…).
        func offsets(at start: Int) -> [Int32]? {
            bytes.withUnsafeBufferPointer { b -> [Int32]? in
                var end = start
                while end < b.count && b[end] != 0x0A { end += 1 }
                var fields: [Range<Int>] = []
                fields.reserveCapacity(24)
                var f = start
                while f < end && b[f] != 0x20 { f += 1 }  // past the lemma
                while f < end {
                    while f < end && b[f] == 0x20 { f += 1 }
                    let s = f
                    while f < end && b[f] != 0x20 { f += 1 }
                    if f > s { fields.append(s..<f) }
                }
                func int(_ r: Range<Int>) -> Int? {
                    var v = 0
                    for j in r { let d = Int(b[j]) - 48; guard d >= 0 && d <= 9, v < 100_000_000 else { return nil }; v = v * 10 + d }
                    return v
                }
                guard fields.count >= 5, let synsetCount = int(fields[1]), let pointerCount = int(fields[2]) else { return nil }
                let offsetsStart = 3 + pointerCount + 2
                guard fields.count >= offsetsStart + synsetCount else { return nil }
                var offsets: [Int32] = []
                for r in fields[offsetsStart..<(offsetsStart + synsetCount)] {
                    if let v = int(r) { offsets.append(Int32(v)) }
                }
                return Array(offsets.prefix(255))
            }
        }

        /// How many of the lemma's senses were met in WordNet's tagged corpus (`tagsense_cnt`), or nil.
        func taggedSenses(_ lemma: String) -> Int? {
            guard let start = line(lemma) else { return nil }
            return bytes.withUnsafeBufferPointer { b -> Int? in
                var end = start
                while end < b.count && b[end] != 0x0A { end += 1 }
                var fields: [Range<Int>] = []
                var f = start
                while f < end && b[f] != 0x20 { f += 1 }
                while f < end {
                    while f < end && b[f] == 0x20 { f += 1 }
                    let s = f
                    while f < end && b[f] != 0x20 { f += 1 }
                    if f > s { fields.append(s..<f) }
                }
                func int(_ r: Range<Int>) -> Int? {
                    var v = 0
                    for j in r { let d = Int(b[j]) - 48; guard d >= 0 && d <= 9, v < 100_000_000 else { return nil }; v = v * 10 + d }
                    return v
                }
                guard fields.count >= 5, let pointerCount = int(fields[2]), fields.count > 3 + pointerCount + 1 else { return nil }
                return int(fields[3 + pointerCount + 1])
            }
        }

        /// The synset offsets of `lemma`, or nil.
        func offsets(_ lemma: String) -> [Int32]? {
            guard let start = line(lemma) else { return nil }
            return offsets(at: start)
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
        if let o = t.memoryNouns[lemma] { return o }
        return t.nouns.offsets(lemma)
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
        if t.memoryNouns[word] != nil || t.memoryOthers.contains(word) { return true }
        return t.nouns.offsets(word) != nil || t.others.contains { $0.line(word) != nil }
    }

    /// True when `word` is a noun lemma of its own (`odds`, `glasses`) whose senses the
    /// singular `base` does not share: the plural then means something else.
    ///
    /// Only a plural whose own sense is in use counts (WordNet's `tagsense_cnt`: its sense was
    /// met in the tagged corpus): `teeth`, whose own sense ("the most forceful part") never
    /// was, is the plural of tooth; `odds`, `glasses` and `manners` are words of their own.
    func pluralChangesMeaning(plural: String, singular base: String) -> Bool {
        guard let ps = offsets(plural) else { return false }
        if tables.memoryNouns[plural] == nil, let tagged = tables.nouns.taggedSenses(plural), tagged == 0 { return false }
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
        /// WordNet's lexicographer file (18: `noun.person`, 15: `noun.location`).
        var lexFile = -1
    }

    /// True when the most common sense of the noun `word` is a kind of person (`dictator`,
    /// `inventor`, `champ`, `Russian`): WordNet files it under `noun.person`.
    func isPersonNoun(_ word: String) -> Bool {
        guard let first = offsets(word)?.first else { return false }
        return lexFile(first) == 18
    }

    /// True when the phrase's most common WordNet sense is a person (`edward_kennedy`).
    func isPerson(_ tokens: [String]) -> Bool {
        guard let first = synsets(tokens).first else { return false }
        return lexFile(first) == 18
    }

    /// The lexicographer file of the synset at `offset` (its line's second field), read
    /// without the rest of the entry; -1 when it cannot be read.
    func lexFile(_ offset: Int32) -> Int {
        guard dataFD >= 0, offset >= 0 else { return -1 }
        var head = (0, 0, 0, 0) as (UInt64, UInt64, UInt64, UInt64)
        return withUnsafeMutableBytes(of: &head) { buf -> Int in
            let n = pread(dataFD, buf.baseAddress, 32, off_t(offset))
            guard n > 0 else { return -1 }
            // "<offset> <lex_filenum> …", the offset as asked.
            var i = 0, value = 0
            while i < n, buf[i] >= 0x30, buf[i] <= 0x39 { value = value * 10 + Int(buf[i] - 0x30); i += 1; if value > Int(Int32.max) { return -1 } }
            guard i > 0, value == Int(offset), i < n, buf[i] == 0x20 else { return -1 }
            i += 1
            var file = 0, digits = 0
            while i < n, buf[i] >= 0x30, buf[i] <= 0x39, digits < 3 { file = file * 10 + Int(buf[i] - 0x30); i += 1; digits += 1 }
            return digits > 0 && i < n && buf[i] == 0x20 ? file : -1
        }
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
        return Entry(words: words, partOf: partOf, kindOf: kindOf, isInstance: isInstance, gloss: gloss,
                     lexFile: Int(fields[1]) ?? -1)
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
