#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A two-sided interval `[low, high]`.
public struct Interval: Equatable, Sendable {
    /// The lower bound.
    public var low: Double
    /// The upper bound.
    public var high: Double

    /// Creates an interval.
    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }
}

/// The statistics jb-metrics reports: intervals for proportions and their differences, and
/// exact tests. Each function names the method it implements; the tests check them against
/// scipy (Tests/JBMetricsTests/Fixtures/make_fixtures.py).
public enum Statistics {
    /// The standard normal quantile Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximation
    /// refined by two Halley steps on `erfc`, accurate to about 1e-15.
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let pLow = 0.02425
        var x: Double
        if p < pLow {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - pLow {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        for _ in 0..<2 {
            let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
            let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
            x -= u / (1 + x * u / 2)
        }
        return x
    }

    /// The two-sided critical value z for a confidence level, e.g. 1.959964 for 0.95.
    public static func z(confidence: Double) -> Double {
        normalQuantile(0.5 + confidence / 2)
    }

    /// The Wilson score interval (no continuity correction) for `successes` out of `n`;
    /// nil when n = 0. Matches `scipy.stats.binomtest(k, n).proportion_ci(method="wilson")`.
    public static func wilson(successes k: Int, n: Int, confidence: Double) -> Interval? {
        guard n > 0 else { return nil }
        let z = z(confidence: confidence)
        let nn = Double(n)
        let p = Double(k) / nn
        let z2 = z * z
        let denominator = 2 * (nn + z2)
        let center = (2 * nn * p + z2) / denominator
        let half = z / denominator * (4 * nn * p * (1 - p) + z2).squareRoot()
        return Interval(low: k == 0 ? 0 : max(0, center - half), high: k == n ? 1 : min(1, center + half))
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
