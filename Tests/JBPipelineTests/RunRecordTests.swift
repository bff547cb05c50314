import Foundation
import JBCore
import JBPipeline
import Testing

@Suite struct RunRecordTests {
    static func record() -> RunRecord {
        let pipeline = Pipeline(name: "demo", seed: 7, stages: [
            Stage(name: "sample", tool: "jb-sample", args: [.word("q.jsonl"), .flag("n", .text("5"))]),
            Stage(name: "query", tool: "jb-query", args: [.flag("model", .list(["sim/good"])), .flag("stream", .on)]),
        ], report: Report(formats: ["html"]), sink: Sink(db: "r.db", load: ["query"]))
        let plan = Planner(locator: ToolLocator(jbDirectory: nil, path: "")).plan(pipeline, runDirectory: "runs/demo/1", id: "1")
        var r = RunRecord(id: "1", name: "demo", pipelineFile: "pipelines/demo.yaml", pipeline: pipeline, overrides: ["sample.n=5"],
                          plan: plan, git: GitRevision(commit: "abc1234", dirty: true), tools: ["jb-sample": "jb-sample 1", "jb-query": nil],
                          startedAt: "2026-01-01T00:00:00.000Z")
        r.stages[0].status = 0
        r.stages[0].records = 5
        r.stages[1].status = 130
        r.stages[1].resumed = true
        return r
    }

    @Test func roundTripsThroughRunJSON() throws {
        let r = RunRecordTests.record()
        let back = try JSONDecoder().decode(RunRecord.self, from: Data(try r.json().utf8))
        #expect(back == r)
        #expect(back.resumePoint == 1)
        #expect(back.seeds == ["pipeline": 7, "sample": 7, "query": 7])
    }

    @Test func writesReadableJSONWithNullsForWhatIsNotKnown() throws {
        let text = try RunRecordTests.record().json()
        #expect(text.contains("\n  \"status\": null,\n"))
        #expect(text.contains("\"command\": [\"jb-sample\", \"q.jsonl\", \"-n\", \"5\", \"--seed\", \"7\"]"))
        #expect(text.contains("\"tools\": {\n    \"jb-query\": null,\n    \"jb-sample\": \"jb-sample 1\"\n  }"))
        #expect(text.contains("\"args\": [\n          \"q.jsonl\",\n          {\n            \"n\": \"5\"\n          }\n        ]"))
        #expect(text.hasSuffix("}\n"))
    }

    @Test func aBrokenRunJSONIsABadConfigError() throws {
        let box = Sandbox()
        try FileManager.default.createDirectory(atPath: box.root + "/r", withIntermediateDirectories: true)
        box.write("r/run.json", "{\"format\": \"jb-run/1\"}")
        #expect(throws: JBError.badConfig(path: box.root + "/r/run.json", line: 0, column: 0, message: "not a jb run record: missing field \"id\"")) {
            try RunRecord.read(runDirectory: box.root + "/r")
        }
        #expect(throws: JBError.cannotOpen(path: box.root + "/none/run.json", reason: "no such folder")) {
            try RunRecord.read(runDirectory: box.root + "/none")
        }
    }
}
