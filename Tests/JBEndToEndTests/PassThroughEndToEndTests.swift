import Foundation
import JBCore
import JBTestSupport
import Testing

/// Unknown fields, nested objects and numbers no double holds come through every stage with
/// the values they went in with, and each stage writes the same bytes from run to run.
@Suite(.tools) struct PassThroughEndToEndTests {
    /// The fields added to each question, as they must appear in every stage's output.
    static let extras = [
        #""x_big":12345678901234567890"#,
        #""x_huge":1e400"#,
        #""x_long":123456789012345678901234567890"#,
        #""x_nested":{"a":[1,{"b":null,"c":"ü \"q\""}],"d":{},"e":-98765432109876543210}"#,
        #""x_tiny":1.5e-300"#,
    ]

    static var questions: String {
        (1...6).map { k in
            "{" + extras.joined(separator: ",") + #","air_date":"2004-12-1\#(k)","round":"Jeopardy!","category":"SCIENCE","value":\#(k * 200 > 1000 ? 1000 : k * 200),"clue":"Clue number \#(k)","answer":"answer \#(k)"}"# + "\n"
        }.joined()
    }

    func expectExtras(_ r: RunResult, _ stage: String, count: Int) {
        #expect(r.status == 0, "\(stage): \(r)")
        #expect(r.lines.count == count, "\(stage): \(r)")
        for line in r.lines {
            for field in PassThroughEndToEndTests.extras {
                #expect(line.contains(field), "\(stage) lost or changed \(field): \(line)")
            }
        }
    }

    @Test func unknownFieldsAndExtremeNumbersComeThroughEveryStage() throws {
        let ingest = try ToolRunner.run("jb-ingest", ["--format", "jsonl", "-"], input: PassThroughEndToEndTests.questions)
        expectExtras(ingest, "jb-ingest", count: 6)
        let sample = try ToolRunner.run("jb-sample", ["-n", "4", "--seed", "3"], stdin: ingest.stdout)
        expectExtras(sample, "jb-sample", count: 4)
        let query = try ToolRunner.run("jb-query", ["--model", "sim/good"], stdin: sample.stdout)
        expectExtras(query, "jb-query", count: 4)
        let grade = try ToolRunner.run("jb-grade", ["--lexicon", "none"], stdin: query.stdout)
        expectExtras(grade, "jb-grade", count: 4)
        let db = ToolRunner.makeTemporaryDirectory().appendingPathComponent("r.db").path
        let load = try ToolRunner.run("jb-store", ["load", db], stdin: grade.stdout)
        #expect(load.status == 0, "\(load)")
        let export = try ToolRunner.run("jb-store", ["export", db, "grades"])
        expectExtras(export, "jb-store export", count: 4)
        // The export writes each record's keys in order; jb-grade passes its input through
        // as it came and adds `grade` at the end: the same records either way.
        #expect(try export.lines.map { try JSONParser.parse($0) } == grade.lines.map { try JSONParser.parse($0) },
                "the export differs from what was loaded")
        // (A question taken from a response keeps the question's own fields; the unknown
        // ones stay with the response, which the grades export above gives back whole.)
        let metrics = try ToolRunner.run("jb-metrics", ["--by", "round"], stdin: grade.stdout)
        #expect(metrics.status == 0, "\(metrics)")
        let report = try ToolRunner.run("jb-report", [], stdin: metrics.stdout)
        #expect(report.status == 0, "\(report)")

        // The same input gives the same bytes (jb-query's records carry times, so its output
        // is fed again rather than made again).
        let ingest2 = try ToolRunner.run("jb-ingest", ["--format", "jsonl", "-"], input: PassThroughEndToEndTests.questions)
        #expect(ingest2.stdout == ingest.stdout)
        let sample2 = try ToolRunner.run("jb-sample", ["-n", "4", "--seed", "3"], stdin: ingest2.stdout)
        #expect(sample2.stdout == sample.stdout)
        let grade2 = try ToolRunner.run("jb-grade", ["--lexicon", "none"], stdin: query.stdout)
        #expect(grade2.stdout == grade.stdout)
        let export2 = try ToolRunner.run("jb-store", ["export", db, "grades"])
        #expect(export2.stdout == export.stdout)
        let metrics2 = try ToolRunner.run("jb-metrics", ["--by", "round"], stdin: grade2.stdout)
        #expect(metrics2.stdout == metrics.stdout)
    }
}
