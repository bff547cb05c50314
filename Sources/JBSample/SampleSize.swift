import JBCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sample sizes from statistics: Cochran's formula for estimating an accuracy to a margin,
/// and Connor's formula for McNemar's test when comparing two models on the same questions.
public enum SampleSize {
    /// Cochran's sample size for estimating a proportion.
    public struct Cochran: Equatable, Sendable {
        /// The two-sided normal quantile for the confidence level.
        public var z: Double
        /// The size for an infinite population: `z² p (1 − p) / e²`.
        public var n0: Double
        /// `n0` with the finite population correction `n0 / (1 + (n0 − 1) / N)`, when N is known.
        public var corrected: Double
        /// The sample size: `corrected` rounded up (never more than the population).
        public var n: Int
    }

    /// Cochran (1977, eq. 4.2 and 4.3): `n0 = z² p (1 − p) / e²`, then, for a population of
    /// `population` records, `n = n0 / (1 + (n0 − 1) / N)`, rounded up.
    public static func cochran(margin: Double, confidence: Double, expected p: Double,
                               population: Int?) -> Cochran {
        let z = normalQuantile(1 - (1 - confidence) / 2)
        let n0 = z * z * p * (1 - p) / (margin * margin)
        var corrected = n0
        if let population, population > 0 {
            corrected = n0 / (1 + (n0 - 1) / Double(population))
        }
        var n = roundUp(corrected)
        if let population { n = min(n, population) }
        return Cochran(z: z, n0: n0, corrected: corrected, n: n)
    }

    /// Connor's sample size for a paired comparison of two proportions.
    public struct Paired: Equatable, Sendable {
        /// `z` for the two-sided significance level: Φ⁻¹(1 − α/2).
        public var zAlpha: Double
        /// `z` for the power: Φ⁻¹(power).
        public var zBeta: Double
        /// The assumed discordance rate ψ: the share of questions exactly one model gets right.
        public var discordance: Double
        /// The unrounded size.
        public var exact: Double
        /// The sample size: `exact` rounded up.
        public var n: Int
    }

    /// Connor (1987), "Sample size for testing differences in proportions for the
    /// paired-sample design", Biometrics 43:207–211, for McNemar's test:
    /// `n = (z₁₋α/₂ √ψ + z₁₋β √(ψ − δ²))² / δ²`, rounded up, where δ is the accuracy difference
    /// to detect and ψ the discordance rate.
    public static func paired(detect delta: Double, alpha: Double, power: Double,
                              discordance psi: Double) -> Paired {
        let za = normalQuantile(1 - alpha / 2)
        let zb = normalQuantile(power)
        let root = za * psi.squareRoot() + zb * (psi - delta * delta).squareRoot()
        let exact = root * root / (delta * delta)
        return Paired(zAlpha: za, zBeta: zb, discordance: psi, exact: exact, n: roundUp(exact))
    }

    /// The discordance rate when the two models err independently, with accuracies
    /// `p ± δ/2`: `pA(1 − pB) + pB(1 − pA) = 2p(1 − p) + δ²/2`. Models that tend to know the
    /// same clues disagree less, so this is conservative (it gives a larger n).
    public static func independentDiscordance(expected p: Double, detect delta: Double) -> Double {
        2 * p * (1 - p) + delta * delta / 2
    }

    /// Rounds up, ignoring floating-point noise below 1e-9 (so 385.0000000001 gives 385).
    /// A size beyond Int's range (a tiny --margin gives 10^600) stops at `Int.max`: the
    /// population caps it anyway.
    static func roundUp(_ x: Double) -> Int {
        let r = x.rounded()
        if abs(x - r) < 1e-9 { return Int(clampingRounded: r) }
        return Int(clampingRounded: x.rounded(.up))
    }

    /// The standard normal quantile Φ⁻¹(p) for 0 < p < 1: Wichura's algorithm AS 241
    /// (PPND16), accurate to about 1e-16.
    public static func normalQuantile(_ p: Double) -> Double {
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            return q * horner(r, a0) / horner(r, b0)
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            value = horner(r, a1) / horner(r, b1)
        } else {
            r -= 5
            value = horner(r, a2) / horner(r, b2)
        }
        return q < 0 ? -value : value
    }

    /// Evaluates a polynomial whose coefficients start with the constant term.
    private static func horner(_ x: Double, _ c: [Double]) -> Double {
        var v = 0.0
        for k in stride(from: c.count - 1, through: 0, by: -1) { v = v * x + c[k] }
        return v
    }

    private static let a0: [Double] = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427,
                                       13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
                                       33430.575583588128105, 2509.0809287301226727]
    private static let b0: [Double] = [1.0, 42.313330701600911252, 687.1870074920579083,
                                       5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
                                       28729.085735721942674, 5226.495278852545925]
    private static let a1: [Double] = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055,
                                       3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177,
                                       0.0227238449892691845833, 7.7454501427834140764e-4]
    private static let b1: [Double] = [1.0, 2.05319162663775882187, 1.6763848301838038494,
                                       0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966,
                                       5.475938084995344946e-4, 1.05075007164441684324e-9]
    private static let a2: [Double] = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358,
                                       0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386,
                                       2.71155556874348757815e-5, 2.01033439929228813265e-7]
    private static let b2: [Double] = [1.0, 0.59983220655588793769, 0.13692988092273580531,
                                       0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5,
                                       1.4215117583164458887e-7, 2.04426310338993978564e-15]
}
