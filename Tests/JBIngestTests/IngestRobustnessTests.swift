import Foundation
import JBCore
import Testing
@testable import JBIngest

/// Broken input costs the rows that are broken, and only those, in linear time; the counts
/// add up (rows read = written + rejected + duplicates + media dropped).
@Suite struct IngestRobustnessTests {
    struct Outcome {
        var summary: IngestSummary
        var lines: [String]
        var rejects: [JSONObject]
    }

    func ingest(_ content: [UInt8], name: String, format: IngestFormat? = nil) throws -> Outcome {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jb-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent(name), out = dir.appendingPathComponent("out.jsonl")
        let rejects = dir.appendingPathComponent("rejects.jsonl")
        try Data(content).write(to: input)
        let ingester = Ingester(settings: IngestSettings(format: format), output: try JSONLWriter(path: out.path, append: false),
                                rejects: try JSONLWriter(path: rejects.path, append: false))
        try ingester.ingest(path: input.path)
        try ingester.finish()
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map(String.init)
        let rejected = try String(contentsOf: rejects, encoding: .utf8).split(separator: "\n").map { line -> JSONObject in
            guard case .object(let o) = try JSONParser.parse(String(line)) else { throw JBError.internal("not an object") }
            return o
        }
        let s = ingester.summary
        #expect(s.rows == s.written + s.rejected + s.duplicates + s.mediaDropped, "counts do not add up: \(s.line)")
        #expect(s.written == lines.count)
        #expect(s.rejected == rejected.count)
        return Outcome(summary: s, lines: lines, rejects: rejected)
    }

    static let header = "Show Number, Air Date, Round, Category, Value, Question, Answer\n"

    static func csvRow(_ k: Int) -> String {
        "\(4000 + k / 60),2004-12-31,Jeopardy!,\"HISTORY\",$200,\"Clue number \(k), with a comma\",Answer \(k)\n"
    }

    @Test func aStrayQuoteCostsOnlyItsRow() throws {
        var csv = IngestRobustnessTests.header
        for k in 0..<1500 { csv += IngestRobustnessTests.csvRow(k) }
        // A quote opening the clue field that is never closed: it must not swallow the rows after it.
        csv += "5000,2004-12-31,Jeopardy!,HISTORY,$400,\"He said hi, twice,Answer\n"
        for k in 1500..<3000 { csv += IngestRobustnessTests.csvRow(k) }
        let r = try ingest(Array(csv.utf8), name: "stray.csv")
        #expect(r.summary.rows == 3001)
        #expect(r.summary.written == 3000)
        #expect(r.summary.rejected == 1)
        #expect(r.rejects.first?["line"] == .int(1502))
        #expect(r.rejects.first?["text"]?.stringValue?.hasPrefix("5000,") == true)
    }

    @Test func aStrayQuoteClosedByAnotherLaterCostsOnlyTheBrokenRows() throws {
        var csv = IngestRobustnessTests.header
        for k in 0..<100 { csv += IngestRobustnessTests.csvRow(k) }
        csv += "5000,2004-12-31,Jeopardy!,HISTORY,$400,\"He said hi,Answer\n"
        for k in 100..<200 { csv += IngestRobustnessTests.csvRow(k) }
        csv += "5001,2004-12-31,Jeopardy!,HISTORY,$400,Unquoted\" clue,\"Answer\n"
        for k in 200..<300 { csv += IngestRobustnessTests.csvRow(k) }
        let r = try ingest(Array(csv.utf8), name: "stray2.csv")
        #expect(r.summary.written == 300)
        #expect(r.summary.rejected == 2)
    }

    @Test func quotedFieldsMaySpanLines() throws {
        var csv = IngestRobustnessTests.header
        csv += "4000,2004-12-31,Jeopardy!,HISTORY,$200,\"A clue\nover two lines\",\"An \"\"answer\"\"\"\n"
        csv += IngestRobustnessTests.csvRow(1)
        let r = try ingest(Array(csv.utf8), name: "multi.csv")
        #expect(r.summary.written == 2)
        #expect(r.summary.rejected == 0)
        #expect(r.lines.first?.contains(#""answer":"An \"answer\"""#) == true)
    }

    @Test func anUnclosedQuoteTakesLinearTime() throws {
        // The old reader re-split the growing record for every line it joined: 100 KB took 44 s.
        var csv = IngestRobustnessTests.header + "4000,2004-12-31,Jeopardy!,HISTORY,$200,\"never closed,Answer\n"
        let line = String(repeating: "x", count: 60) + "\n"
        csv += String(repeating: line, count: 4 << 20 / line.utf8.count)
        let start = ContinuousClock.now
        let r = try ingest(Array(csv.utf8), name: "unclosed.csv")
        let took = ContinuousClock.now - start
        #expect(took < .seconds(20), "4 MB with one unclosed quote took \(took)")
        // Every line is a row read: the first is rejected for its quote, the rest for their field count.
        #expect(r.summary.written == 0)
        #expect(r.summary.rows == r.summary.rejected)
        #expect(r.rejects.first?["line"] == .int(2))
    }

    @Test func aByteOrderMarkBeforeJSONLinesLosesNothing() throws {
        let rec1 = #"{"air_date":"2004-12-31","round":"Jeopardy!","category":"A","value":200,"clue":"First clue","answer":"one"}"#
        let rec2 = #"{"air_date":"2004-12-31","round":"Jeopardy!","category":"A","value":400,"clue":"Second clue","answer":"two"}"#
        let r = try ingest([0xEF, 0xBB, 0xBF] + Array((rec1 + "\n" + rec2 + "\n").utf8), name: "bom.jsonl")
        #expect(r.summary.written == 2)
        #expect(r.summary.rejected == 0)
    }

    @Test func textAfterAKaggleJSONArrayIsRejected() throws {
        let element = #"{"category":"A","air_date":"2004-12-31","question":"'First clue'","value":"$200","answer":"one","round":"Jeopardy!","show_number":"4680"}"#
        let r = try ingest(Array(("[" + element + "]\n garbage {\"x\":1}\n").utf8), name: "trailing.json")
        #expect(r.summary.written == 1)
        #expect(r.summary.rejected == 1)
        #expect(r.rejects.first?["reason"]?.stringValue?.contains("after the JSON array") == true)
        let clean = try ingest(Array(("\u{FEFF}[" + element + "]\n\n").utf8), name: "clean.json")
        #expect(clean.summary.written == 1)
        #expect(clean.summary.rejected == 0)
    }

    @Test func extremeNumbersInJSONDoNotTrapAndExtraFieldsKeepTheirValues() throws {
        let rec = #"{"air_date":"2004-12-31","round":"Jeopardy!","category":"A","value":1e300,"show_number":123456789012345678901234567890,"clue":"A clue","answer":"one","x_big":12345678901234567890,"x_tiny":1.5e-300,"x_huge":1e400,"x_nested":{"a":[1,{"b":null}]}}"#
        let r = try ingest(Array((rec + "\n").utf8), name: "numbers.jsonl")
        #expect(r.summary.rows == 1)
        if let line = r.lines.first {
            #expect(line.contains(#""x_big":12345678901234567890"#))
            #expect(line.contains(#""x_tiny":1.5e-300"#))
            #expect(line.contains(#""x_huge":1e400"#))
            #expect(line.contains(#""x_nested":{"a":[1,{"b":null}]}"#))
        }
    }
}
