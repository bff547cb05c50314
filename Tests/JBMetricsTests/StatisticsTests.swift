import JBCore
@testable import JBMetrics
import Testing

/// Reference values from scipy 1.17 (see the comment on each).
@Suite struct StatisticsTests {
    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    @Test func normalQuantile() {
        // scipy.stats.norm.ppf
        #expect(close(Statistics.normalQuantile(0.975), 1.959963984540054))
        #expect(close(Statistics.normalQuantile(0.995), 2.5758293035489004))
        #expect(close(Statistics.normalQuantile(0.5), 0))
        #expect(close(Statistics.normalQuantile(1e-10), -6.361340902404056, 1e-9))
        #expect(close(Statistics.normalQuantile(0.01), -2.3263478740408408))
    }

    @Test func wilson() throws {
        // binomtest(7, 10).proportion_ci(0.95, method="wilson") = (0.39677..., 0.89221...)
        let w = try #require(Statistics.wilson(successes: 7, n: 10, confidence: 0.95))
        #expect(close(w.low, 0.39677814746114526))
        #expect(close(w.high, 0.892208732593699))
        #expect(Statistics.wilson(successes: 0, n: 0, confidence: 0.95) == nil)
        #expect(Statistics.wilson(successes: 0, n: 5, confidence: 0.95)?.low == 0)
        #expect(Statistics.wilson(successes: 5, n: 5, confidence: 0.95)?.high == 1)
    }

    @Test func mcNemar() {
        // binomtest(2, 12, 0.5).pvalue = 0.0385742..., binomtest(1, 1).pvalue = 1
        #expect(close(Statistics.mcNemarExact(2, 10), 0.03857421875))
        #expect(close(Statistics.mcNemarExact(10, 2), 0.03857421875))
        #expect(Statistics.mcNemarExact(0, 0) == 1)
        #expect(Statistics.mcNemarExact(1, 0) == 1)
        #expect(Statistics.mcNemarExact(5, 5) == 1)
        // binomtest(0, 30).pvalue = 2 * 0.5**30
        #expect(close(Statistics.mcNemarExact(0, 30), 1.862645149230957e-09, 1e-20))
        // Large n stays finite and accurate: binomtest(49000, 100000).pvalue = 2.5887e-10
        #expect(close(Statistics.mcNemarExact(49_000, 51_000), 2.5887160383468943e-10, 1e-17))
    }

    @Test func fisher() {
        // fisher_exact([[3, 1], [1, 3]]) = 0.48571428571428527 (Fisher's tea tasting)
        #expect(close(Statistics.fisherExact(3, 1, 1, 3), 0.4857142857142857, 1e-12))
        // fisher_exact([[8, 2], [1, 5]]) = 0.034965034965034975
        #expect(close(Statistics.fisherExact(8, 2, 1, 5), 0.03496503496503497, 1e-12))
        #expect(Statistics.fisherExact(0, 0, 0, 0) == 1)
        #expect(close(Statistics.fisherExact(5, 0, 5, 0), 1))
    }

    @Test func pairedDifferenceIsCentredOnTheDifference() throws {
        let ci = try #require(Statistics.newcombePairedDifference(both: 30, firstOnly: 12, secondOnly: 4, neither: 14, confidence: 0.95))
        let d = 8.0 / 60
        #expect(ci.low < d && d < ci.high)
        #expect(ci.low > -1 && ci.high < 1)
        // No discordant pairs: zero difference, but a real interval around it.
        let tie = try #require(Statistics.newcombePairedDifference(both: 10, firstOnly: 0, secondOnly: 0, neither: 10, confidence: 0.95))
        #expect(tie.low < 0 && tie.high > 0)
        #expect(Statistics.newcombePairedDifference(both: 0, firstOnly: 0, secondOnly: 0, neither: 0, confidence: 0.95) == nil)
    }

    @Test func unpairedDifference() throws {
        let ci = try #require(Statistics.newcombeDifference(successes1: 56, n1: 70, successes2: 48, n2: 80, confidence: 0.95))
        // Newcombe (1998, unpaired), Table II example (a): 56/70 − 48/80 → −0.0524 to 0.3339, method 10.
        #expect(close(ci.low, 0.0524, 1e-4))
        #expect(close(ci.high, 0.3339, 1e-4))
    }
}
