import JBCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The statistics jb-metrics reports: intervals for proportions and their differences, and
/// exact tests. Each function names the method it implements; the tests check them against
/// scipy (Tests/JBMetricsTests/Fixtures/make_fixtures.py).
public enum Statistics {
    /// The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (JBCore's `Proportion`).
    public static func normalQuantile(_ p: Double) -> Double { Proportion.normalQuantile(p) }

    /// The two-sided critical value z for a confidence level, e.g. 1.959964 for 0.95.
    public static func z(confidence: Double) -> Double { Proportion.z(confidence: confidence) }

    /// The Wilson score interval for `successes` out of `n` (JBCore's `Proportion`, shared with
    /// jb-report); nil when n = 0.
    public static func wilson(successes k: Int, n: Int, confidence: Double) -> Interval? {
        Proportion.wilson(successes: k, n: n, confidence: confidence)
    }

    /// Newcombe's hybrid score interval (1998, method 10) for the difference p₁ − p₂ of two
    /// independent proportions; nil when either sample is empty.
    public static func newcombeDifference(successes1 k1: Int, n1: Int, successes2 k2: Int, n2: Int,
                                          confidence: Double) -> Interval? {
        guard let w1 = wilson(successes: k1, n: n1, confidence: confidence),
              let w2 = wilson(successes: k2, n: n2, confidence: confidence) else { return nil }
        let p1 = Double(k1) / Double(n1)
        let p2 = Double(k2) / Double(n2)
        let d = p1 - p2
        let lower = d - ((p1 - w1.low) * (p1 - w1.low) + (w2.high - p2) * (w2.high - p2)).squareRoot()
        let upper = d + ((w1.high - p1) * (w1.high - p1) + (p2 - w2.low) * (p2 - w2.low)).squareRoot()
        return Interval(low: max(-1, lower), high: min(1, upper))
    }

    /// Newcombe's score interval (1998, method 10) for the difference of two paired
    /// proportions, from the 2×2 table of pairs: `both` right, `firstOnly`, `secondOnly`,
    /// `neither`. The difference is (firstOnly − secondOnly) / n; nil when n = 0.
    public static func newcombePairedDifference(both a: Int, firstOnly b: Int, secondOnly c: Int, neither d: Int,
                                                confidence: Double) -> Interval? {
        let n = a + b + c + d
        guard n > 0,
              let w1 = wilson(successes: a + b, n: n, confidence: confidence),
              let w2 = wilson(successes: a + c, n: n, confidence: confidence) else { return nil }
        let nn = Double(n)
        let p1 = Double(a + b) / nn
        let p2 = Double(a + c) / nn
        let theta = Double(b - c) / nn
        // φ̂, Newcombe's continuity-corrected correlation of the two outcomes: ad − bc is
        // shrunk by n/2 towards 0 when positive (0 when that crosses 0), kept when negative;
        // φ̂ = 0 when a margin is empty.
        let margins = Double(a + b) * Double(c + d) * Double(a + c) * Double(b + d)
        let cross = Double(a) * Double(d) - Double(b) * Double(c)
        let shrunk = cross > nn / 2 ? cross - nn / 2 : (cross < 0 ? cross : 0)
        let phi = margins == 0 ? 0 : shrunk / margins.squareRoot()
        let dl1 = p1 - w1.low, du1 = w1.high - p1
        let dl2 = p2 - w2.low, du2 = w2.high - p2
        let delta = max(0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2).squareRoot()
        let epsilon = max(0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2).squareRoot()
        return Interval(low: max(-1, theta - delta), high: min(1, theta + epsilon))
    }

    /// McNemar's exact test: the two-sided binomial p-value of `b` against `c` discordant
    /// pairs under p = ½, i.e. min(1, 2·P(X ≤ min(b, c))) for X ~ Bin(b + c, ½); 1 when there
    /// are no discordant pairs. Matches `scipy.stats.binomtest(b, b + c, 0.5).pvalue`.
    public static func mcNemarExact(_ b: Int, _ c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        let m = min(b, c)
        if 2 * m >= n { return 1 }
        return min(1, 2 * binomialHalfCDF(m, n: n))
    }

    /// P(X ≤ m) for X ~ Bin(n, ½), summed downward from the largest term, in log space so
    /// that n in the millions neither overflows nor underflows.
    static func binomialHalfCDF(_ m: Int, n: Int) -> Double {
        if m >= n { return 1 }
        if m < 0 { return 0 }
        let logTop = logChoose(n, m) - Double(n) * log(2.0)
        // Terms relative to the k = m term: t(k-1) = t(k) · k / (n − k + 1).
        var relative = 1.0, sum = 1.0
        var k = m
        while k > 0 {
            relative *= Double(k) / Double(n - k + 1)
            sum += relative
            if relative < sum * 1e-18 { break }
            k -= 1
        }
        return min(1, exp(logTop + log(sum)))
    }

    /// log C(n, k).
    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }

    /// Fisher's exact test, two-sided, for the 2×2 table [[a, b], [c, d]]: the sum of the
    /// probabilities of every table with the same margins that is no more likely than the one
    /// observed (relative tolerance 1e-7, as scipy uses). Matches `scipy.stats.fisher_exact`.
    public static func fisherExact(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        let row1 = a + b, row2 = c + d, col1 = a + c
        let n = row1 + row2
        guard n > 0 else { return 1 }
        let lo = max(0, col1 - row2), hi = min(row1, col1)
        let logDenominator = logChoose(n, col1)
        func logP(_ x: Int) -> Double { logChoose(row1, x) + logChoose(row2, col1 - x) - logDenominator }
        let observed = logP(a)
        let threshold = observed + log1p(1e-7)
        var p = 0.0
        for x in lo...hi {
            let lp = logP(x)
            if lp <= threshold { p += exp(lp) }
        }
        return min(1, p)
    }
}
