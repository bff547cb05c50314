import JBCore
@testable import JBMetrics
import Testing

@Suite struct BreakdownTests {
    let record: JSONObject = ["air_date": "1997-03-04", "round": "Jeopardy!", "value": .double(400),
                              "grade": ["method": "exact"], "a.b": 1, "params": ["t": 0.5]]

    @Test func derivedAndDotted() throws {
        #expect(try Breakdown("year").value(of: record) == 1997)
        #expect(try Breakdown("decade").value(of: record) == "1990s")
        #expect(try Breakdown("decade").value(of: [:]) == .null)
        #expect(try Breakdown("grade.method").value(of: record) == "exact")
        #expect(try Breakdown("a.b").value(of: record) == 1)
        #expect(try Breakdown("params.t").value(of: record) == 0.5)
        #expect(try Breakdown("value").value(of: record) == 400)
        #expect(try Breakdown("missing.field").value(of: record) == .null)
        #expect(throws: JBError.self) { try Breakdown(" ") }
        #expect(throws: JBError.self) { try Breakdown("round+") }
        let cross = try Breakdown("round + year")
        #expect(cross.field == "round+year")
        #expect(cross.value(of: record) == ["Jeopardy!", 1997])
        #expect(cross.group(cross.value(of: record)) == "round+year=Jeopardy!+1997")
        #expect(try Breakdown("value").group(.null) == "value=null")
    }

    @Test func textAndOrder() {
        #expect(Breakdown.text("HISTORY") == "HISTORY")
        #expect(Breakdown.text(.null) == "null")
        #expect(Breakdown.text(200) == "200")
        let values: [JSON] = [.null, "b", true, 1000, "a", false, 200, .double(2.5), ["x"]]
        #expect(values.sorted(by: Breakdown.precedes) == [.double(2.5), 200, 1000, "a", "b", false, true, ["x"], .null])
        let pairs: [JSON] = [["b", 1], ["a", 10], ["a", 2], ["a", .null], ["a"]]
        #expect(pairs.sorted(by: Breakdown.precedes) == [["a"], ["a", 2], ["a", 10], ["a", .null], ["b", 1]])
    }
}
