import JBCore

/// Running calibration statistics over answered records that state a confidence: Brier
/// score, expected calibration error over 10 equal-width bins, the Pearson correlation of
/// confidence with correctness, and precision at coverage.
///
/// Memory is bounded: ten bins, a few running sums, and a ranking histogram of confidences
/// rounded to 1e-4 (at most 10,001 entries, in practice one per distinct stated confidence).
public struct Calibration: Sendable, Equatable {
    /// The number of bins of the expected calibration error.
    public static let binCount = ReliabilityBins.count
    /// Confidences are ranked at this resolution for precision at coverage.
    public static let rankingScale = 10_000.0

    /// Records seen.
    public private(set) var count = 0
    private var brierSum = 0.0
    // Welford's running means and co-moments, for a stable correlation.
    private var meanConfidence = 0.0
    private var meanCorrect = 0.0
    private var m2Confidence = 0.0
    private var m2Correct = 0.0
    private var coMoment = 0.0
    // Made on the first record: most groups of a fine breakdown never see a confidence.
    private var reliability: ReliabilityBins?
    /// Rounded confidence (× 10⁴) → (records, correct ones).
    private var ranking: [Int: (Int, Int)] = [:]

    /// Empty statistics.
    public init() {}

    public static func == (a: Calibration, b: Calibration) -> Bool {
        a.count == b.count && a.brierSum == b.brierSum && a.reliability == b.reliability
            && a.ranking.mapValues { [$0.0, $0.1] } == b.ranking.mapValues { [$0.0, $0.1] }
    }

    /// The bin of a confidence: ⌊10·c⌋, with 1.0 in the top bin.
    public static func bin(_ confidence: Double) -> Int { ReliabilityBins.bin(confidence) }

    /// Adds an answered record's stated confidence (0–1) and verdict.
    public mutating func add(confidence c: Double, correct: Bool) {
        let y = correct ? 1.0 : 0.0
        count += 1
        brierSum += (c - y) * (c - y)
        let n = Double(count)
        let dc = c - meanConfidence
        let dy = y - meanCorrect
        meanConfidence += dc / n
        meanCorrect += dy / n
        m2Confidence += dc * (c - meanConfidence)
        m2Correct += dy * (y - meanCorrect)
        coMoment += dc * (y - meanCorrect)
        if reliability == nil { reliability = ReliabilityBins() }
        reliability!.add(confidence: c, correct: correct)
        let key = Int((c * Self.rankingScale).rounded())
        let old = ranking[key] ?? (0, 0)
        ranking[key] = (old.0 + 1, old.1 + (correct ? 1 : 0))
    }

    /// The mean squared difference between confidence and outcome (0 best, 1 worst).
    public var brier: Double? { count > 0 ? brierSum / Double(count) : nil }

    /// The expected calibration error: Σ (nᵦ/n)·|accuracyᵦ − mean confidenceᵦ| over 10 bins.
    public var ece: Double? {
        guard count > 0, let r = reliability else { return nil }
        var total = 0.0
        for b in 0..<Self.binCount where r.n[b] > 0 {
            let nb = Double(r.n[b])
            total += nb / Double(count) * abs(Double(r.correct[b]) / nb - r.confidenceSum[b] / nb)
        }
        return total
    }

    /// The Pearson (point-biserial) correlation of confidence with correctness; nil when
    /// either is constant.
    public var correlation: Double? {
        guard count > 1, m2Confidence > 0, m2Correct > 0 else { return nil }
        let r = coMoment / (m2Confidence * m2Correct).squareRoot()
        return min(1, max(-1, r))
    }

    /// The reliability table: one object per bin with `low`, `high`, `n`,
    /// `mean_confidence` and `accuracy` (nulls in empty bins); empty when no records.
    public var bins: [JSON] {
        guard count > 0, let r = reliability else { return [] }
        return (0..<Self.binCount).map { b in
            .object([
                "low": JSON(Double(b) / Double(Self.binCount)),
                "high": JSON(Double(b + 1) / Double(Self.binCount)),
                "n": JSON(r.n[b]),
                "mean_confidence": JSON(r.meanConfidence(b)),
                "accuracy": JSON(r.accuracy(b)),
            ])
        }
    }

    /// The number of records in the most confident `coverage` share: ⌈coverage·n⌉, at least
    /// 1 when there are any.
    public static func coveredCount(_ coverage: Double, of n: Int) -> Int {
        guard n > 0 else { return 0 }
        let k = Int((coverage * Double(n) - 1e-9).rounded(.up))
        return min(n, max(1, k))
    }

    /// Accuracy on the most confident `coverage` share of the records, with the number of
    /// records that share is; records tied at the boundary count in proportion (the expected
    /// value of breaking ties at random). Nil precision when there are no records.
    public func precision(atCoverage coverage: Double) -> (n: Int, precision: Double?) {
        let k = Self.coveredCount(coverage, of: count)
        guard k > 0 else { return (0, nil) }
        var taken = 0
        var right = 0.0
        for key in ranking.keys.sorted(by: >) {
            let (n, c) = ranking[key]!
            if taken + n <= k {
                taken += n
                right += Double(c)
            } else {
                right += Double(k - taken) * Double(c) / Double(n)
                taken = k
            }
            if taken == k { break }
        }
        return (k, right / Double(k))
    }
}
