import JBCore
@testable import JBMetrics
import Testing

@Suite struct CutoffProbeTests {
    @Test func parsing() throws {
        let p = try CutoffProbe(parsing: "openai/gpt-4o=2023-10-01")
        #expect(p.model == "openai/gpt-4o" && p.date == "2023-10-01")
        #expect(try CutoffProbe(parsing: "a=b=2020-01-31").model == "a=b")
        for bad in ["gpt", "=2020-01-01", "m=2020-1-1", "m=2020-13-01", "m=20200101"] {
            #expect(throws: JBError.self) { try CutoffProbe(parsing: bad) }
        }
    }

    @Test func splitsOnTheCutoffDay() {
        var p = CutoffProbe(model: "m", date: "2010-06-30")
        for (date, right) in [("2010-06-30", true), ("2010-07-01", false), ("1999-01-01", true), (nil, true)] as [(String?, Bool)] {
            p.add(Outcome(model: "m", id: "q", answered: true, correct: right, airDate: date))
        }
        #expect(p.beforeN == 2 && p.beforeCorrect == 2 && p.afterN == 1 && p.afterCorrect == 0 && p.undated == 1)
        let f = p.fields(confidence: 0.95)
        #expect(f["difference"] == 1.0)
        #expect(f["p_value"] == JSON(Statistics.fisherExact(2, 0, 0, 1)))
    }
}
