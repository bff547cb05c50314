import Foundation
import JBCore
import Testing
@testable import JBSample

@Suite struct RecordFilterTests {
    func question(round: String = "Jeopardy!", date: String? = "1995-06-01", category: String = "SCIENCE",
                  value: Int? = 400, media: Bool = false) -> Question {
        Question(id: "x", airDate: date, round: round, category: category, value: value, clue: "c", answer: "a", media: media)
    }

    @Test func rounds() throws {
        var f = RecordFilter()
        f.rounds = try RecordFilter.parseRounds("DJ,final")
        #expect(f.reject(question(round: "Double Jeopardy!"), category: nil) == nil)
        #expect(f.reject(question(round: "Final Jeopardy!"), category: nil) == nil)
        #expect(f.reject(question(round: "Jeopardy!"), category: nil) == .round)
        #expect(throws: JBError.self) { try RecordFilter.parseRounds("Lightning") }
    }

    @Test func datesAreInclusiveAtAnyPrecision() throws {
        var f = RecordFilter()
        f.from = "1995"
        f.to = "1995-06"
        #expect(f.reject(question(date: "1995-01-01"), category: nil) == nil)
        #expect(f.reject(question(date: "1995-06-30"), category: nil) == nil)
        #expect(f.reject(question(date: "1995-07-01"), category: nil) == .date)
        #expect(f.reject(question(date: "1994-12-31"), category: nil) == .date)
        #expect(f.reject(question(date: nil), category: nil) == .date)
        #expect(throws: JBError.self) { try RecordFilter.checkDate("95-01-01", flag: "--from") }
        #expect(try RecordFilter.checkDate("1995-01-01", flag: "--from") == "1995-01-01")
    }

    @Test func categoryRegexIgnoresCase() throws {
        var f = RecordFilter()
        f.categoryPattern = "^sci|potent"
        let regex = try f.compiledCategory()
        #expect(f.reject(question(category: "SCIENCE"), category: regex) == nil)
        #expect(f.reject(question(category: "POTENT POTABLES"), category: regex) == nil)
        #expect(f.reject(question(category: "HISTORY"), category: regex) == .category)
        f.categoryPattern = "("
        #expect(throws: JBError.self) { try f.compiledCategory() }
    }

    @Test func valuesAndMedia() {
        var f = RecordFilter()
        f.minValue = 400
        f.maxValue = 800
        f.noMedia = true
        #expect(f.reject(question(value: 400), category: nil) == nil)
        #expect(f.reject(question(value: 1000), category: nil) == .value)
        #expect(f.reject(question(value: nil), category: nil) == .value)
        #expect(f.reject(question(media: true), category: nil) == .media)
    }

    @Test func excludeListReadsIdsAndRecords() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jb-exclude-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try "# used before\nabc\n\n{\"id\":\"def\",\"clue\":\"x\"}\n  ghi  \n".write(to: url, atomically: true, encoding: .utf8)
        #expect(try ExcludeList.load(path: url.path) == ["abc", "def", "ghi"])
        try "abc\n{\"clue\":\"x\"}\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: JBError.badRecord(source: url.path, line: 2,
                                          message: "missing field \"id\" (expected an id per line or records with an \"id\")")) {
            try ExcludeList.load(path: url.path)
        }
    }
}
