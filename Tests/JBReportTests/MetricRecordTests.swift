import JBCore
import Testing
@testable import JBReport

@Suite struct MetricRecordTests {
    func read(_ o: JSONObject) throws -> MetricRecord {
        try MetricRecord(json: o, fail: { .badRecord(source: "<stdin>", line: 3, message: $0) })
    }

    @Test func readsGroupsAndNestedFields() throws {
        let r = try read(["kind": "metric", "model": "m", "group": "category=A=B", "n": 3,
                          "latency_ms": ["p50": 12.5], "score": -400])
        #expect(r.groupField == "category")
        #expect(r.groupValue == "A=B")
        #expect(r.number(.latencyP50) == 12.5)
        #expect(r.number(.dollarScore) == -400)
        #expect(r.int(.n) == 3)
        let all = try read(["kind": "metric", "model": "m"])
        #expect(all.group == "all")
        #expect(all.groupField == nil)
    }

    @Test func prefersGroupFieldWhenGiven() throws {
        let r = try read(["kind": "metric", "model": "m", "group": "a=b=c", "group_field": "a=b", "group_value": "c"])
        #expect(r.groupField == "a=b")
        #expect(r.groupValue == "c")
    }

    @Test func comparisonsNameTheFirstModel() throws {
        let r = try read(["kind": "comparison", "model_a": "x", "model_b": "y"])
        #expect(r.model == "x")
        #expect(r.string(.modelB) == "y")
    }

    @Test func badRecordsAreLocated() {
        #expect(throws: JBError.badRecord(source: "<stdin>", line: 3, message: "missing field \"kind\" (expected a metric record from jb-metrics)")) {
            try read(["model": "m"])
        }
        #expect(throws: JBError.badRecord(source: "<stdin>", line: 3, message: "field \"n\": expected an integer, found a string")) {
            try read(["kind": "metric", "model": "m", "n": "ten"])
        }
        #expect(throws: JBError.badRecord(source: "<stdin>", line: 3, message: "missing field \"model\"")) {
            try read(["kind": "metric"])
        }
        #expect(throws: JBError.badRecord(source: "<stdin>", line: 3, message: "field \"accuracy\": expected a number, found a boolean")) {
            try read(["kind": "metric", "model": "m", "accuracy": true])
        }
    }
}
