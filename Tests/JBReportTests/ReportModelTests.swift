import JBCore
import Testing
@testable import JBReport

@Suite struct ReportModelTests {
    @Test func leaderboardIsBestFirst() {
        let m = ReportModel(title: "t", records: [
            Fixtures.metric("b", n: 10, correct: 5), Fixtures.metric("a", n: 10, correct: 9), Fixtures.metric("c", n: 10, correct: 5),
        ])
        #expect(m.models == ["a", "b", "c"])
        #expect(m.confidenceLabel == "95%")
    }

    @Test func breakdownsOrderNumbersNumerically() {
        let m = ReportModel(title: "t", records: [
            Fixtures.metric("a", n: 10, correct: 5),
            Fixtures.metric("a", "difficulty=10", n: 2, correct: 1),
            Fixtures.metric("a", "difficulty=2", n: 5, correct: 1),
            Fixtures.metric("a", "category=X", n: 2, correct: 1),
            Fixtures.metric("a", "category=Y", n: 7, correct: 1),
        ])
        #expect(m.breakdowns.map(\.field) == ["difficulty", "category"])
        #expect(m.breakdowns[0].values == ["2", "10"])
        #expect(m.breakdowns[1].values == ["Y", "X"])
        #expect(m.breakdowns[1].shownValues(top: 1) == ["Y"])
    }

    @Test func modelsWithOnlyBreakdownsStillRank() {
        let m = ReportModel(title: "t", records: [Fixtures.metric("a", "round=J", n: 10, correct: 5)])
        #expect(m.models == ["a"])
        #expect(m.leaderboard[0].accuracy == nil)
    }

    @Test func runConfigurationIsFlattenedAndSecretsMasked() {
        let run = ReportModel.flatten(["openrouter": ["api_key": "sk-or-v1-abcdefghijklmnop"], "seed": 7,
                                       "stages": [["tool": "jb-query"]], "models": ["a", "b"]])
        #expect(run.map(\.key) == ["models", "openrouter.api_key", "seed", "stages[0].tool"])
        #expect(run[1].value == "********")
        #expect(run[0].value == "a, b")
        #expect(!run.contains { $0.value.contains("sk-or") })
    }

    @Test func calibrationComesFromRecordsFirst() {
        let m = Fixtures.model()
        #expect(m.calibration["good"] == [CalibrationBin(confidence: 0.9, accuracy: 0.85, n: 50)])
    }

    @Test func calibratedModelsAreThoseWithBins() {
        #expect(ReportModel.calibratedModels(Fixtures.model().records) == ["good"])
    }
}

@Suite struct CrossedBreakdownTests {
    @Test func crossedGroupsKeepBothOrders() {
        func crossed(_ round: String, _ row: Int, n: Int) -> MetricRecord {
            Fixtures.metric("a", "round+difficulty=\(round)+\(row)", n: n, correct: 1,
                            extra: ["group_field": "round+difficulty", "group_value": [.string(round), .int(Int64(row))]])
        }
        let m = ReportModel(title: "t", records: [
            Fixtures.metric("a", n: 10, correct: 5),
            crossed("Double Jeopardy!", 1, n: 9), crossed("Jeopardy!", 10, n: 2), crossed("Jeopardy!", 2, n: 3),
        ])
        let b = m.breakdowns[0]
        #expect(b.title == "round × difficulty")
        #expect(b.values == ["Jeopardy!+2", "Jeopardy!+10", "Double Jeopardy!+1"])
    }
}
