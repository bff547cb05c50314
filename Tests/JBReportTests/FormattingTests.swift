import Testing
@testable import JBReport

@Suite struct FormattingTests {
    @Test func rates() {
        #expect(Formatting.percent(0.716667) == "71.7%")
        #expect(Formatting.percent(nil) == "–")
        #expect(Formatting.percent(-0.623) == "−62.3%")
        #expect(Formatting.interval(0.630298, 0.789594) == "63.0–79.0")
        #expect(Formatting.points(-0.0821) == "−8.2 pp")
        #expect(Formatting.points(0.0001) == "+0.0 pp")
        #expect(Formatting.points(-0.0001) == "+0.0 pp")
    }

    @Test func moneyAndTime() {
        #expect(Formatting.dollars(41200) == "+$41,200")
        #expect(Formatting.dollars(-3600) == "−$3,600")
        #expect(Formatting.dollars(0) == "$0")
        #expect(Formatting.cost(0.004512) == "$0.0045")
        #expect(Formatting.cost(0.03128) == "$0.031")
        // Below a cent, two significant digits: never "$0.0000" for a cost that is not zero.
        #expect(Formatting.cost(0.000045) == "$0.000045")
        #expect(Formatting.cost(0.0000001234) == "$0.00000012")
        #expect(Formatting.cost(0.009) == "$0.0090")
        #expect(Formatting.cost(12.5) == "$12.50")
        #expect(Formatting.milliseconds(812) == "812 ms")
        #expect(Formatting.milliseconds(12_345) == "12.3 s")
        #expect(Formatting.count(1_234_567) == "1,234,567")
        #expect(Formatting.pValue(0.00001) == "<0.001")
        #expect(Formatting.fixed(-0.00001, decimals: 2) == "0.00")
    }
}
