import Testing
@testable import JBIngest

@Suite struct CSVRowReaderTests {
    func split(_ s: String) -> [String] {
        CSVRowReader.split(Array(s.utf8)).fields.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func quotedFieldsWithDoubledQuotes() {
        #expect(split(#"4680,2004-12-31,Jeopardy!,"A ""B"" C","$200""#) == ["4680", "2004-12-31", "Jeopardy!", #"A "B" C"#, "$200"])
        let q = "\"", b = "\\"
        // The Kaggle CSV stores \"Twelfth Night\" as "\""Twelfth Night\""" (no backslash escaping).
        #expect(split(q + b + q + q + "Twelfth Night" + b + q + q + q) == [b + q + "Twelfth Night" + b + q])
        #expect(split("a,,c,") == ["a", "", "c", ""])
    }

    @Test func openQuoteIsIncomplete() {
        #expect(!CSVRowReader.split(Array(#"1,"open"#.utf8)).complete)
    }

    @Test func junkAfterQuoteIsAnError() {
        #expect(CSVRowReader.split(Array(#""a"b,c"#.utf8)).error != nil)
    }

    @Test func formatDetection() {
        #expect(IngestFormat.fromFileName("x/season1.tsv.gz") == .tsv)
        #expect(IngestFormat.fromFileName("JEOPARDY_CSV.csv") == .csv)
        #expect(IngestFormat.fromFileName("a.jsonl") == .jsonl)
        #expect(IngestFormat.fromFileName("a.json") == .json)
        #expect(IngestFormat.sniff(Array("Show Number, Air Date, Round".utf8)) == .csv)
        #expect(IngestFormat.sniff(Array("\n  [{".utf8)) == .json)
        #expect(IngestFormat.sniff(Array("round\tclue_value\n".utf8)) == .tsv)
    }
}
