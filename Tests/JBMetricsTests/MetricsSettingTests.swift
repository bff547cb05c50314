import Foundation
import JBCore
import JBMetrics
import Testing

/// jb-metrics' settings: one declaration each, read and checked through it.
@Suite struct MetricsSettingTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/jb-metrics.md")

    /// The coverage default once drifted: declared `0.25,0.5,0.75,1` but read as `?? "1"`.
    /// docs/jb-metrics.md promises the four shares; unset, every layer gives them.
    @Test func unsetCoverageIsTheDocumentedFourShares() throws {
        let page = try String(contentsOf: Self.docs, encoding: .utf8)
        #expect(page.contains("| `--coverage LIST` | `metrics.coverage` | `0.25,0.5,0.75,1` |"))
        let unset = try MetricsSettings(SettingTexts([:]))
        #expect(unset.coverages == [0.25, 0.5, 0.75, 1])
        #expect(MetricsSetting.coverage.defaultText == "0.25,0.5,0.75,1")
        #expect(try MetricsSettings().coverages == unset.coverages)
        #expect(unset.confidence == 0.95 && unset.compare && unset.scoring.finalStake == nil)
    }

    @Test func everySettingIsCheckedByItsDeclaration() throws {
        let given = try MetricsSettings(SettingTexts(["metrics.coverage": "50%,1", "metrics.by": "round,,decade",
                                                     "metrics.final_stake": "1000", "metrics.compare": "no"]))
        #expect(given.coverages == [0.5, 1] && given.breakdowns.count == 2 && given.scoring.finalStake == 1000 && !given.compare)
        #expect(throws: JBError.usage("--coverage 0.5,1.5: expected shares above 0 and at most 1, e.g. 0.5,0.8,1")) {
            try MetricsSettings(SettingTexts(["metrics.coverage": "0.5,1.5"]))
        }
        #expect(throws: JBError.usage("metrics.confidence = \"1\" (from config/default.yaml): expected a level between 0 and 1, e.g. 0.95")) {
            try MetricsSettings(SettingTexts(["metrics.confidence": "1"], source: "config/default.yaml"))
        }
        #expect(throws: JBError.usage("--final-stake -5: expected 0 to 1000000000000")) {
            try MetricsSettings(SettingTexts(["metrics.final_stake": "-5"]))
        }
        #expect(throws: JBError.usage("--confidence 1.5: expected a level between 0 and 1, e.g. 0.95")) {
            try MetricsSettings(confidence: 1.5)
        }
    }
}
