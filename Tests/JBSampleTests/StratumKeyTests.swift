import JBCore
import Testing
@testable import JBSample

@Suite struct StratumKeyTests {
    let record: JSONObject = ["air_date": "1997-03-14", "round": "Double Jeopardy!", "category": "SCIENCE",
                              "value": 800, "difficulty": 2, "media": false, "source": "pilot", "tags": ["a"]]

    @Test func derivedKeys() {
        #expect(StratumKey.category.label(of: record) == "SCIENCE")
        #expect(StratumKey.round.label(of: record) == "Double Jeopardy!")
        #expect(StratumKey.value.label(of: record) == "800")
        #expect(StratumKey.difficulty.label(of: record) == "2")
        #expect(StratumKey.year.label(of: record) == "1997")
        #expect(StratumKey.decade.label(of: record) == "1990s")
    }

    @Test func anyField() {
        #expect(StratumKey(name: "source").label(of: record) == "pilot")
        #expect(StratumKey(name: "media").label(of: record) == "false")
        #expect(StratumKey(name: "tags").label(of: record) == "[\"a\"]")
        #expect(StratumKey(name: "missing").label(of: record) == "(none)")
        #expect(StratumKey.decade.label(of: ["air_date": .null]) == "(none)")
    }

    @Test func parseList() throws {
        #expect(try StratumKey.parseList("round,decade") == [.round, .decade])
        #expect(try StratumKey.parseList("source") == [.field("source")])
        #expect(throws: JBError.self) { try StratumKey.parseList("round,,value") }
        #expect(throws: JBError.self) { try StratumKey.parseList("round,round") }
    }

    @Test func labelsSortNumbersNumerically() {
        #expect(labelLess(["200"], ["1000"]))
        #expect(labelLess(["1980s"], ["2000s"]))
        #expect(labelLess(["HISTORY"], ["SCIENCE"]))
        #expect(labelLess(["SCIENCE"], ["(none)"]))
        #expect(!labelLess(["(none)"], ["SCIENCE"]))
    }
}
