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

/// Intervals for a proportion, shared by jb-metrics (its statistics) and jb-report (the
/// leaderboard across runs), so both compute the same interval the same way.
public enum Proportion {
    /// The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (NaN outside): Acklam's rational
    /// approximation refined by two Halley steps on `erfc`; the upper tail is computed as
    /// −Φ⁻¹(1 − p), where 1 − p is exact, so its absolute error stays below 1e-14 (checked
    /// against mpmath). The one normal quantile: jb-sample's sizes, jb-metrics' intervals and
    /// jb-report's leaderboard all use it.
    public static func normalQuantile(_ p: Double) -> Double {
        guard p > 0 && p < 1 else { return .nan }
        let pLow = 0.02425
        // Φ(x) − p loses its digits near p = 1; 1 − p does not.
        if p > 1 - pLow { return -normalQuantile(1 - p) }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        var x: Double
        if p < pLow {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
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
}
