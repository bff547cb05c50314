import Foundation
import JBCore
@testable import JBMetrics
import Testing

/// Runs the fixtures of Fixtures/make_fixtures.py, whose expected numbers scipy and numpy
/// computed, and compares every field of every record.
@Suite struct MetricsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let cases = ["mixed", "exact_latency", "all_right", "all_wrong", "missing", "empty"]

    static func options(_ name: String) throws -> MetricsSettings {
        let text = try String(contentsOf: fixtures.appendingPathComponent("\(name)/options.json"), encoding: .utf8)
        let o = try JSONParser.parse(text).objectValue!
        return try MetricsSettings(
            breakdowns: o["by"]!.arrayValue!.map { try Breakdown($0.stringValue!) },
            confidence: o["confidence"]!.doubleValue!,
            coverages: o["coverages"]!.arrayValue!.map { $0.doubleValue! },
            cutoffs: o["cutoffs"]!.arrayValue!.map { try CutoffProbe(parsing: $0.stringValue!) },
            scoring: ScoringRule(finalStake: o["final_stake"]!.intValue),
            compare: o["compare"]!.boolValue!)
    }

    static func run(_ name: String, options: MetricsSettings? = nil) throws -> [JSONObject] {
        let metrics = Metrics(settings: try options ?? Self.options(name))
        let reader = JSONLReader(paths: [fixtures.appendingPathComponent("\(name)/input.jsonl").path])
        while let record = try reader.next() {
            metrics.add(try Outcome(record: record, fail: reader.error), record: record)
        }
        return metrics.results()
    }

    static func expected(_ name: String) throws -> [JSONObject] {
        let reader = JSONLReader(paths: [fixtures.appendingPathComponent("\(name)/expected.jsonl").path])
        var out: [JSONObject] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    /// The first difference between two values, or nil. Integers must match exactly; other
    /// numbers to 1e-9 (latency quantiles to the sketch's 1/2048, plus rounding).
    static func difference(_ actual: JSON, _ expected: JSON, path: String) -> String? {
        switch (actual, expected) {
        case (.int(let a), .int(let e)):
            return a == e ? nil : "\(path): \(a), expected \(e)"
        case (.int, .double), (.double, .int), (.double, .double):
            let a = actual.doubleValue!, e = expected.doubleValue!
            let relative = path.contains("latency_p") ? 1.0 / 2000 : 1e-9
            return abs(a - e) <= 1e-9 + relative * abs(e) ? nil : "\(path): \(a), expected \(e)"
        case (.object(let a), .object(let e)):
            if Set(a.keys) != Set(e.keys) {
                return "\(path): keys \(a.keys.sorted()), expected \(e.keys.sorted())"
            }
            for k in e.keys.sorted() {
                if let d = difference(a[k]!, e[k]!, path: "\(path).\(k)") { return d }
            }
            return nil
        case (.array(let a), .array(let e)):
            if a.count != e.count { return "\(path): \(a.count) elements, expected \(e.count)" }
            for k in 0..<a.count {
                if let d = difference(a[k], e[k], path: "\(path)[\(k)]") { return d }
            }
            return nil
        default:
            return actual == expected ? nil : "\(path): \(actual.compactText), expected \(expected.compactText)"
        }
    }

    @Test(arguments: cases)
    func matchesScipy(_ name: String) throws {
        let actual = try Self.run(name)
        let expected = try Self.expected(name)
        #expect(actual.count == expected.count, "\(name): \(actual.count) records, expected \(expected.count)")
        for (k, (a, e)) in zip(actual, expected).enumerated() {
            let label = "\(name)[\(k)] \(e["kind"]?.stringValue ?? "") \(e["model"]?.stringValue ?? "") \(e["group"]?.stringValue ?? "")"
            if let d = Self.difference(.object(a), .object(e), path: label) { Issue.record("\(d)") }
        }
    }

    @Test func comparisonCatchesDifferences() {
        #expect(Self.difference(.double(0.5), .double(0.5000001), path: "x") != nil)
        #expect(Self.difference(.int(3), .int(4), path: "x") != nil)
        #expect(Self.difference(.object(["a": 1]), .object(["a": 1, "b": 2]), path: "x") != nil)
        #expect(Self.difference(.null, .double(0), path: "x") != nil)
        #expect(Self.difference(.double(1000), .double(1000.4), path: "r.latency_p95_ms") == nil)
    }

    @Test func emptyInputWritesOnlyTheCutoffProbe() throws {
        let out = try Self.run("empty")
        #expect(out.count == 1)
        #expect(out[0]["kind"] == "cutoff")
        #expect(out[0]["before_n"] == 0 && out[0]["after_n"] == 0)
        #expect(out[0]["difference"] == .null && out[0]["p_value"] == .null)
    }

    @Test func oneModelHasNoComparison() throws {
        let out = try Self.run("all_right")
        #expect(!out.contains { $0["kind"] == "comparison" })
        #expect(out[0]["accuracy"] == 1.0 && out[0]["ci_high"] == 1.0)
        #expect(out[0]["confidence_correlation"] == .null)
    }

    @Test func everyMetricRecordHasEveryField() throws {
        let out = try Self.run("missing").filter { $0["kind"] == "metric" }
        let keys = Set(out[0].keys)
        #expect(keys.count == 42)
        for r in out { #expect(Set(r.keys) == keys) }
    }

    @Test func noCompareSkipsComparisons() throws {
        var options = try Self.options("mixed")
        options.compare = false
        let out = try Self.run("mixed", options: options)
        #expect(!out.contains { $0["kind"] == "comparison" })
        #expect(out.filter { $0["kind"] == "metric" }.count == 60)
    }

    @Test func duplicatesAreCountedAndWarned() throws {
        let metrics = Metrics(settings: try MetricsSettings())
        for correct in [true, false] {
            let o = Outcome(model: "m", id: "00000000000000aa", answered: true, correct: correct)
            metrics.add(o, record: [:])
        }
        #expect(metrics.results()[0]["n"] == 2)
        #expect(metrics.warnings().count == 1)
    }

    @Test func badOptionsAreUsageErrors() throws {
        #expect(throws: JBError.self) { try MetricsSettings(confidence: 1) }
        #expect(throws: JBError.self) { try MetricsSettings(coverages: [0]) }
        #expect(throws: JBError.self) { try MetricsSettings.parseCoverages("half") }
        #expect(try MetricsSettings.parseCoverages("50%, 1") == [0.5, 1])
    }
}
