import Foundation
import JBCore
import Testing
@testable import JBReport

@Suite struct CrossRunTests {
    /// A graded records file: (model, id, correct or nil for a refusal, failed).
    func graded(_ name: String, runID: String, _ rows: [(String, String, Bool?, Bool)]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jb-crossrun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var text = ""
        for (model, id, correct, failed) in rows {
            let grade: JSON = failed ? ["answered": false, "correct": nil, "method": "error"]
                : ["answered": .bool(correct != nil), "correct": correct.map(JSON.bool) ?? .bool(false),
                   "method": correct == nil ? "refusal" : "exact"]
            text += JSONSerializer.string(.object(["model": .string(model), "id": .string(id), "run_id": .string(runID),
                                                   "error": failed ? ["status": 500, "message": "x"] : .null, "grade": grade])) + "\n"
        }
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func setsThatShareNothingAreNeverRankedTogether() throws {
        let x = try graded("x.jsonl", runID: "x", [("a", "q1", true, false), ("a", "q2", true, false), ("a", "q3", false, false),
                                                   ("b", "q1", true, false), ("b", "q2", nil, false), ("b", "q3", nil, true)])
        let y = try graded("y.jsonl", runID: "y", [("a", "q1", true, false), ("a", "q2", false, false), ("a", "q3", false, false)])
        let z = try graded("z.jsonl", runID: "z", [("a", "q7", true, false), ("a", "q8", true, false)])
        let r = try CrossRunReport.load([x, y, z], title: "t")
        #expect(r.runs.map(\.id) == ["x", "y", "z"])
        #expect(r.sets.count == 2 && r.sets[0].size == 3 && r.sets[1].size == 2)
        #expect(r.sets[0].runs == ["x", "y"] && r.sets[1].runs == ["z"])
        #expect(r.overlaps.isEmpty && r.disjoint.count == 1)
        // b refused q2 (a miss) and failed q3 (left out): 1 of 2.
        let b = r.rows.first { $0.model == "b" }!
        #expect(b.asked == 3 && b.failed == 1 && b.correct == 1 && b.accuracy == 0.5)
        // Set A ranks x's and y's rows, best first (2/3, 1/2, 1/3); z is alone.
        #expect(r.sets[0].rows.map { "\(r.rows[$0].model)@\(r.rows[$0].run)" } == ["a@x", "b@x", "a@y"])
        #expect(r.history(of: "a").map(\.run) == ["x", "y", "z"])
        let text = CrossRunRenderer(width: 100).terminal(r)
        #expect(text.contains("Sets A and B share no question: not ranked against each other."), "\(text)")
        #expect(!text.contains("paired on the"))
        let html = CrossRunRenderer().html(r)
        #expect(html.contains("their rows are <strong>not ranked</strong> against each other"))
        #expect(CrossRunRenderer().markdown(r).contains("share no question"))
    }

    @Test func oneSetIsRankedWhole() throws {
        let x = try graded("x.jsonl", runID: "x", [("a", "q1", true, false), ("b", "q1", false, false)])
        let r = try CrossRunReport.load([x], title: "t")
        #expect(r.sets.count == 1 && r.comparabilityNote.contains("all rows are ranked together"))
        #expect(throws: JBError.self) { try CrossRunReport.load(["/nonexistent/jb"], title: "t") }
    }
}
