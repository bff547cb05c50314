import Testing
import JBCore
@testable import JBSample

@Suite struct SampleSizeTests {
    @Test func normalQuantilesMatchTables() {
        // Standard normal table values.
        #expect(abs(Proportion.normalQuantile(0.975) - 1.959963984540054) < 1e-12)
        #expect(abs(Proportion.normalQuantile(0.8) - 0.8416212335729143) < 1e-12)
        #expect(abs(Proportion.normalQuantile(0.995) - 2.5758293035489) < 1e-12)
        #expect(abs(Proportion.normalQuantile(0.9) - 1.2815515655446004) < 1e-12)
        #expect(abs(Proportion.normalQuantile(0.5)) < 1e-15)
        #expect(abs(Proportion.normalQuantile(0.025) + 1.959963984540054) < 1e-12)
        #expect(abs(Proportion.normalQuantile(1e-10) + 6.361340902404056) < 1e-9)
    }

    @Test func cochranInfinitePopulation() {
        // 95 %, ±5 %, p = 0.5: n0 = 1.959964² × 0.25 / 0.05² = 384.146 → 385 (the textbook 385).
        let a = SampleSize.cochran(margin: 0.05, confidence: 0.95, expected: 0.5, population: nil)
        #expect(abs(a.n0 - 384.1459) < 1e-3)
        #expect(a.n == 385)
        // 95 %, ±3 %: n0 = 3.841459 × 0.25 / 0.0009 = 1067.07 → 1068.
        #expect(SampleSize.cochran(margin: 0.03, confidence: 0.95, expected: 0.5, population: nil).n == 1068)
        // 99 %, ±5 %: n0 = 2.575829² × 0.25 / 0.0025 = 663.49 → 664.
        #expect(SampleSize.cochran(margin: 0.05, confidence: 0.99, expected: 0.5, population: nil).n == 664)
    }

    @Test func cochranFinitePopulation() {
        // N = 1000: n = 384.146 / (1 + 383.146 / 1000) = 277.73 → 278.
        let a = SampleSize.cochran(margin: 0.05, confidence: 0.95, expected: 0.5, population: 1000)
        #expect(abs(a.corrected - 277.733) < 1e-3)
        #expect(a.n == 278)
        // N = 10000, ±3 %: n = 1067.07 / (1 + 1066.07 / 10000) = 964.27 → 965.
        #expect(SampleSize.cochran(margin: 0.03, confidence: 0.95, expected: 0.5, population: 10000).n == 965)
        // p = 0.7, N = 2000, ±3 %: n0 = 3.841459 × 0.21 / 0.0009 = 896.34; n = 896.34 / (1 + 895.34 / 2000) = 619.16 → 620.
        #expect(SampleSize.cochran(margin: 0.03, confidence: 0.95, expected: 0.7, population: 2000).n == 620)
        // Never more than the population.
        #expect(SampleSize.cochran(margin: 0.01, confidence: 0.99, expected: 0.5, population: 10).n == 10)
    }

    @Test func connorPairedDesign() {
        // δ = 0.1, ψ = 0.3, α = 0.05, power 0.9:
        // (1.959964 × √0.3 + 1.281552 × √0.29)² / 0.01 = (1.073516 + 0.690137)² / 0.01 = 311.05 → 312.
        let a = SampleSize.paired(detect: 0.1, alpha: 0.05, power: 0.9, discordance: 0.3)
        #expect(abs(a.exact - 311.047) < 1e-2)
        #expect(a.n == 312)
        // δ = 0.05, ψ = 0.2, α = 0.05, power 0.8:
        // (1.959964 × 0.447214 + 0.841621 × 0.444410)² / 0.0025 = (0.876523 + 0.374025)² / 0.0025 = 625.55 → 626.
        #expect(SampleSize.paired(detect: 0.05, alpha: 0.05, power: 0.8, discordance: 0.2).n == 626)
    }

    @Test func defaultDiscordanceAssumesIndependentErrors() {
        // p = 0.5, δ = 0.05: accuracies 0.525 and 0.475; 0.525 × 0.525 + 0.475 × 0.475 = 0.50125.
        let psi = SampleSize.independentDiscordance(expected: 0.5, detect: 0.05)
        #expect(abs(psi - 0.50125) < 1e-12)
        // (1.959964 × √0.50125 + 0.841621 × √0.49875)² / 0.0025 = 1571.34 → 1572.
        #expect(SampleSize.paired(detect: 0.05, alpha: 0.05, power: 0.8, discordance: psi).n == 1572)
    }

    @Test func roundUpIgnoresNoise() {
        #expect(SampleSize.roundUp(385.0000000001) == 385)
        #expect(SampleSize.roundUp(384.2) == 385)
        #expect(SampleSize.roundUp(384.0) == 384)
    }
}
