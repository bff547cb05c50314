/// Ten equal-width reliability bins over stated confidences (0–1): how many answers fell in
/// each, how many were right, and the sum of their confidences. jb-metrics writes them as
/// `calibration_bins`; jb-report bins graded records the same way only for a model whose
/// metric record carries none.
public struct ReliabilityBins: Sendable, Equatable {
    /// The number of bins.
    public static let count = 10

    /// Answers per bin.
    public private(set) var n = [Int](repeating: 0, count: ReliabilityBins.count)
    /// Right answers per bin.
    public private(set) var correct = [Int](repeating: 0, count: ReliabilityBins.count)
    /// The sum of the stated confidences per bin.
    public private(set) var confidenceSum = [Double](repeating: 0, count: ReliabilityBins.count)

    /// Empty bins.
    public init() {}

    /// The bin of a confidence: ⌊10·c⌋, with 1.0 in the top bin.
    public static func bin(_ confidence: Double) -> Int {
        min(count - 1, max(0, Int((confidence * Double(count)).rounded(.down))))
    }

    /// Adds an answer with stated confidence `c` (0–1).
    public mutating func add(confidence c: Double, correct right: Bool) {
        let b = Self.bin(c)
        n[b] += 1
        confidenceSum[b] += c
        if right { correct[b] += 1 }
    }

    /// Bin `b`'s mean stated confidence, nil when empty.
    public func meanConfidence(_ b: Int) -> Double? { n[b] > 0 ? confidenceSum[b] / Double(n[b]) : nil }

    /// Bin `b`'s share of right answers, nil when empty.
    public func accuracy(_ b: Int) -> Double? { n[b] > 0 ? Double(correct[b]) / Double(n[b]) : nil }
}
