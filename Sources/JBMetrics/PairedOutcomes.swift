import JBCore

/// Per-question outcomes of every model, kept compactly for paired comparisons.
///
/// Each distinct (question id, epoch) gets a dense index the first time any model meets it:
/// a 16-hex-digit id (what jb-ingest writes) is stored as a 64-bit number, any other id as
/// its string. Each model then holds three bits per index — seen, answered, correct — in
/// bitsets. Memory is therefore about 60 bytes per distinct question at peak (the hash index
/// while it doubles) plus 3 bits per question per model: measured 31 MB for 500,000
/// questions, whatever the number of records, and 190–380 KB more per model.
public struct PairedOutcomes {
    private struct HexKey: Hashable {
        var id: UInt64
        var epoch: Int32
    }

    private var hexIndex: [HexKey: UInt32] = [:]
    private var otherIndex: [String: UInt32] = [:]
    private var questionCount = 0
    private var models: [String: ModelBits] = [:]
    /// Records whose model, id and epoch had been seen before (the last one is kept).
    public private(set) var duplicates = 0

    private struct ModelBits {
        var seen: [UInt64] = []
        var answered: [UInt64] = []
        var correct: [UInt64] = []
        /// The request failed (`error`): the model never answered.
        var failed: [UInt64] = []

        mutating func set(_ index: Int, answered a: Bool, correct c: Bool, failed f: Bool) -> Bool {
            let word = index >> 6, bit = UInt64(1) << UInt64(index & 63)
            if word >= seen.count {
                let grow = max(word + 1, seen.count * 2)
                seen += [UInt64](repeating: 0, count: grow - seen.count)
                answered += [UInt64](repeating: 0, count: grow - answered.count)
                correct += [UInt64](repeating: 0, count: grow - correct.count)
                failed += [UInt64](repeating: 0, count: grow - failed.count)
            }
            let wasSeen = seen[word] & bit != 0
            seen[word] |= bit
            if a { answered[word] |= bit } else { answered[word] &= ~bit }
            if c { correct[word] |= bit } else { correct[word] &= ~bit }
            if f { failed[word] |= bit } else { failed[word] &= ~bit }
            return wasSeen
        }

        func word(_ bits: [UInt64], _ k: Int) -> UInt64 { k < bits.count ? bits[k] : 0 }
    }

    /// No outcomes yet.
    public init() {}

    /// The models seen, in byte order.
    public var modelNames: [String] { models.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    /// Records one model's outcome on one question and epoch.
    public mutating func add(_ o: Outcome) {
        let index = self.index(id: o.id, epoch: o.epoch)
        let answered = o.answered && o.correct != nil
        if models[o.model, default: ModelBits()].set(index, answered: answered, correct: o.correct == true, failed: o.error) {
            duplicates += 1
        }
    }

    private mutating func index(id: String, epoch: Int) -> Int {
        if let hex = Self.hexID(id), let e = Int32(exactly: epoch) {
            let key = HexKey(id: hex, epoch: e)
            if let i = hexIndex[key] { return Int(i) }
            hexIndex[key] = UInt32(questionCount)
        } else {
            let key = "\(id)\u{1F}\(epoch)"
            if let i = otherIndex[key] { return Int(i) }
            otherIndex[key] = UInt32(questionCount)
        }
        questionCount += 1
        return questionCount - 1
    }

    /// The value of a 16-digit lowercase hex id, or nil for any other id.
    static func hexID(_ id: String) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        for c in id.utf8 {
            digits += 1
            if digits > 16 { return nil }
            switch c {
            case 0x30...0x39: value = value << 4 | UInt64(c - 0x30)
            case 0x61...0x66: value = value << 4 | UInt64(c - 0x61 + 10)
            default: return nil
            }
        }
        return digits == 16 ? value : nil
    }

    /// The paired table of two models: questions both have (`common`), and among the pairs
    /// compared, the counts of both right, only the first right, only the second, neither.
    ///
    /// The pairs compared are the common questions neither model failed (a request error):
    /// a refusal or an empty reply is a miss, as in the leaderboard's `accuracy`, so a model
    /// cannot look better head to head by refusing its hard questions. With `answeredOnly`,
    /// only questions both models answered are compared (jb's earlier definition).
    public func table(_ a: String, _ b: String, answeredOnly: Bool = false) -> PairedTable {
        let x = models[a] ?? ModelBits(), y = models[b] ?? ModelBits()
        var t = PairedTable()
        t.answeredOnly = answeredOnly
        for k in 0..<max(x.seen.count, y.seen.count) {
            let common = x.word(x.seen, k) & y.word(y.seen, k)
            t.common += common.nonzeroBitCount
            let eitherFailed = common & (x.word(x.failed, k) | y.word(y.failed, k))
            t.failed += eitherFailed.nonzeroBitCount
            let both = answeredOnly ? x.word(x.answered, k) & y.word(y.answered, k) : common & ~eitherFailed
            let ca = x.word(x.correct, k), cb = y.word(y.correct, k)
            t.both += (both & ca & cb).nonzeroBitCount
            t.firstOnly += (both & ca & ~cb).nonzeroBitCount
            t.secondOnly += (both & ~ca & cb).nonzeroBitCount
            t.neither += (both & ~ca & ~cb).nonzeroBitCount
        }
        return t
    }
}

/// The 2×2 table of a paired comparison.
public struct PairedTable: Equatable, Sendable {
    /// Questions (and epochs) both models have a record for.
    public var common = 0
    /// Compared, and both right.
    public var both = 0
    /// Compared; only the first right.
    public var firstOnly = 0
    /// Compared; only the second right.
    public var secondOnly = 0
    /// Compared; both wrong.
    public var neither = 0
    /// Common questions left out because either model's request failed.
    public var failed = 0
    /// True when only questions both models answered are compared (`--answered-only`).
    public var answeredOnly = false

    /// Creates a table.
    public init(common: Int = 0, both: Int = 0, firstOnly: Int = 0, secondOnly: Int = 0, neither: Int = 0) {
        self.common = common
        self.both = both
        self.firstOnly = firstOnly
        self.secondOnly = secondOnly
        self.neither = neither
    }

    /// Questions compared.
    public var n: Int { both + firstOnly + secondOnly + neither }

    /// The comparison record's fields (without `kind` and the model names).
    public func fields(confidence level: Double) -> JSONObject {
        let n = self.n
        let ci = Statistics.newcombePairedDifference(both: both, firstOnly: firstOnly, secondOnly: secondOnly,
                                                     neither: neither, confidence: level)
        return [
            "n": JSON(n),
            "common": JSON(common),
            "both_correct": JSON(both),
            "a_only": JSON(firstOnly),
            "b_only": JSON(secondOnly),
            "neither": JSON(neither),
            "failed": JSON(failed),
            "basis": .string(answeredOnly ? "answered" : "asked"),
            "accuracy_a": JSON(n > 0 ? Double(both + firstOnly) / Double(n) : nil),
            "accuracy_b": JSON(n > 0 ? Double(both + secondOnly) / Double(n) : nil),
            "difference": JSON(n > 0 ? Double(firstOnly - secondOnly) / Double(n) : nil),
            "ci_low": JSON(ci?.low),
            "ci_high": JSON(ci?.high),
            "confidence": JSON(level),
            "p_value": JSON(n > 0 ? Statistics.mcNemarExact(firstOnly, secondOnly) : nil),
        ]
    }
}
