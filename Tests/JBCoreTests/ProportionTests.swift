import JBCore
import Testing

/// The one normal quantile, against mpmath (80 digits, at the double nearest p):
/// `sqrt(2) * erfinv(2p - 1)`.
@Suite struct ProportionTests {
    @Test func normalQuantileMatchesMpmath() {
        #expect(Proportion.normalQuantile(0.975) == 1.9599639845400538)  // pinned by the golden metrics
        #expect(abs(Proportion.normalQuantile(0.99) - 2.3263478740408407676) < 1e-14)
        #expect(abs(Proportion.normalQuantile(0.3) + 0.52440051270804081597) < 1e-14)
        #expect(abs(Proportion.normalQuantile(0.9999) - 3.7190164854557083867) < 1e-14)
        #expect(Proportion.normalQuantile(0.5) == 0)
    }

    /// Near p = 1, Φ(x) − p has no digits left; the upper tail goes through 1 − p instead.
    @Test func upperTailIsAccurate() {
        // The former upper-tail branch was 7e-9 off here.
        #expect(abs(Proportion.normalQuantile(0.999999999999) - 7.0344869100478352057) < 1e-14)
        #expect(abs(Proportion.normalQuantile(1e-12) + 7.0344838253011319326) < 1e-14)
    }

    @Test func outsideTheOpenIntervalIsNaN() {
        #expect(Proportion.normalQuantile(0).isNaN)
        #expect(Proportion.normalQuantile(1).isNaN)
        #expect(Proportion.normalQuantile(-3).isNaN)
        #expect(Proportion.normalQuantile(.nan).isNaN)
    }
}
