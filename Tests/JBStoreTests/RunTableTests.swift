import Foundation
import JBStore
import Testing

@Suite struct RunTableTests {
    @Test func runsAreAlignedUnderAHeader() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        let r1 = StoreFixtures.response(1), r2 = StoreFixtures.response(2, model: "sim/bad", error: true)
        try StoreLoader(path: db).load(inputs: [try StoreFixtures.file([StoreFixtures.grade(r1), r2], in: dir)])
        let text = RunTable.render(try StoreDatabase(path: db, create: false).runs())
        #expect(text == """
            RUN    STARTED              MODELS             RESPONSES  ERRORS  GRADED      ACCURACY  COST USD  TOKENS  MEAN LATENCY
            run-1  2026-01-02 03:00:01  sim/bad, sim/good          2       1  1 jeopardy    100.0%    0.0003      46        102 ms

            """)
        #expect(RunTable.render([]) == "no runs stored\n")
    }
}
