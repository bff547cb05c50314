import Foundation
import JBCore

/// What a run did, for stderr: the size it computed (always shown), the plan (`--verbose`)
/// and warnings.
public struct SampleReport: Sendable {
    /// Records read.
    public var read = 0
    /// Records that passed the filters (repeated ids that were skipped not counted).
    public var eligible = 0
    /// Records left out, by filter.
    public var dropped: [RecordFilter.Reason: Int] = [:]
    /// Records skipped because their id repeats one already kept.
    public var duplicates = 0
    /// The size of the whole sample (before `--shard`).
    public var sampled = 0
    /// Records written to stdout.
    public var written = 0
    /// Records written to the pool file.
    public var pooled = 0
    /// Lines for the normal output on stderr (a computed sample size).
    public var notes: [String] = []
    /// The plan: counts, strata and their sizes (shown with `--verbose`).
    public var plan: [String] = []
    /// Warnings.
    public var warnings: [String] = []
}

/// Writes a seeded, optionally stratified sample of question records in one streaming pass.
///
/// Every eligible record gets a priority: the first 64 bits of the SHA-256 of the seed and its
/// id. The sample of a stratum is the records with the smallest priorities (bottom-k, i.e.
/// reservoir sampling with random keys), so it is uniform, depends only on the records and the
/// seed (not on their order) and needs memory only for the records it may keep. The few-shot
/// pool is the `--split` smallest priorities overall; the sample is drawn from the rest.
public final class Sampler {
    /// The checked settings.
    public let settings: SampleSettings

    private final class Stratum {
        let labels: [String]
        var offered = 0
        var reservoir = Reservoir()
        /// The smallest key ever dropped: every record of the stratum with a smaller key is
        /// still in the reservoir, which is what makes the final choice provably exact.
        var minDiscarded: SampleKey?
        init(labels: [String]) { self.labels = labels }
    }

    private var strata: [Stratum] = []
    private var stratumIndex: [String: Int] = [:]
    private var pool = Reservoir()
    private var retained: [UInt64: String] = [:]
    private var offered = 0
    private var stored = 0
    private var pruneLimit = 4096

    /// The most records the sample can have, when known before the end: n for `-n` and
    /// `--power`, Cochran's n0 (no population correction, so never less) for `--margin`.
    private let bound: Int

    /// Creates a sampler.
    public init(settings: SampleSettings) {
        self.settings = settings
        switch settings.size {
        case .count(let n):
            bound = n
        case .power(let detect, let alpha, let power, let psi):
            bound = SampleSize.paired(detect: detect, alpha: alpha, power: power, discordance: psi).n
        case .margin(let margin, let confidence, let expected):
            bound = SampleSize.cochran(margin: margin, confidence: confidence, expected: expected, population: nil).n
        case .all, .fraction, .perStratum:
            bound = 0
        }
    }

    /// A record's seeded priority.
    static func priority(id: String, seed: UInt64) -> UInt64 {
        ContentHash.uint64("jb-sample\u{1F}\(seed)\u{1F}\(id)")
    }

    /// Reads every record from `reader` and writes the sample to `writer` (and the pool file).
    public func run(reader: JSONLReader, writer: JSONLWriter) throws -> SampleReport {
        let c = settings
        var report = SampleReport()
        let regex = try c.filter.compiledCategory()
        let exclude = try c.excludeIDsPath.map(ExcludeList.load) ?? []
        let poolOutput = try c.poolPath.map { try AtomicFile.Staged(path: $0) }
        defer { poolOutput?.discard() }

        var unseenFields = Set(c.stratify.compactMap(\.fieldName))
        var seq = 0
        while let o = try reader.next() {
            report.read += 1
            let q = try Question(json: o, fail: reader.error)
            if !unseenFields.isEmpty { for f in unseenFields where o[f] != nil { unseenFields.remove(f) } }
            if let reason = c.filter.reject(q, category: regex) {
                report.dropped[reason, default: 0] += 1
                continue
            }
            if !exclude.isEmpty && exclude.contains(q.id) {
                report.dropped[.excluded, default: 0] += 1
                continue
            }
            if c.size == .all {
                report.eligible += 1
                if c.shard?.contains(id: q.id) ?? true {
                    try writer.write(o)
                    report.written += 1
                }
                continue
            }
            let key = SampleKey(priority: Sampler.priority(id: q.id, seed: c.seed), seq: seq)
            seq += 1
            if retained[key.priority] == q.id {
                report.duplicates += 1
                continue
            }
            report.eligible += 1
            let h = stratum(of: o)
            if c.split > 0 && pool.admits(key, capacity: c.split) {
                pool.insert(Entry(key: key, id: q.id, stratum: h, line: Sampler.serialize(o)))
                retained[key.priority] = q.id
                if pool.count > c.split {
                    let e = pool.popMax()
                    offer(key: e.key, id: e.id, stratum: e.stratum) { e.line }
                }
                continue
            }
            offer(key: key, id: q.id, stratum: h) { Sampler.serialize(o) }
        }

        if c.size == .all {
            report.sampled = report.eligible
            report.plan = planHeader(report)
            if let s = c.shard { report.plan.append("shard \(s.index)/\(s.count): \(report.written) of \(report.eligible) records written") }
            return report
        }
        if report.read > 0, let missing = c.stratify.compactMap(\.fieldName).first(where: unseenFields.contains) {
            let names = StratumKey.builtIn.map(\.name).joined(separator: ", ")
            throw JBError.usage("unknown stratify key \"\(missing)\": no record has that field (derived keys: \(names))")
        }
        if c.split > 0 && pool.count < c.split {
            throw JBError.usage("impossible sample size: --split \(c.split) but only \(report.eligible) records are eligible")
        }

        let order = strata.indices.sorted { labelLess(strata[$0].labels, strata[$1].labels) }
        let sizes = order.map { strata[$0].offered }
        let population = offered
        let (total, note) = try sampleSize(population: population, poolSize: c.split)
        if let note { report.notes.append(note) }
        let shares: [Int]
        if case .perStratum(let k) = c.size {
            shares = Allocation.equal(perStratum: k, sizes: sizes)
        } else {
            shares = try Allocation.proportional(total: total, sizes: sizes, minimum: c.minPerStratum)
        }

        var chosen: [Entry] = []
        for (k, h) in order.enumerated() {
            let s = strata[h], need = shares[k]
            let kept = s.reservoir.sorted()
            if let limit = s.minDiscarded, kept.prefix(while: { $0.key < limit }).count < need {
                throw JBError.internal("stratum \(label(s)): kept too few records to choose \(need) exactly in one pass; please report this with the command line")
            }
            chosen.append(contentsOf: kept.prefix(need))
        }
        report.sampled = chosen.count
        let inOrder: (Entry, Entry) -> Bool = c.shuffle ? { $0.key < $1.key } : { $0.key.seq < $1.key.seq }
        chosen.sort(by: inOrder)

        if let poolOutput {
            let entries = pool.heap.sorted(by: inOrder)
            for e in entries { try poolOutput.writer.writeLine(e.line) }
            try poolOutput.commit()
            report.pooled = entries.count
        }
        for e in chosen where c.shard?.contains(id: e.id) ?? true {
            try writer.writeLine(e.line)
            report.written += 1
        }

        report.plan = planHeader(report)
        if c.split > 0, let path = c.poolPath { report.plan.append("few-shot pool: \(report.pooled) records written to \(path), not in the sample") }
        let how: String
        switch c.size {
        case .perStratum(let k): how = "\(k) per stratum"
        default: how = c.minPerStratum > 0 ? "proportional, at least \(c.minPerStratum) per stratum" : "proportional"
        }
        if c.stratify.isEmpty {
            report.plan.append("sample: \(report.sampled) of \(population) records, seed \(c.seed)")
        } else {
            let by = c.stratify.map(\.name).joined(separator: ",")
            report.plan.append("sample: \(report.sampled) of \(population) records in \(strata.count) strata by \(by) (\(how)), seed \(c.seed)")
        }
        if !c.stratify.isEmpty {
            for (k, h) in order.enumerated() {
                report.plan.append("  \(label(strata[h])): \(sizes[k]) eligible, \(shares[k]) sampled")
            }
        }
        if let s = c.shard { report.plan.append("shard \(s.index)/\(s.count): \(report.written) of \(report.sampled) sampled records written") }
        if report.duplicates > 0 {
            report.warnings.append("skipped \(report.duplicates) record(s) whose id repeats one already kept")
        }
        return report
    }

    private func label(_ s: Stratum) -> String {
        if settings.stratify.isEmpty { return "all" }
        return zip(settings.stratify, s.labels).map { "\($0.name)=\($1)" }.joined(separator: ", ")
    }

    private func planHeader(_ r: SampleReport) -> [String] {
        var line = "read \(r.read) records, \(r.eligible) eligible"
        let drops = r.dropped.sorted { $0.key < $1.key }.map { "\($0.value) by \($0.key.rawValue)" }
        if !drops.isEmpty { line += " (dropped \(drops.joined(separator: ", ")))" }
        if r.duplicates > 0 { line += ", \(r.duplicates) repeated id(s) skipped" }
        return [line]
    }

    /// The total sample size and, for a computed size, the line that explains it.
    private func sampleSize(population: Int, poolSize: Int) throws -> (Int, String?) {
        let eligible = poolSize > 0 ? "\(population) eligible records outside the pool" : "\(population) eligible records"
        switch settings.size {
        case .all, .perStratum:
            return (0, nil)
        case .count(let n):
            guard n <= population else {
                throw JBError.usage("impossible sample size: -n \(n) but only \(eligible)")
            }
            return (n, nil)
        case .fraction(let p):
            return (Int(clampingRounded: p * Double(population)), nil)
        case .margin(let margin, let confidence, let expected):
            let r = SampleSize.cochran(margin: margin, confidence: confidence, expected: expected, population: population)
            let note = "sample size \(r.n) by Cochran's formula: margin \(margin.shortText) at \((confidence * 100).shortText)% confidence, expected accuracy \(expected.shortText) (z = \(fixed(r.z, 4)), n0 = \(fixed(r.n0, 2))), finite population correction for \(eligible)"
            return (r.n, note)
        case .power(let detect, let alpha, let power, let psi):
            let r = SampleSize.paired(detect: detect, alpha: alpha, power: power, discordance: psi)
            let note = "sample size \(r.n) by Connor's formula for McNemar's test: detect \(detect.shortText) at alpha \(alpha.shortText) (two-sided), power \(power.shortText), discordance \(fixed(psi, 4)) (z = \(fixed(r.zAlpha, 4)) and \(fixed(r.zBeta, 4)))"
            guard r.n <= population else {
                throw JBError.usage("impossible sample size: the paired comparison needs \(r.n) questions but only \(eligible)")
            }
            return (r.n, note)
        }
    }

    private func fixed(_ v: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", v)
    }

    private func stratum(of o: JSONObject) -> Int {
        let keys = settings.stratify
        if keys.isEmpty {
            if strata.isEmpty { strata.append(Stratum(labels: [])) }
            return 0
        }
        let labels = keys.map { $0.label(of: o) }
        let joined = labels.count == 1 ? labels[0] : labels.joined(separator: "\u{1F}")
        if let h = stratumIndex[joined] { return h }
        strata.append(Stratum(labels: labels))
        stratumIndex[joined] = strata.count - 1
        return strata.count - 1
    }

    /// Offers a record that is not in the pool to its stratum's reservoir.
    private func offer(key: SampleKey, id: String, stratum h: Int, line: () -> [UInt8]) {
        let s = strata[h]
        s.offered += 1
        offered += 1
        let cap = capacity(s)
        guard s.reservoir.admits(key, capacity: cap) else {
            drop(key, id: id, from: s)
            return
        }
        s.reservoir.insert(Entry(key: key, id: id, stratum: h, line: line()))
        retained[key.priority] = id
        stored += 1
        while s.reservoir.count > cap {
            let e = s.reservoir.popMax()
            stored -= 1
            drop(e.key, id: e.id, from: s)
        }
        if stored > pruneLimit {
            for t in strata {
                let tcap = capacity(t)
                while t.reservoir.count > tcap {
                    let e = t.reservoir.popMax()
                    stored -= 1
                    drop(e.key, id: e.id, from: t)
                }
            }
            pruneLimit = max(2 * stored, 4096)
        }
    }

    private func drop(_ key: SampleKey, id: String, from s: Stratum) {
        if s.minDiscarded.map({ key < $0 }) ?? true { s.minDiscarded = key }
        if retained[key.priority] == id { retained[key.priority] = nil }
    }

    /// How many records a stratum keeps now: enough that its final share is among them.
    ///
    /// The final share is about `rate × size` where `rate` is the sampling rate (n / eligible,
    /// which `n / records seen so far` bounds from above, or the fraction). Keeping
    /// `1.25 × rate × size + 5 √(rate × size) + 1 + min-per-stratum` leaves room for chance and
    /// for a stratum that grows later in the input; `minDiscarded` checks it at the end.
    private func capacity(_ s: Stratum) -> Int {
        let rate: Double, limit: Int
        switch settings.size {
        case .perStratum(let k): return k
        case .fraction(let p): rate = p; limit = Int.max
        default: rate = Double(bound) / Double(max(offered, 1)); limit = bound
        }
        let base = rate * Double(s.offered)
        let slack = 1.25 * base + 5 * base.squareRoot() + 1
        let cap = slack >= Double(limit) ? limit : Int(clampingRounded: slack.rounded(.up)).saturatingAdd(settings.minPerStratum)
        return max(1, min(cap, limit))
    }

    static func serialize(_ o: JSONObject) -> [UInt8] {
        var out: [UInt8] = []
        JSONSerializer.writeObject(o, into: &out)
        return out
    }
}
