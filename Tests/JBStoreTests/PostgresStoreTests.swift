import Foundation
import GRDB
import JBCore
@testable import JBStore
import JBTestSupport
import Testing

/// The PostgreSQL engine against a private server (`PostgresServer`): the same records,
/// exports, run figures and seed columns as the SQLite engine, loads that are idempotent
/// under concurrent writers, and a URL's password in no message.
@Suite(.tools, .serialized, .enabled(if: PostgresServer.shared != nil, Comment(rawValue: PostgresServer.unavailable ?? "")))
struct PostgresStoreTests {
    var server: PostgresServer { PostgresServer.shared! }

    /// Every kind of record, a response graded in two modes, an error, two runs.
    static var records: [JSONObject] {
        var all: [JSONObject] = [StoreFixtures.question]
        for n in 0..<30 {
            let r = StoreFixtures.response(n, model: n % 2 == 0 ? "sim/good" : "sim/bad", run: n < 20 ? "run-1" : "run-2",
                                           error: n == 7)
            all.append(r)
            if n % 3 == 0 { all.append(StoreFixtures.grade(r, correct: n == 7 ? nil : n % 2 == 0)) }
            if n % 5 == 0 { all.append(StoreFixtures.grade(r, mode: "strict", correct: false)) }
        }
        all.append(StoreFixtures.metric())
        all.append(StoreFixtures.metric(group: "category=HISTORY", accuracy: 0.25))
        all.append(StoreFixtures.metric(model: "sim/bad", accuracy: 0.75))
        return all
    }

    func loadBoth(_ records: [JSONObject], batchSize: Int = 7) throws -> (sqlite: String, postgres: String) {
        let dir = StoreFixtures.directory()
        let file = try StoreFixtures.file(records, in: dir)
        let sqlite = dir.appendingPathComponent("results.db").path
        let postgres = try server.newDatabase()
        for path in [sqlite, postgres] {
            let loader = StoreLoader(path: path)
            loader.batchSize = batchSize
            try loader.load(inputs: [file])
        }
        return (sqlite, postgres)
    }

    func export(_ kind: StoreExporter.Kind, _ database: String, run: String? = nil, models: [String] = [],
                mode: String? = nil) throws -> String {
        let out = StoreFixtures.directory().appendingPathComponent("out.jsonl").path
        do {
            let writer = try JSONLWriter(path: out, append: false)
            try StoreEngine.export(kind, from: database, exporter: StoreExporter(run: run, models: models, mode: mode),
                                   to: writer, busyTimeout: 5)
            try writer.flush()
        }
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    @Test func exportsAreTheSameAsSQLitesInTheSameOrder() throws {
        let (sqlite, postgres) = try loadBoth(Self.records)
        for kind in StoreExporter.Kind.allCases {
            let a = try export(kind, sqlite), b = try export(kind, postgres)
            #expect(!a.isEmpty)
            #expect(a == b, "\(kind)")
        }
        #expect(try export(.grades, sqlite, run: "run-2", mode: "strict") == export(.grades, postgres, run: "run-2", mode: "strict"))
        #expect(try export(.questions, sqlite, models: ["sim/bad"]) == export(.questions, postgres, models: ["sim/bad"]))
        #expect(try export(.responses, sqlite, run: "run-1", models: ["sim/good"]) == export(.responses, postgres, run: "run-1", models: ["sim/good"]))
    }

    @Test func runFiguresAreTheSame() throws {
        let (sqlite, postgres) = try loadBoth(Self.records)
        let a = try StoreEngine.runs(sqlite, busyTimeout: 5), b = try StoreEngine.runs(postgres, busyTimeout: 5)
        #expect(a.count == 2)
        #expect(a.map { $0.json.filter { $0.key != "configuration" } } == b.map { $0.json.filter { $0.key != "configuration" } })
        #expect(a.map { $0.json["configuration"] } == b.map { $0.json["configuration"] })
    }

    @Test func theSeedColumnsAnswerTheSameSQLInBothEngines() throws {
        let (sqlite, postgres) = try loadBoth(Self.records)
        for sql in SeedQueries.queries {
            let lite = try SeedQueries.sqlite(sqlite, sql)
            let pg = try SeedQueries.postgres(postgres, sql)
            #expect(!lite.isEmpty, "\(sql)")
            #expect(lite == pg, "\(sql)")
        }
        // The per-category JSON is filled from the metric rows.
        let category = try SeedQueries.postgres(postgres, "SELECT category_performance FROM model_performance WHERE model_name = 'sim/good' AND \"group\" = 'all'")
        #expect(category == [[#"{"HISTORY":{"accuracy":0.25,"n":2}}"#]])
    }

    @Test func loadingAgainChangesNothing() throws {
        let dir = StoreFixtures.directory()
        let file = try StoreFixtures.file(Self.records, in: dir)
        let postgres = try server.newDatabase()
        let first = try StoreLoader(path: postgres).load(inputs: [file])
        let before = try export(.grades, postgres)
        let again = try StoreLoader(path: postgres).load(inputs: [file])
        #expect(first.read == Self.records.count && first.added > 0)
        #expect(again.added == 0 && again.updated == 0 && again.unchanged == again.read)
        #expect(try export(.grades, postgres) == before)
    }

    @Test func concurrentWritersStoreEachRecordOnce() throws {
        let dir = StoreFixtures.directory()
        let file = try StoreFixtures.file(Self.records, in: dir)
        let sqlite = dir.appendingPathComponent("one.db").path
        try StoreLoader(path: sqlite).load(inputs: [file])
        let postgres = try server.newDatabase()
        // Six loaders of the same records at once, in small batches.
        let errors = NSLock()
        nonisolated(unsafe) var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do {
                let loader = StoreLoader(path: postgres)
                loader.batchSize = 5
                try loader.load(inputs: [file])
            } catch {
                errors.withLock { failures.append("\(error)") }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        for kind in StoreExporter.Kind.allCases {
            #expect(try export(kind, sqlite) == export(kind, postgres), "\(kind)")
        }
        #expect(try StoreEngine.runs(sqlite, busyTimeout: 5).map(\.responses) == StoreEngine.runs(postgres, busyTimeout: 5).map(\.responses))
    }

    @Test func backupWritesASQLiteFileWithEveryRecord() throws {
        let (_, postgres) = try loadBoth(Self.records)
        let copy = StoreFixtures.directory().appendingPathComponent("copy.db").path
        try StoreEngine.backup(postgres, to: copy, overwrite: false, busyTimeout: 5)
        for kind in StoreExporter.Kind.allCases {
            #expect(try export(kind, copy) == export(kind, postgres), "\(kind)")
        }
    }

    @Test func aPasswordInTheURLIsNeverShown() throws {
        let url = try server.newDatabase()
        let database = String(url.split(separator: "?")[0].split(separator: "/").last ?? "")
        let withPassword = server.passwordURL(database: database)
        let dir = StoreFixtures.directory()
        let file = try StoreFixtures.file(Self.records, in: dir)
        let load = try ToolRunner.run("jb-store", ["load", withPassword, file, "-v"])
        #expect(load.status == 0, "\(load)")
        let runs = try ToolRunner.run("jb-store", ["runs", withPassword, "--json"])
        #expect(runs.status == 0, "\(runs)")
        let wrong = withPassword.replacingOccurrences(of: PostgresServer.password, with: PostgresServer.password + "x")
        let refused = try ToolRunner.run("jb-store", ["export", wrong, "responses"])
        #expect(refused.status == 66, "\(refused)")
        #expect(refused.stderr.contains("password authentication failed"), "\(refused)")
        let missing = try ToolRunner.run("jb-store", ["export", withPassword + "_nope", "responses"])
        #expect(missing.status == 66, "\(missing)")
        for result in [load, runs, refused, missing] {
            #expect(!result.output.contains(PostgresServer.password) && !result.stderr.contains(PostgresServer.password), "\(result)")
        }
        #expect(load.stderr.contains("postgres://\(PostgresServer.passwordUser)@127.0.0.1"), "\(load)")
        // Nor is it stored anywhere in the database.
        let dump = try server.psql(database, "SELECT string_agg(environment, '') FROM benchmark_runs")
        #expect(!dump.contains(PostgresServer.password))
    }

    @Test func bothEnginesHaveTheSameTablesViewsAndColumns() throws {
        let (sqlite, postgres) = try loadBoth([StoreFixtures.question])
        let lite: [String] = try DatabaseQueue(path: sqlite).read { db in
            try String.fetchAll(db, sql: """
                SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_xinfo(m.name) c
                WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'grdb_migrations'
                """)
        }
        // PostgreSQL's own: `seq` keeps load order (SQLite's rowid), and its migrations table.
        let pg = try SeedQueries.postgres(postgres, """
            SELECT table_name || '.' || column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND column_name <> 'seq' AND table_name <> 'jb_schema_migrations'
            """).map { $0[0] }
        #expect(lite.count > 100)
        #expect(lite.sorted() == pg.sorted())
    }

    /// Responses only, into an empty table: copied straight in while the load is alone, with
    /// a response repeated (changed) in a later batch, then a second load with grades.
    @Test func responsesCopiedStraightInMatchSQLite() throws {
        var responses = (0..<40).map { StoreFixtures.response($0, run: "run-3") }
        var changed = responses[3]
        changed["response_text"] = "What is a changed reply?"
        responses.append(changed)
        responses.append(responses[5])
        let dir = StoreFixtures.directory()
        let sqlite = dir.appendingPathComponent("direct.db").path
        let postgres = try server.newDatabase()
        let grades = [StoreFixtures.grade(responses[1]), StoreFixtures.grade(responses[2], mode: "strict")]
        var reports: [[Int]] = []
        for path in [sqlite, postgres] {
            for records in [responses, grades, responses] {
                let loader = StoreLoader(path: path)
                loader.batchSize = 8
                let r = try loader.load(inputs: [try StoreFixtures.file(records, in: dir)])
                reports.append([r.added, r.updated, r.unchanged])
            }
        }
        #expect(reports[0...2] == reports[3...5], "\(reports)")
        #expect(reports[0] == [40, 1, 1], "\(reports)")
        for kind in StoreExporter.Kind.allCases {
            #expect(try export(kind, sqlite) == export(kind, postgres), "\(kind)")
        }
        #expect(try StoreEngine.runs(sqlite, busyTimeout: 5).map(\.json) == StoreEngine.runs(postgres, busyTimeout: 5).map(\.json))
    }

    /// Responses naming the model that answered, grades naming who decided them.
    static var provenance: [JSONObject] {
        var all: [JSONObject] = []
        for n in 0..<6 {
            var r = StoreFixtures.response(n)
            r["reported_model"] = n == 5 ? nil : .string(n % 2 == 0 ? "sim/good" : "sim/good-2024-07-18")
            all.append(r)
            var g = StoreFixtures.grade(r)
            if var grade = g["grade"]?.objectValue, n < 4 {
                grade["decided_by"] = .string(["rules", "judge", "unsettled", "rules"][n])
                g["grade"] = .object(grade)
            }
            if n % 2 == 0 { all.append(g) }
        }
        return all
    }

    @Test func reportedModelAndDecidedByAreColumnsInBothEngines() throws {
        let (sqlite, postgres) = try loadBoth(Self.provenance, batchSize: 4)
        let sql = "SELECT key, grade_mode, reported_model, decided_by FROM benchmark_results ORDER BY key, grade_mode"
        let lite = try SeedQueries.sqlite(sqlite, sql)
        #expect(lite.count == 6)
        #expect(lite == (try SeedQueries.postgres(postgres, sql)))
        #expect(Set(lite.map { $0[2] }) == ["sim/good", "sim/good-2024-07-18", "NULL"])
        #expect(lite.filter { $0[1] == "jeopardy" }.map { $0[3] }.sorted() == ["NULL", "rules", "unsettled"])
    }

    @Test func anOlderPostgresDatabaseGainsTheNewColumns() throws {
        let (_, postgres) = try loadBoth(Self.provenance)
        let database = String(postgres.split(separator: "?")[0].split(separator: "/").last ?? "")
        // As a database made before v4: no such columns, no v4 row.
        _ = try server.psql(database, """
            ALTER TABLE benchmark_results DROP COLUMN reported_model, DROP COLUMN decided_by;
            DELETE FROM jb_schema_migrations WHERE identifier = 'v4'
            """)
        #expect(try StoreEngine.schemaVersions(postgres) == StoreSchema.versions)
        let rows = try SeedQueries.postgres(postgres, "SELECT count(reported_model), count(decided_by) FROM benchmark_results")
        #expect(rows == [["5", "2"]])
        // And it loads on top, unchanged.
        let again = try StoreLoader(path: postgres).load(inputs: [try StoreFixtures.file(Self.provenance, in: StoreFixtures.directory())])
        #expect(again.unchanged == Self.provenance.count)
    }

    @Test func aLoadIntoAnEmptyTableEndsWithItsIndexesAndTheNextLoadRestoresThem() throws {
        let (_, postgres) = try loadBoth(Self.records, batchSize: 5)
        let database = String(postgres.split(separator: "?")[0].split(separator: "/").last ?? "")
        let indexes = "SELECT indexname FROM pg_indexes WHERE tablename = 'benchmark_results' ORDER BY 1"
        let all = ["benchmark_results_pkey", "benchmark_results_question", "benchmark_results_run", "benchmark_results_seq"]
        #expect(try SeedQueries.postgres(postgres, indexes).map { $0[0] } == all)
        // A load killed part way leaves them out (as if so); the next load makes them again.
        _ = try server.psql(database, "DROP INDEX benchmark_results_run; DROP INDEX benchmark_results_seq")
        try StoreLoader(path: postgres).load(inputs: [try StoreFixtures.file([StoreFixtures.question], in: StoreFixtures.directory())])
        #expect(try SeedQueries.postgres(postgres, indexes).map { $0[0] } == all)
    }

    @Test func anEmptyDatabaseIsNotAStore() throws {
        let url = try server.newDatabase()
        #expect(throws: JBError.self) { try StoreEngine.runs(url, busyTimeout: 5) }
    }
}
