import JBCore

/// A deterministic partition by id: shard `index` of `count` (1-based) keeps the records
/// whose `ContentHash.uint64(id) % count` is `index − 1`.
public struct Shard: Equatable, Sendable {
    /// 1-based shard number.
    public var index: Int
    /// Number of shards.
    public var count: Int

    /// Parses `I/N` with 1 ≤ I ≤ N or, `zeroBased`, a scheduler's index: 0 ≤ I < N (Slurm's
    /// `SLURM_ARRAY_TASK_ID`, Kubernetes' `JOB_COMPLETION_INDEX`, GNU parallel's `{%}` − 1).
    /// `source` names the flag or variable in the error.
    public init(parsing text: String, zeroBased: Bool = false, source: String = "--shard") throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let low = zeroBased ? 0 : 1
        guard parts.count == 2, let i = Int(parts[0].filter { $0 != " " }),
              let n = Int(parts[1].filter { $0 != " " }),
              n >= 1, i >= low, i < n + low else {
            let rule = zeroBased ? "0 ≤ I < N, e.g. 0/4 for the first of four" : "1 ≤ I ≤ N, e.g. 2/4"
            throw JBError.usage("\(source) \"\(text)\": expected I/N with \(rule)")
        }
        index = i + 1 - low
        count = n
    }

    /// Whether the record with this id belongs to this shard.
    public func contains(id: String) -> Bool {
        ContentHash.uint64(id) % UInt64(count) == UInt64(index - 1)
    }
}

/// What jb-sample does, checked: how many records, from which strata, after which filters.
public struct SampleSettings: Sendable {
    /// How the sample size is set.
    public enum Size: Equatable, Sendable {
        /// No sampling: every eligible record (filters and `--shard` only).
        case all
        /// `-n N`.
        case count(Int)
        /// `--fraction P`: round(P × eligible).
        case fraction(Double)
        /// `--per-stratum K`: K from every stratum.
        case perStratum(Int)
        /// `--margin`: Cochran's formula with the finite population correction.
        case margin(margin: Double, confidence: Double, expected: Double)
        /// `--power`: Connor's formula for McNemar's test.
        case power(detect: Double, alpha: Double, power: Double, discordance: Double)
    }

    /// The sample size rule.
    public var size: Size = .all
    /// The seed of every random choice.
    public var seed: UInt64 = SampleSetting.seed.defaultValue
    /// Write in a random (seeded) order instead of input order.
    public var shuffle = false
    /// What to stratify by (empty: one stratum).
    public var stratify: [StratumKey] = []
    /// The least each stratum gets under proportional allocation.
    public var minPerStratum = 0
    /// Which records are eligible.
    public var filter = RecordFilter()
    /// A file of ids to leave out.
    public var excludeIDsPath: String?
    /// Write only this shard of the sample.
    public var shard: Shard?
    /// The size of the few-shot pool.
    public var split = 0
    /// Where the few-shot pool goes.
    public var poolPath: String?

    public init() {}
}

/// The command-line values as given, before checking (nil: flag not given).
public struct UncheckedSampleSettings: Sendable {
    public var n: Int?
    public var fraction: Double?
    public var seed: UInt64 = SampleSetting.seed.defaultValue
    public var shuffle = false
    public var stratify: String?
    public var perStratum: Int?
    public var minPerStratum: Int?
    public var margin: Double?
    public var confidence: Double?
    public var expectedAccuracy: Double?
    public var power = false
    public var detect: Double?
    public var alpha: Double?
    public var powerLevel: Double?
    public var discordance: Double?
    public var rounds: String?
    public var from: String?
    public var to: String?
    public var category: String?
    public var minValue: Int?
    public var maxValue: Int?
    public var noMedia = false
    public var excludeIDs: String?
    public var shard: String?
    /// `--shard-index I/N`: the shard by a scheduler's 0-based index.
    public var shardIndex: String?
    /// `JB_SHARD=I/N` from the environment (0-based), used when neither flag is given.
    public var shardEnvironment: String?
    public var split: Int?
    public var pool: String?

    public init() {}

    /// Checks the flags and their combinations; every problem is a usage error.
    public func checked() throws -> SampleSettings {
        var c = SampleSettings()
        c.seed = seed
        c.shuffle = shuffle

        let sizeFlags = [n != nil ? "-n" : nil, fraction != nil ? "--fraction" : nil,
                         perStratum != nil ? "--per-stratum" : nil, margin != nil ? "--margin" : nil,
                         power ? "--power" : nil].compactMap { $0 }
        if sizeFlags.count > 1 {
            throw JBError.usage("\(sizeFlags.joined(separator: " and ")) cannot be combined: give one way to size the sample")
        }
        func open01(_ v: Double, _ flag: String) throws {
            guard v > 0 && v < 1 else { throw JBError.usage("\(flag) \(v.shortText): expected a number between 0 and 1 (exclusive)") }
        }
        if margin == nil && !power {
            if confidence != nil { throw JBError.usage("--confidence needs --margin") }
            if expectedAccuracy != nil { throw JBError.usage("--expected-accuracy needs --margin or --power") }
        }
        if !power {
            for (v, flag) in [(detect, "--detect"), (alpha, "--alpha"), (powerLevel, "--power-level"), (discordance, "--discordance")]
            where v != nil { throw JBError.usage("\(flag) needs --power") }
        }
        let expected = expectedAccuracy ?? 0.5
        if expectedAccuracy != nil { try open01(expected, "--expected-accuracy") }

        if let n {
            guard n >= 1 else { throw JBError.usage("impossible sample size: -n \(n) (expected at least 1)") }
            c.size = .count(n)
        } else if let fraction {
            guard fraction > 0 && fraction <= 1 else {
                throw JBError.usage("impossible sample size: --fraction \(fraction.shortText) (expected more than 0 and at most 1)")
            }
            c.size = .fraction(fraction)
        } else if let perStratum {
            guard perStratum >= 1 else { throw JBError.usage("impossible sample size: --per-stratum \(perStratum) (expected at least 1)") }
            c.size = .perStratum(perStratum)
        } else if let margin {
            try open01(margin, "--margin")
            let confidence = confidence ?? 0.95
            try open01(confidence, "--confidence")
            c.size = .margin(margin: margin, confidence: confidence, expected: expected)
        } else if power {
            guard let detect else { throw JBError.usage("--power needs --detect D, the accuracy difference to detect (e.g. 0.05)") }
            try open01(detect, "--detect")
            let alpha = alpha ?? 0.05
            try open01(alpha, "--alpha")
            let level = powerLevel ?? 0.8
            try open01(level, "--power-level")
            let psi = discordance ?? SampleSize.independentDiscordance(expected: expected, detect: detect)
            guard psi > detect && psi <= 1 else {
                throw JBError.usage("--discordance \(psi.shortText): expected more than --detect \(detect.shortText) and at most 1 (the share of questions exactly one model gets right)")
            }
            c.size = .power(detect: detect, alpha: alpha, power: level, discordance: psi)
        }

        if let stratify { c.stratify = try StratumKey.parseList(stratify) }
        if perStratum != nil && c.stratify.isEmpty { throw JBError.usage("--per-stratum needs --stratify") }
        if let minPerStratum {
            guard !c.stratify.isEmpty else { throw JBError.usage("--min-per-stratum needs --stratify") }
            guard perStratum == nil else { throw JBError.usage("--min-per-stratum and --per-stratum cannot be combined") }
            guard minPerStratum >= 0 else { throw JBError.usage("--min-per-stratum \(minPerStratum): expected 0 or more") }
            c.minPerStratum = minPerStratum
        }
        if c.size == .all {
            if !c.stratify.isEmpty { throw JBError.usage("--stratify needs a sample size (-n, --fraction, --per-stratum, --margin or --power)") }
            if shuffle { throw JBError.usage("--shuffle needs a sample size (-n, --fraction, --per-stratum, --margin or --power)") }
            if split != nil { throw JBError.usage("--split needs a sample size (-n, --fraction, --per-stratum, --margin or --power)") }
        }

        if let rounds { c.filter.rounds = try RecordFilter.parseRounds(rounds) }
        if let from { c.filter.from = try RecordFilter.checkDate(from, flag: "--from") }
        if let to { c.filter.to = try RecordFilter.checkDate(to, flag: "--to") }
        if let from, let to, from > to { throw JBError.usage("--from \(from) is after --to \(to)") }
        c.filter.categoryPattern = category
        _ = try c.filter.compiledCategory()
        c.filter.minValue = minValue
        c.filter.maxValue = maxValue
        if let minValue, let maxValue, minValue > maxValue {
            throw JBError.usage("--min-value \(minValue) is more than --max-value \(maxValue)")
        }
        c.filter.noMedia = noMedia
        c.excludeIDsPath = excludeIDs

        switch (shard, shardIndex) {
        case (_?, _?):
            throw JBError.usage("--shard and --shard-index both choose the shard: give one (1-based I/N or 0-based I/N)")
        case (let one?, nil):
            c.shard = try Shard(parsing: one)
        case (nil, let zero?):
            c.shard = try Shard(parsing: zero, zeroBased: true, source: "--shard-index")
        case (nil, nil):
            if let env = shardEnvironment, !env.isEmpty {
                c.shard = try Shard(parsing: env, zeroBased: true, source: "JB_SHARD")
            }
        }
        if let split {
            guard split >= 1 else { throw JBError.usage("--split \(split): expected a pool size of at least 1") }
            guard let pool, !pool.isEmpty else { throw JBError.usage("--split needs --pool FILE, where the few-shot pool is written") }
            c.split = split
            c.poolPath = pool
        } else if pool != nil {
            throw JBError.usage("--pool needs --split K, the size of the few-shot pool")
        }
        return c
    }
}

extension Double {
    /// The shortest text that reads back as this number (`0.05`, not `0.05000000000000000`).
    var shortText: String {
        if self == rounded() && abs(self) < 1e15 { return String(Int(self)) }
        return description
    }
}
