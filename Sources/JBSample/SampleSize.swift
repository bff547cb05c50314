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
        let z = Proportion.normalQuantile(1 - (1 - confidence) / 2)
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
        let za = Proportion.normalQuantile(1 - alpha / 2)
        let zb = Proportion.normalQuantile(power)
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
}
