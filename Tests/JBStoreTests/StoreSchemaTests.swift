import Foundation
import GRDB
import JBCore
@testable import JBStore
import JBTestSupport
import Testing

@Suite(.tools) struct StoreSchemaTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A database made by running the fixture SQL script of schema v1.
    func v1Database() throws -> String {
        let path = StoreFixtures.directory().appendingPathComponent("old.db").path
        let script = try String(contentsOf: Self.fixtures.appendingPathComponent("schema-v1.sql"), encoding: .utf8)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: script) }
        try queue.close()
        return path
    }

    func fixture(_ name: String) throws -> String {
        try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func theFixtureIsExactlyWhatMigrationV1Creates() throws {
        let schema = """
            SELECT type, name, sql FROM sqlite_master
            WHERE name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name
            """
        let old = try DatabaseQueue(path: try v1Database()).read { try Row.fetchAll($0, sql: schema) }
        let fresh = try DatabaseQueue(path: StoreFixtures.directory().appendingPathComponent("fresh.db").path)
        try StoreSchema.migrator.migrate(fresh, upTo: "v1")
        let made = try fresh.read { try Row.fetchAll($0, sql: schema) }
        #expect(old.count == 7)
        #expect(old == made)
    }

    @Test func anOlderSchemaIsMigratedForwardWithItsDataKept() throws {
        let path = try v1Database()
        let db = try StoreDatabase(path: path, create: false)
        #expect(try db.schemaVersions() == StoreSchema.versions)
        // Every field of the stored records is still there.
        #expect(try StoreFixtures.export(.responses, path) == fixture("schema-v1-responses.jsonl"))
        #expect(try StoreFixtures.export(.grades, path) == fixture("schema-v1-grades.jsonl"))
        // v2's run columns are filled from the stored results.
        let run = try #require(try db.runs().first)
        #expect(run.runID == "run-v1" && run.responses == 2 && run.errors == 1 && run.graded == 1 && run.correct == 1)
        #expect(run.gradeMode == "jeopardy")
        #expect(try JSONParser.parse(run.configuration ?? "").objectValue?["models"] == ["sim/good"])
        // The views under the older names exist and read the migrated tables.
        let queue = try DatabaseQueue(path: path)
        let figures: [Double?] = try queue.read { db in
            [try Double.fetchOne(db, sql: "SELECT count(*) FROM model_responses"),
             try Double.fetchOne(db, sql: "SELECT count(*) FROM benchmark_questions WHERE benchmark_id = 'run-v1'"),
             try Double.fetchOne(db, sql: "SELECT total_questions FROM benchmarks WHERE id = 'run-v1'"),
             try Double.fetchOne(db, sql: "SELECT accuracy_rate FROM model_performance_summary WHERE grade_mode = 'jeopardy'")]
        }
        #expect(figures == [2, 2, 2, 1])
        // And new records load on top.
        let dir = StoreFixtures.directory()
        let report = try StoreLoader(path: path).load(inputs: [try StoreFixtures.file([StoreFixtures.response(1, run: "run-v1")], in: dir)])
        #expect(report.added == 1)
        #expect(try StoreDatabase(path: path, create: false).runs().first?.responses == 3)
    }

    @Test func anOlderSchemaAnswersTheSeedsColumnsOnceMigrated() throws {
        let path = try v1Database()
        _ = try StoreDatabase(path: path, create: false)
        let queue = try DatabaseQueue(path: path)
        try queue.read { db in
            // Every column the seed names, under its name (these failed before v3).
            for sql in SeedQueries.queries {
                _ = try Row.fetchAll(db, sql: sql)
            }
            let run = try #require(try Row.fetchOne(db, sql: "SELECT name, status, sample_size, benchmark_mode, models_tested FROM benchmark_runs"))
            let name: String? = run["name"], status: String? = run["status"], mode: String? = run["benchmark_mode"]
            let size: Int? = run["sample_size"], models: String? = run["models_tested"]
            #expect(name == "run-v1")
            #expect(size == 2)
            #expect(mode == "jeopardy")
            #expect(status == "running", "one of two responses graded")
            #expect(models == #"["sim/good"]"#)
            let q = try #require(try Row.fetchOne(db, sql: "SELECT question_text, correct_answer, difficulty_level FROM questions WHERE clue IS NOT NULL LIMIT 1"))
            let text: String? = q["question_text"], answer: String? = q["correct_answer"]
            #expect(text != nil)
            #expect(answer == "Copernicus")
            let graded = try Row.fetchAll(db, sql: "SELECT benchmark_run_id, model_name, is_correct FROM benchmark_results WHERE grade_mode <> ''")
            #expect(graded.map { [$0["benchmark_run_id"], $0["model_name"]] as [String?] } == [["run-v1", "sim/good"]])
            #expect(graded.map { $0["is_correct"] as Int? } == [1])
        }
    }

    @Test func aV3DatabaseGainsReportedModelAndDecidedByFromItsStoredRecords() throws {
        let path = StoreFixtures.directory().appendingPathComponent("v3.db").path
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: "v3")
        var response = StoreFixtures.response(1)
        response["reported_model"] = "sim/good-2024-07-18"
        let grade: JSONObject = ["mode": "jeopardy", "correct": true, "decided_by": "judge"]
        try queue.write { db in
            try db.execute(sql: "INSERT INTO benchmark_results (key, grade_mode, model, record, grade) VALUES (?, 'jeopardy', 'sim/good', ?, ?)",
                           arguments: ["k1", JSONSerializer.string(.object(response)), JSONSerializer.string(.object(grade))])
            try db.execute(sql: "INSERT INTO benchmark_results (key, model, record) VALUES ('k2', 'sim/good', ?)",
                           arguments: [JSONSerializer.string(.object(StoreFixtures.response(2)))])
        }
        try queue.close()
        #expect(try StoreDatabase(path: path, create: false).schemaVersions() == StoreSchema.versions)
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT reported_model, decided_by FROM benchmark_results ORDER BY key")
                .map { [$0["reported_model"], $0["decided_by"]] as [String?] }
        }
        #expect(rows == [["sim/good-2024-07-18", "judge"], [nil, nil]])
    }

    /// The migrations (frozen once released) and `StoreColumns` (which both engines' load
    /// statements and PostgreSQL's tables are made from) agree: same columns, same types.
    @Test func theMigratedTablesHaveExactlyTheDeclaredColumns() throws {
        let path = StoreFixtures.directory().appendingPathComponent("new.db").path
        _ = try StoreDatabase(path: path, create: true)
        let declared: [(String, [StoreColumns.Column], Set<String>)] = [
            ("questions", StoreColumns.questions, []),
            ("benchmark_results", StoreColumns.results, []),
            // Filled with the run's summary, not by a load.
            ("model_performance", StoreColumns.metrics, ["category_performance", "difficulty_performance"]),
            ("benchmark_runs", StoreColumns.runs, []),
        ]
        try DatabaseQueue(path: path).read { db in
            for (table, columns, summary) in declared {
                let made = try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info(?)", arguments: [table])
                    .map { "\($0["name"] as String) \($0["type"] as String)" }
                    .filter { !summary.contains(String($0.split(separator: " ")[0])) }
                #expect(made.sorted() == columns.map { "\($0.name) \($0.type.sqlite)" }.sorted(), "\(table)")
            }
        }
    }

    /// SQL with its spacing made uniform, to compare statements written with other layouts.
    static func normalized(_ sql: String) -> String {
        sql.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
            .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
    }

    /// The seed columns and views that migrations v2 and v3 made in SQLite are exactly those
    /// `SeedSchema` declares (which PostgreSQL's are made from).
    @Test func theSeedColumnsAndViewsAreTheDeclaredOnes() throws {
        let path = StoreFixtures.directory().appendingPathComponent("new.db").path
        _ = try StoreDatabase(path: path, create: true)
        try DatabaseQueue(path: path).read { db in
            for table in ["questions", "benchmark_runs", "benchmark_results", "model_performance"] {
                let sql = Self.normalized(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]) ?? "")
                let generated = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_xinfo(?) WHERE hidden <> 0", arguments: [table])
                #expect(generated.sorted() == SeedSchema.generated(in: table).map(\.name).sorted(), "\(table)")
                for column in SeedSchema.generated(in: table) {
                    #expect(sql.contains(Self.normalized(column.definition(.sqlite))), "\(table).\(column.name)")
                }
            }
            let views = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name")
            let declared = SeedSchema.views(.sqlite).sorted { $0.name < $1.name }
            #expect(views.map { $0["name"] as String } == declared.map(\.name))
            for (row, view) in zip(views, declared) {
                #expect(Self.normalized(row["sql"]) == Self.normalized("CREATE VIEW \(view.name) AS \(view.query)"), "\(view.name)")
            }
        }
    }

    @Test func theCommandLineToolMigratesAnOldDatabaseToo() throws {
        let path = try v1Database()
        let result = try ToolRunner.run("jb-store", ["export", path, "responses"])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == (try fixture("schema-v1-responses.jsonl")))
    }

    @Test func aNewerSchemaIsRefusedClearly() throws {
        let path = try v1Database()
        try DatabaseQueue(path: path).write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v2'), ('v99')") }
        #expect(throws: JBError.cannotOpen(path: path, reason: "the database was made by a newer jb-store; upgrade jb-store to use it")) {
            try StoreDatabase(path: path, create: false)
        }
    }
}
