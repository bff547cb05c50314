import Foundation
import JBCore
import Testing
@testable import JBReport

@Suite struct GradedExamplesTests {
    static func graded(_ model: String, _ id: String, correct: Bool?, method: String = "fuzzy",
                       confidence: Double? = nil, reply: String = "What is x?") -> String {
        let g: JSONObject = ["correct": JSON(correct), "answered": JSON(correct != nil), "method": .string(method),
                             "extracted": .string(reply), "confidence": JSON(confidence)]
        let o: JSONObject = ["model": .string(model), "id": .string(id), "category": "C", "clue": .string("clue \(id)"),
                             "answer": "a", "epoch": 1, "grade": .object(g)]
        return JSON.object(o).compactText
    }

    static func reader(_ lines: [String]) throws -> JSONLReader {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jb-report-\(UUID().uuidString).jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return JSONLReader(paths: [url.path])
    }

    @Test func samplesABoundedStableSetOfMisses() throws {
        let lines = (0..<50).map { Self.graded("m", "q\($0)", correct: $0 % 2 == 0) }
        let a = try GradedSummary.read(current: Self.reader(lines), previous: nil, limit: 3)
        let b = try GradedSummary.read(current: Self.reader(lines.reversed()), previous: nil, limit: 3)
        #expect(a.misses.count == 3)
        #expect(a.missCounts["m"] == 25)
        #expect(a.misses.map(\.id) == b.misses.map(\.id))
        #expect(a.misses.allSatisfy { $0.verdict == "wrong (fuzzy)" })
    }

    @Test func countsFlipsBothWays() throws {
        let before = [Self.graded("m", "1", correct: true), Self.graded("m", "2", correct: false),
                      Self.graded("m", "3", correct: true), Self.graded("m", "4", correct: nil)]
        let after = [Self.graded("m", "1", correct: false, method: "strict"), Self.graded("m", "2", correct: true, method: "judge"),
                     Self.graded("m", "3", correct: true), Self.graded("m", "4", correct: true), Self.graded("m", "5", correct: true)]
        let s = try GradedSummary.read(current: Self.reader(after), previous: Self.reader(before), limit: 10)
        #expect(s.flipCounts == [FlipCount(model: "m", compared: 4, gained: 1, lost: 1)])
        #expect(Set(s.flips.map(\.id)) == ["1", "2"])
        let one = s.flips.first { $0.id == "1" }!
        #expect(one.previousVerdict == "right (fuzzy)")
        #expect(one.verdict == "wrong (strict)")
    }

    @Test func binsStatedConfidence() throws {
        let lines = [Self.graded("m", "1", correct: true, confidence: 0.95), Self.graded("m", "2", correct: false, confidence: 0.91),
                     Self.graded("m", "3", correct: true, confidence: 0.2), Self.graded("m", "4", correct: true, confidence: 1.0)]
        let s = try GradedSummary.read(current: Self.reader(lines), previous: nil, limit: 0)
        let bins = s.calibration["m"]!
        #expect(bins.count == 2)
        #expect(bins[0].n == 1 && bins[0].accuracy == 1)
        #expect(bins[1].n == 3)
        #expect(abs(bins[1].accuracy - 2.0 / 3.0) < 1e-12)
        #expect(abs(bins[1].confidence - (0.95 + 0.91 + 1.0) / 3) < 1e-12)
        #expect(s.misses.isEmpty)
    }

    /// A model whose metric record carries jb-metrics' bins is not binned again.
    @Test func calibratedModelsAreNotBinnedAgain() throws {
        let lines = [Self.graded("m", "1", correct: true, confidence: 0.95), Self.graded("n", "2", correct: false, confidence: 0.91)]
        let s = try GradedSummary.read(current: Self.reader(lines), previous: nil, limit: 0, calibrated: ["m"])
        #expect(s.calibration["m"] == nil)
        #expect(s.calibration["n"]?.count == 1)
    }

    @Test func aRecordWithoutGradeIsAnError() throws {
        #expect(throws: JBError.self) {
            try GradedSummary.read(current: Self.reader(["{\"model\":\"m\",\"id\":\"1\"}"]), previous: nil, limit: 1)
        }
    }
}
