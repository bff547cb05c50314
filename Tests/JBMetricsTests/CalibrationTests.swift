import JBCore
@testable import JBMetrics
import Testing

@Suite struct CalibrationTests {
    @Test func handWorkedExample() throws {
        var c = Calibration()
        // (confidence, correct)
        for (p, y) in [(0.9, true), (0.9, false), (0.6, true), (0.2, false), (1.0, true)] { c.add(confidence: p, correct: y) }
        // Brier: (0.01 + 0.81 + 0.16 + 0.04 + 0) / 5
        #expect(abs(c.brier! - 0.204) < 1e-12)
        // Bins: 9 → {0.9, 0.9, 1.0}: acc 2/3, conf 0.9333; 6 → acc 1, conf 0.6; 2 → acc 0, conf 0.2
        let ece = 3.0 / 5 * abs(2.0 / 3 - 2.8 / 3) + 1.0 / 5 * 0.4 + 1.0 / 5 * 0.2
        #expect(abs(c.ece! - ece) < 1e-12)
        // Top 40%: k = 2 of {1.0 ✓, 0.9 ✓, 0.9 ✗}: 1 + ½ = 1.5 of 2.
        let (k, p) = c.precision(atCoverage: 0.4)
        #expect(k == 2 && abs(p! - 0.75) < 1e-12)
        #expect(c.precision(atCoverage: 1).precision == 0.6)
        #expect(c.correlation != nil)
    }

    @Test func constantInputsHaveNoCorrelation() {
        var c = Calibration()
        for _ in 0..<4 { c.add(confidence: 0.7, correct: true) }
        #expect(c.correlation == nil)
        #expect(Calibration().brier == nil && Calibration().ece == nil)
        #expect(Calibration().precision(atCoverage: 0.5).precision == nil)
        #expect(Calibration().bins.isEmpty)
    }

    @Test func binEdges() {
        #expect(Calibration.bin(0) == 0)
        #expect(Calibration.bin(0.1) == 1)
        #expect(Calibration.bin(0.3) == 3)
        #expect(Calibration.bin(0.7) == 7)
        #expect(Calibration.bin(0.99) == 9)
        #expect(Calibration.bin(1) == 9)
        #expect(Calibration.coveredCount(0.1, of: 30) == 3)
        #expect(Calibration.coveredCount(0.01, of: 30) == 1)
        #expect(Calibration.coveredCount(1, of: 0) == 0)
    }
}
