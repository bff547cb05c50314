import JBCore

/// A bounded-memory histogram of non-negative millisecond values that answers quantiles.
///
/// Values are rounded to whole milliseconds. Below 2048 ms every value has its own bucket,
/// so quantiles there are exact; from 2048 ms on a bucket keeps the value's top 11 bits
/// (1024 buckets per doubling), so a reported quantile is within 1/2048 (0.05%) of the exact
/// one. Buckets are stored sparsely: a group holds at most one entry per distinct bucket —
/// about 2048 + 1024 per doubling above 2 s, some 17,000 for values up to a day — however
/// many values it sees. Quantiles interpolate linearly between order statistics, as
/// `numpy.percentile` does by default.
public struct QuantileSketch: Sendable, Equatable {
    /// Bits kept exactly: values below 2^11 are exact.
    static let bits = 11
    static let exactLimit = 1 << bits

    private var counts: [Int: Int] = [:]
    /// Values added.
    public private(set) var count = 0
    /// Their exact sum (before rounding).
    public private(set) var sum = 0.0
    private var minimum = Int.max
    private var maximum = Int.min

    /// An empty sketch.
    public init() {}

    /// Buckets in use: the sketch's memory, in entries.
    public var bucketCount: Int { counts.count }

    /// The exact mean of the values added, or nil when none were.
    public var mean: Double? { count > 0 ? sum / Double(count) : nil }

    /// Adds a value (negative values count as 0).
    public mutating func add(_ value: Double) {
        let v = value.isFinite ? max(0, Int(clampingRounded: value)) : 0
        counts[Self.bucket(v), default: 0] += 1
        count += 1
        sum += max(0, value)
        minimum = min(minimum, v)
        maximum = max(maximum, v)
    }

    /// The bucket index of a value: monotonic in the value.
    static func bucket(_ v: Int) -> Int {
        if v < exactLimit { return v }
        let e = Int.bitWidth - v.leadingZeroBitCount - 1
        let shift = e - (bits - 1)
        let mantissa = v >> shift
        return exactLimit + (shift - 1) * (exactLimit / 2) + (mantissa - exactLimit / 2)
    }

    /// The value a bucket stands for: itself when exact, else the middle of its range.
    static func representative(_ index: Int) -> Double {
        if index < exactLimit { return Double(index) }
        let half = exactLimit / 2
        let shift = (index - exactLimit) / half + 1
        let mantissa = (index - exactLimit) % half + half
        let low = mantissa << shift
        let width = 1 << shift
        return Double(low) + Double(width - 1) / 2
    }

    /// The quantiles at each `p` in 0…1, or nil when the sketch is empty.
    public func quantiles(_ ps: [Double]) -> [Double]? {
        guard count > 0 else { return nil }
        let buckets = counts.sorted { $0.key < $1.key }
        func value(atRank r: Int) -> Double {
            var seen = 0
            for (index, c) in buckets {
                seen += c
                if r < seen {
                    return min(Double(maximum), max(Double(minimum), Self.representative(index)))
                }
            }
            return Double(maximum)
        }
        return ps.map { p in
            let h = Double(count - 1) * p
            let lower = Int(h.rounded(.down))
            let fraction = h - Double(lower)
            let a = value(atRank: lower)
            if fraction == 0 || lower + 1 >= count { return a }
            let b = value(atRank: lower + 1)
            return a + fraction * (b - a)
        }
    }
}
