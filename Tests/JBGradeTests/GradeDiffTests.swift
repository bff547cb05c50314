import JBCore
import Testing
@testable import JBGrade

@Suite struct GradeDiffTests {
    @Test func matchKeys() throws {
        let fail: (String) -> JBError = { .badRecord(source: "<t>", line: 1, message: $0) }
        #expect(try GradeDiff.matchKey(["key": "abc", "id": "q"], fail: fail) == "key:abc")
        #expect(try GradeDiff.matchKey(["id": "q", "model": "m", "epoch": 2], fail: fail) == "id:q\u{1F}m\u{1F}2")
        #expect(throws: JBError.self) { try GradeDiff.matchKey(["model": "m"], fail: fail) }
        #expect(throws: JBError.self) { try GradeDiff.gradeOf(["id": "q"], fail: fail) }
    }

    @Test func summaryText() {
        var s = GradeDiff.Summary()
        s.matched = 3; s.flipped = 1; s.nowCorrect = 1
        #expect(s.text.hasPrefix("diff: 3 matched, 1 flipped (1 now correct"))
    }
}
