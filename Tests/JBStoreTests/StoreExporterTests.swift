import Foundation
import JBCore
import JBStore
import Testing

@Suite struct StoreExporterTests {
    /// Two runs, two models, graded in two modes, with metrics.
    func database() throws -> (String, [JSONObject]) {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        let rs = [StoreFixtures.response(1), StoreFixtures.response(2, model: "sim/bad"),
                  StoreFixtures.response(3, run: "run-2"), StoreFixtures.response(4, model: "sim/bad", run: "run-2")]
        var records = rs + rs.map { StoreFixtures.grade($0) } + [StoreFixtures.grade(rs[0], mode: "strict", correct: false)]
        var m = StoreFixtures.metric(model: "sim/bad")
        m["run_id"] = "run-2"
        records += [StoreFixtures.metric(), m, StoreFixtures.question]
        try StoreLoader(path: db).load(inputs: [try StoreFixtures.file(records, in: dir)])
        return (db, rs)
    }

    func ids(_ text: String) throws -> [String] {
        try text.split(separator: "\n").map { line in
            guard case .object(let o) = try JSONParser.parse(String(line)) else { return "?" }
            let grade = o["grade"]?.objectValue?["mode"]?.stringValue.map { "/" + $0 } ?? ""
            return (o["id"]?.stringValue ?? o["model"]?.stringValue ?? "?") + grade
        }
    }

    @Test func filtersByRunAndModel() throws {
        let (db, rs) = try database()
        #expect(try StoreFixtures.export(.responses, db) == StoreFixtures.lines(rs))
        #expect(try StoreFixtures.export(.responses, db, run: "run-2") == StoreFixtures.lines([rs[2], rs[3]]))
        #expect(try StoreFixtures.export(.responses, db, models: ["sim/bad"]) == StoreFixtures.lines([rs[1], rs[3]]))
        #expect(try StoreFixtures.export(.responses, db, run: "run-1", models: ["sim/bad", "sim/good"]) == StoreFixtures.lines([rs[0], rs[1]]))
        #expect(try ids(StoreFixtures.export(.grades, db)) == [
            "0000000000000001/jeopardy", "0000000000000002/jeopardy", "0000000000000003/jeopardy",
            "0000000000000004/jeopardy", "0000000000000001/strict"])
        #expect(try ids(StoreFixtures.export(.grades, db, run: "run-1", mode: "strict")) == ["0000000000000001/strict"])
        #expect(try ids(StoreFixtures.export(.questions, db, run: "run-2")) == ["0000000000000003", "0000000000000004"])
        #expect(try ids(StoreFixtures.export(.questions, db)).count == 5)
        #expect(try ids(StoreFixtures.export(.metrics, db, run: "run-2")) == ["sim/bad"])
        #expect(try ids(StoreFixtures.export(.metrics, db, models: ["sim/good"])) == ["sim/good"])
        #expect(try StoreFixtures.export(.metrics, db, run: "none").isEmpty)
    }
}
