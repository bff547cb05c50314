import ArgumentParser
import Foundation
import JBSample

/// How big the sample is and how it is drawn.
struct SizeOptions: ParsableArguments {
    @Option(name: [.customShort("n"), .customLong("count")], help: "Sample N questions.")
    var n: Int?
    @Option(help: ArgumentHelp("Sample this share of the eligible questions, rounded (0 < P ≤ 1).", valueName: "P"))
    var fraction: Double?
    @Flag(help: "Write the sample in a seeded random order instead of input order.")
    var shuffle = false
    @Option(help: ArgumentHelp("Stratify by category, round, difficulty, value, year, decade or any field (proportional allocation).", valueName: "key[,key…]"))
    var stratify: String?
    @Option(help: ArgumentHelp("Take K from every stratum (equal allocation) instead of -n.", valueName: "K"))
    var perStratum: Int?
    @Option(help: ArgumentHelp("Give every stratum at least K (or all it has).", valueName: "K"))
    var minPerStratum: Int?
    @Option(help: ArgumentHelp("Size the sample to estimate accuracy within ±E (Cochran, finite population).", valueName: "E"))
    var margin: Double?
    @Option(help: ArgumentHelp("Confidence level for --margin (default 0.95).", valueName: "C"))
    var confidence: Double?
    @Option(help: ArgumentHelp("Accuracy you expect, for --margin and --power (default 0.5, the most conservative).", valueName: "P"))
    var expectedAccuracy: Double?
    @Flag(help: "Size the sample to tell two models apart on the same questions (McNemar, Connor 1987).")
    var power = false
    @Option(help: ArgumentHelp("Accuracy difference --power must detect.", valueName: "D"))
    var detect: Double?
    @Option(help: ArgumentHelp("Two-sided significance level for --power (default 0.05).", valueName: "A"))
    var alpha: Double?
    @Option(help: ArgumentHelp("Power for --power (default 0.8).", valueName: "P"))
    var powerLevel: Double?
    @Option(help: ArgumentHelp("Share of questions exactly one model gets right (default: independent errors).", valueName: "Q"))
    var discordance: Double?
}

/// Which questions are eligible, and which part of the sample to write where.
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("round"), help: ArgumentHelp("Keep these rounds (J, DJ, FJ, Tiebreaker, or full names).", valueName: "round[,round…]"))
    var rounds: String?
    @Option(help: ArgumentHelp("Keep clues aired on or after this date.", valueName: "YYYY-MM-DD"))
    var from: String?
    @Option(help: ArgumentHelp("Keep clues aired on or before this date.", valueName: "YYYY-MM-DD"))
    var to: String?
    @Option(help: ArgumentHelp("Keep categories matching this regular expression (anywhere, any case).", valueName: "regex"))
    var category: String?
    @Option(help: ArgumentHelp("Keep board values of at least V dollars.", valueName: "V"))
    var minValue: Int?
    @Option(help: ArgumentHelp("Keep board values of at most V dollars.", valueName: "V"))
    var maxValue: Int?
    @Flag(help: "Drop clues that need a picture, audio or video.")
    var noMedia = false
    @Option(help: ArgumentHelp("Drop the ids in this file (one per line, or JSON Lines records).", valueName: "file"))
    var excludeIds: String?
    @Option(help: ArgumentHelp("Write only part I of N of the sample, by id hash.", valueName: "I/N"))
    var shard: String?
    @Option(name: .customLong("shard-index"),
            help: ArgumentHelp("Write only part I of N, I counted from 0 as schedulers do (also JB_SHARD=I/N).", valueName: "I/N"))
    var shardIndex: String?
    @Option(help: ArgumentHelp("Also draw a few-shot pool of K questions, disjoint from the sample.", valueName: "K"))
    var split: Int?
    @Option(help: ArgumentHelp("Where --split writes the pool.", valueName: "file"))
    var pool: String?
}

extension UncheckedSampleSettings {
    /// The flags as given on the command line.
    init(size s: SizeOptions, filters f: FilterOptions, seed: UInt64) {
        self.init()
        n = s.n; fraction = s.fraction; shuffle = s.shuffle; stratify = s.stratify
        perStratum = s.perStratum; minPerStratum = s.minPerStratum
        margin = s.margin; confidence = s.confidence; expectedAccuracy = s.expectedAccuracy
        power = s.power; detect = s.detect; alpha = s.alpha; powerLevel = s.powerLevel; discordance = s.discordance
        rounds = f.rounds; from = f.from; to = f.to; category = f.category
        minValue = f.minValue; maxValue = f.maxValue; noMedia = f.noMedia; excludeIDs = f.excludeIds
        shard = f.shard; shardIndex = f.shardIndex
        shardEnvironment = ProcessInfo.processInfo.environment["JB_SHARD"]
        split = f.split; pool = f.pool
        self.seed = seed
    }
}
