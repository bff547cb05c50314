import Foundation
import JBCore
import JBPostgres

/// jb's results database in PostgreSQL: the same tables, columns and views as the SQLite
/// file, for many writers on many machines.
///
/// A batch goes in with COPY into session-private staging tables, then a few set-based
/// statements merge it (`INSERT … ON CONFLICT`), so loading is a handful of round trips per
/// ten thousand records, and two machines loading the same records at once store each one
/// once. A run's summary is recomputed under a per-run advisory lock, so the writer that
/// commits last always counts every writer's rows. Deadlocks and serialization failures
/// retry the batch (it is still in memory).
final class PostgresStore {
    /// The URL without its password, for every message.
    let name: String
    let connection: PGConnection
    private var staged = false
    private var environment: String?
    /// The first batch has looked at `benchmark_results`; its secondary indexes were dropped
    /// because it was empty (and are made again by the last batch).
    private var indexesChecked = false
    private var droppedIndexes = false
    /// Questions this load has stored (committed): a response's copy of one is not sent
    /// again (it could only be skipped there), so a load of many responses per question
    /// sends each question once.
    private var storedQuestions = Set<String>()
    /// The sequence of `benchmark_results.seq` (looked up once: naming it per row costs more
    /// than the numbers themselves).
    private var resultSequence: String?
    /// Responses may still be copied straight into `benchmark_results` (see `mayCopyDirectly`).
    private var copyDirect = true
    /// The last `seq` this load took, while every row of `benchmark_results` is this load's.
    private var ownSequenceEnd: Int?
    private var batchSequenceEnd: Int?
    /// This load dropped the secondary indexes; its last batch makes them again.
    var indexesDropped: Bool { droppedIndexes }

    /// Connects; with `create`, makes the schema when the database has none yet.
    init(url: String, create: Bool) throws {
        name = DatabaseURL.redacted(url)
        do {
            connection = try PGConnection(url: url, applicationName: "jb-store")
        } catch let e as PGError {
            let reason = "cannot connect to PostgreSQL: \(e.message)"
            throw create ? JBError.cannotCreate(path: name, reason: reason) : JBError.cannotOpen(path: name, reason: reason)
        }
        do {
            try PostgresSchema.prepare(connection, create: create, name: name)
        } catch let e as JBError {
            throw e
        } catch {
            throw describe(error, opening: true, create: create)
        }
    }

    /// A clear `JBError` for a failure on this database.
    func describe(_ error: Error, opening: Bool = false, create: Bool = true) -> JBError {
        if let e = error as? JBError { return e }
        let message = (error as? PGError)?.message ?? "\(error)"
        if opening {
            return create ? .cannotCreate(path: name, reason: message) : .cannotOpen(path: name, reason: message)
        }
        return .io(path: name, reason: message)
    }

    // MARK: Loading

    /// Stores one batch in one transaction and recomputes the summaries of `runs`.
    func commit(_ batch: [StoreLoader.PreparedRecord], runs: [String], final: Bool) throws -> LoadReport {
        if !staged {
            try connection.script(PostgresSchema.staging)
            staged = true
        }
        if environment == nil { environment = try PostgresStore.environment(connection) }
        let rows = StagedBatch(batch, stored: storedQuestions)
        var counts = LoadReport()
        try connection.transaction {
            counts = LoadReport()
            if !indexesChecked && !final && !rows.results.isEmpty {
                // Into an empty table, making the indexes once at the end costs a fraction of
                // updating them row by row. DROP INDEX locks the table until this commit, so
                // another loader sees the empty table with them or these rows without them;
                // a loader that opens meanwhile makes them again, and so does the next one
                // when this load is killed before its end (`PostgresSchema.ensureIndexes`).
                indexesChecked = true
                try connection.execute("SELECT pg_advisory_xact_lock(7413, -2)")
                if try connection.execute("SELECT NOT EXISTS (SELECT 1 FROM benchmark_results)").scalar == "t" {
                    try connection.script(PostgresSchema.secondaryIndexes.map { "DROP INDEX IF EXISTS \($0.name)" }
                        .joined(separator: ";\n"))
                    droppedIndexes = true
                }
            }
            if !rows.questions.isEmpty {
                try connection.copyIn("COPY jb_stage_q FROM STDIN", data: rows.questionData)
                let r = try connection.execute(PostgresSchema.mergeQuestions)
                counts.added += Int(r.rows.first?[0] ?? "0") ?? 0
                counts.updated += Int(r.rows.first?[1] ?? "0") ?? 0
            }
            if !rows.results.isEmpty {
                // Export order is load order: the rows take sequence numbers in batch order
                // here, whichever of the statements below stores them.
                if resultSequence == nil {
                    resultSequence = try connection.execute("SELECT pg_get_serial_sequence('benchmark_results', 'seq')").scalar
                }
                let direct = try mayCopyDirectly(rows)
                var copied = false
                let sequence = try connection.execute(
                    "SELECT nextval($1::regclass) FROM generate_series(1, $2::int) ORDER BY 1",
                    [resultSequence, String(rows.results.count)]).rows.compactMap { $0[0].flatMap { Int($0) } }
                let data = rows.resultData(sequence: sequence)
                batchSequenceEnd = sequence.last
                copied = try direct && copyDirectly(data)
                if copied {
                    counts.added += rows.results.count
                } else {
                    try connection.copyIn("COPY jb_stage_r FROM STDIN", data: data)
                }
                if rows.hasGrades {
                    counts.added += Int(try connection.execute(PostgresSchema.upgradeResults).scalar ?? "0") ?? 0
                    let g = try connection.execute(PostgresSchema.mergeGrades)
                    counts.added += Int(g.rows.first?[0] ?? "0") ?? 0
                    counts.updated += Int(g.rows.first?[1] ?? "0") ?? 0
                }
                if rows.hasResponses && !copied {
                    let r = try connection.execute(PostgresSchema.mergeResponses)
                    counts.added += Int(r.rows.first?[0] ?? "0") ?? 0
                    counts.updated += Int(r.rows.first?[1] ?? "0") ?? 0
                }
                if rows.hasGrades { try connection.execute(PostgresSchema.dropGradedResponses) }
            }
            if !rows.metrics.isEmpty {
                try connection.copyIn("COPY jb_stage_m FROM STDIN", data: rows.metricData)
                let r = try connection.execute(PostgresSchema.mergeMetrics)
                counts.added += Int(r.rows.first?[0] ?? "0") ?? 0
                counts.updated += Int(r.rows.first?[1] ?? "0") ?? 0
            }
            if final && droppedIndexes { try PostgresSchema.ensureIndexes(connection) }
            let now = Timestamp.format(Date())
            for run in runs {
                try connection.execute("SELECT pg_advisory_xact_lock(7413, hashtext($1))", [run])
                try connection.execute(PostgresSchema.refreshRun, [run, environment, now])
            }
            counts.unchanged = batch.count - counts.added - counts.updated
        }
        if final { droppedIndexes = false }
        storedQuestions.formUnion(rows.questions.keys)
        if rows.hasGrades { copyDirect = false }
        if copyDirect, let end = batchSequenceEnd { ownSequenceEnd = end }
        batchSequenceEnd = nil
        return counts
    }

    /// Whether this batch's results can be copied straight into `benchmark_results` instead
    /// of through the staging table and its merge (which costs the server as much again):
    /// when the batch holds responses only and the table holds only what this load stored,
    /// none of it graded. Then a response can only meet its own earlier copy (a unique
    /// violation, after which the batch takes the merge). The table is locked against other
    /// writers until this batch commits (readers go on); a writer that comes after sees rows
    /// and merges as usual. "Only this load's rows": the table was empty at the first batch,
    /// and since then nobody else took a sequence number (every writer takes them).
    private func mayCopyDirectly(_ rows: StagedBatch) throws -> Bool {
        guard copyDirect, !rows.hasGrades, let sequence = resultSequence else {
            copyDirect = false
            return false
        }
        try connection.execute("LOCK TABLE benchmark_results IN SHARE ROW EXCLUSIVE MODE")
        let alone: Bool
        if let end = ownSequenceEnd {
            alone = try connection.execute("SELECT last_value FROM \(sequence)").scalar == String(end)
        } else {
            alone = try connection.execute("SELECT NOT EXISTS (SELECT 1 FROM benchmark_results)").scalar == "t"
        }
        if !alone { copyDirect = false }
        return alone
    }

    /// Copies a batch of new responses straight into `benchmark_results`; false (and nothing
    /// stored) when one of them is there already.
    private func copyDirectly(_ data: [UInt8]) throws -> Bool {
        try connection.execute("SAVEPOINT jb_copy")
        do {
            try connection.copyIn("COPY benchmark_results (seq, \(PostgresSchema.quoted(PostgresSchema.resultNames))) FROM STDIN",
                                  data: data)
            try connection.execute("RELEASE SAVEPOINT jb_copy")
            return true
        } catch let e as PGError where e.sqlState == "23505" {
            try connection.execute("ROLLBACK TO SAVEPOINT jb_copy")
            return false
        }
    }

    /// Fills the per-model JSON columns of `model_performance` (after metrics were loaded).
    func refreshModelPerformance() throws {
        try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock(7413, 0)")
            try connection.execute(PostgresSchema.refreshModelPerformance)
        }
    }

    /// The environment a run is first loaded from, as a JSON object's text.
    static func environment(_ connection: PGConnection) throws -> String {
        var u = utsname()
        uname(&u)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
        }
        let env: JSONObject = [
            "host": .string(field(u.nodename)), "os": .string("\(field(u.sysname)) \(field(u.release))"),
            "machine": .string(field(u.machine)), "postgresql": .string(connection.serverVersion), "loader": "jb-store",
            "schema": .string(StoreSchema.versions.last ?? ""),
        ]
        return JSONSerializer.string(.object(env))
    }

    // MARK: Reading

    /// The applied schema versions.
    func schemaVersions() throws -> [String] {
        try connection.execute("SELECT identifier FROM jb_schema_migrations ORDER BY identifier").rows.compactMap { $0[0] }
    }

    /// Every run with its headline figures, oldest first.
    func runs() throws -> [RunSummary] {
        do {
            let r = try connection.execute("""
                SELECT run_id, started_at, finished_at, models, responses, errors, cached, graded, correct, accuracy,
                       grade_mode, cost_usd, prompt_tokens, completion_tokens, total_tokens, mean_latency_ms, configuration
                FROM benchmark_runs ORDER BY started_at, run_id
                """)
            return r.rows.map { v in
                func int(_ i: Int) -> Int? { v[i].flatMap { Int($0) } }
                func double(_ i: Int) -> Double? { v[i].flatMap { Double($0) } }
                return RunSummary(runID: v[0] ?? "", startedAt: v[1], finishedAt: v[2], models: v[3],
                                  responses: int(4) ?? 0, errors: int(5) ?? 0, cached: int(6) ?? 0, graded: int(7) ?? 0,
                                  correct: int(8) ?? 0, accuracy: double(9), gradeMode: v[10], costUSD: double(11),
                                  promptTokens: int(12), completionTokens: int(13), totalTokens: int(14),
                                  meanLatencyMS: double(15), configuration: v[16])
            }
        } catch {
            throw describe(error)
        }
    }

    /// Writes every matching record of `kind` to `writer`, in the order first loaded, from
    /// one statement's snapshot. Returns the number written.
    func export(_ kind: StoreExporter.Kind, _ exporter: StoreExporter, to writer: JSONLWriter) throws -> Int {
        var conditions: [String] = []
        var arguments: [String?] = []
        if let run = exporter.run {
            arguments.append(run)
            conditions.append("run_id = $\(arguments.count)")
        }
        if !exporter.models.isEmpty {
            let marks = exporter.models.map { m -> String in
                arguments.append(m)
                return "$\(arguments.count)"
            }
            conditions.append("model IN (\(marks.joined(separator: ", ")))")
        }
        let sql: String
        switch kind {
        case .questions:
            let filter = conditions.isEmpty ? ""
                : " WHERE id IN (SELECT question_id FROM benchmark_results WHERE \(conditions.joined(separator: " AND ")))"
            sql = "SELECT record FROM questions\(filter) ORDER BY seq"
        case .responses:
            let filter = conditions.isEmpty ? "" : " WHERE \(conditions.joined(separator: " AND "))"
            sql = "SELECT record FROM (SELECT DISTINCT ON (key) record, seq FROM benchmark_results\(filter) ORDER BY key, seq) t ORDER BY seq"
        case .grades:
            conditions.insert("grade_mode <> ''", at: 0)
            if let mode = exporter.mode {
                arguments.append(mode)
                conditions.append("grade_mode = $\(arguments.count)")
            }
            sql = "SELECT record, grade FROM benchmark_results WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq"
        case .metrics:
            let filter = conditions.isEmpty ? "" : " WHERE \(conditions.joined(separator: " AND "))"
            sql = "SELECT record FROM model_performance\(filter) ORDER BY seq"
        }
        var count = 0
        do {
            try connection.stream(sql, arguments) { row in
                try writeStored(row[0] ?? "", grade: kind == .grades ? row[1] : nil, to: writer)
                count += 1
            }
        } catch let e as PGError {
            throw describe(e)
        }
        return count
    }

    /// Writes a stored record as it was loaded, or, with its stored grade, as the record with
    /// that `grade` object: the one row writer of both exports.
    private func writeStored(_ text: String, grade gradeText: String?, to writer: JSONLWriter) throws {
        guard let gradeText else { return try writer.writeLine(text.utf8) }
        guard case .object(var record) = try JSONParser.parse(text),
              let grade = try? JSONParser.parse(gradeText) else {
            throw JBError.internal("\(name): a stored grade is not a JSON object")
        }
        record["grade"] = grade
        try writer.write(record)
    }

    /// Every row of `benchmark_results` in load order: a response as it was loaded, a grade
    /// as its response with the `grade` object.
    private func writeResults(to writer: JSONLWriter) throws {
        do {
            try connection.stream("SELECT record, grade FROM benchmark_results ORDER BY seq") { row in
                try writeStored(row[0] ?? "", grade: row[1], to: writer)
            }
        } catch let e as PGError {
            throw describe(e)
        }
    }

    /// Copies every record into a new SQLite file at `destination`, from one snapshot.
    func backup(to destination: String, overwrite: Bool) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination) {
            guard overwrite else {
                throw JBError.cannotCreate(path: destination, reason: "file exists (use --force to replace it)")
            }
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: destination + suffix) }
        }
        let folder = NSTemporaryDirectory() + "jb-store-backup-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: folder) }
        // Questions, then every result row as its record (with its grade) in load order,
        // then metrics: loaded in that order, the copy keeps PostgreSQL's order, so both
        // export the same records in the same order.
        var files: [String] = []
        try connection.transaction(isolation: "REPEATABLE READ") {
            files = []
            for kind in ["questions", "results", "metrics"] {
                let file = "\(folder)/\(kind).jsonl"
                let writer = try JSONLWriter(path: file, append: false)
                if kind == "results" {
                    try writeResults(to: writer)
                } else {
                    _ = try export(kind == "questions" ? .questions : .metrics, StoreExporter(), to: writer)
                }
                try writer.flush()
                files.append(file)
            }
        }
        do {
            try StoreLoader(path: destination).load(inputs: files)
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? fm.removeItem(atPath: destination + suffix) }
            throw error
        }
    }
}

/// One batch, deduplicated by natural key and encoded for COPY.
struct StagedBatch {
    /// A result row's identity: its response key and grading mode (`''` ungraded).
    struct ResultID: Hashable {
        var key: String
        var mode: String
    }
    var questions: [String: (ord: Int, questionSource: Bool, values: [SQLValue])] = [:]
    var results: [ResultID: (ord: Int, values: [SQLValue])] = [:]
    var metrics: [String: (ord: Int, values: [SQLValue])] = [:]
    var hasGrades = false
    var hasResponses = false

    /// The batch's rows, leaving out the question fields of responses whose question is in
    /// `stored` (stored already: they would change nothing).
    init(_ batch: [StoreLoader.PreparedRecord], stored: Set<String> = []) {
        // Results are placed as SQLite's rowids would be: a grade takes the place of its
        // response earlier in the batch (the response "becomes" the grade), a response
        // whose key is already graded in the batch adds nothing, and a repeat keeps the
        // place of the first.
        var gradedKeys: Set<String> = []
        results.reserveCapacity(batch.count)
        questions.reserveCapacity(batch.count)
        for (ord, record) in batch.enumerated() {
            if var q = record.question, q.count > 14,
               record.kind == .question || stored.isEmpty || !stored.contains(q[0].text) {
                q[14] = .text(record.questionSource)
                addQuestion(q, isQuestion: record.kind == .question, ord: ord)
            }
            switch record.kind {
            case .question:
                break
            case .response, .grade:
                let key = record.values.first?.text ?? "", mode = record.values.count > 1 ? record.values[1].text : ""
                let ungraded = ResultID(key: key, mode: "")
                if record.kind == .grade {
                    gradedKeys.insert(key)
                    let id = ResultID(key: key, mode: mode)
                    if let i = results.index(forKey: id) {
                        results.values[i].values = record.values
                    } else if let response = results.removeValue(forKey: ungraded) {
                        results[id] = (response.ord, record.values)
                    } else {
                        results[id] = (ord, record.values)
                    }
                } else if gradedKeys.isEmpty || !gradedKeys.contains(key) {
                    if let i = results.index(forKey: ungraded) {
                        results.values[i].values = record.values
                    } else {
                        results[ungraded] = (ord, record.values)
                    }
                }
            case .metric:
                let key = record.values.first?.text ?? ""
                metrics[key] = (metrics[key]?.ord ?? ord, record.values)
            }
        }
        hasGrades = !gradedKeys.isEmpty
        hasResponses = results.keys.contains { $0.mode.isEmpty }
    }

    private mutating func addQuestion(_ values: [SQLValue], isQuestion: Bool, ord: Int) {
        let id = values[0].text
        if let i = questions.index(forKey: id) {
            // A question record wins over the question fields of a response.
            if questions.values[i].questionSource && !isQuestion { return }
            questions.values[i].questionSource = isQuestion
            questions.values[i].values = values
        } else {
            questions[id] = (ord, isQuestion, values)
        }
    }

    var questionData: [UInt8] {
        COPYText.encode(questions.values.sorted { $0.ord < $1.ord }.map { ($0.ord, $0.values) }, types: StoreColumns.questions.map(\.type))
    }
    /// The results as COPY input, each with its `seq` (from `sequence`, ascending) in batch order.
    func resultData(sequence: [Int]) -> [UInt8] {
        let rows = results.values.sorted { $0.ord < $1.ord }
        return COPYText.encode(zip(sequence, rows).map { ($0, $1.values) }, types: StoreColumns.results.map(\.type))
    }
    var metricData: [UInt8] {
        COPYText.encode(metrics.values.sorted { $0.ord < $1.ord }.map { ($0.ord, $0.values) }, types: StoreColumns.metrics.map(\.type))
    }
}

/// PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes.
enum COPYText {
    /// Rows (with their batch position first) as COPY input; each value converted to its
    /// column's type as SQLite's affinity would, and NULL where it cannot be (the record
    /// keeps the value exactly).
    static func encode(_ rows: [(Int, [SQLValue])], types: [StoreColumns.ColumnType]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * 512)
        for (ord, values) in rows {
            out.append(contentsOf: String(ord).utf8)
            for (i, v) in values.enumerated() {
                out.append(0x09)
                append(v, as: i < types.count ? types[i] : .text, to: &out)
            }
            out.append(0x0A)
        }
        return out
    }

    static func append(_ value: SQLValue, as type: StoreColumns.ColumnType, to out: inout [UInt8]) {
        let null: [UInt8] = [0x5C, 0x4E]
        switch (value, type) {
        case (.null, _):
            out.append(contentsOf: null)
        case (.int(let i), _):
            out.append(contentsOf: String(i).utf8)
        case (.double(let d), .integer):
            if d.isFinite, d == d.rounded(), abs(d) < 9.2e18 { out.append(contentsOf: String(Int64(d)).utf8) } else { out.append(contentsOf: null) }
        case (.double(let d), _):
            if d.isFinite { out.append(contentsOf: "\(d)".utf8) } else { out.append(contentsOf: null) }
        case (.text(let s), .integer):
            if let i = Int64(s) { out.append(contentsOf: String(i).utf8) } else { out.append(contentsOf: null) }
        case (.text(let s), .real), (.text(let s), .milliseconds):
            if let d = Double(s), d.isFinite { out.append(contentsOf: "\(d)".utf8) } else { out.append(contentsOf: null) }
        case (.text(let s), .text), (.text(let s), .scalar):
            escape(s, to: &out)
        }
    }

    /// Text with COPY's escapes; a NUL (which PostgreSQL text cannot hold) becomes U+FFFD.
    /// Runs without a special byte are copied whole (most values have none).
    static func escape(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { b in
            var start = 0
            for i in 0..<b.count {
                let c = b[i]
                guard c == 0x5C || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x00 else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
                switch c {
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(0x6E)
                case 0x0D: out.append(0x5C); out.append(0x72)
                case 0x09: out.append(0x5C); out.append(0x74)
                default: out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start...]))
        }
    }
}
