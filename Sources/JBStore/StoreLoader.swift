import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import JBCore

/// What one load did.
public struct LoadReport: Equatable, Sendable {
    /// Records read (blank lines not counted).
    public var read = 0
    /// Records stored for the first time.
    public var added = 0
    /// Records that replaced a stored record with the same natural key but other content.
    public var updated = 0
    /// Records already stored exactly so.
    public var unchanged = 0
    /// Records read, by kind.
    public var kinds: [RecordKind: Int] = [:]

    /// Records now in the database (committed), of those read.
    public var stored: Int { added + updated + unchanged }
    /// The load was interrupted (`StoreLoader.stop`); `complete` says whether it still read
    /// all of its input first.
    public var interrupted = false
    /// Every input was read to its end.
    public var complete = false
    /// The `tee` copy stopped because nothing reads it any more (EPIPE) while the load was
    /// not interrupted: what was read is stored, and the tool should end as a filter whose
    /// reader went away (SIGPIPE).
    public var teeReaderGone = false

    /// The one-line summary jb-store prints at the end of a load.
    public var summary: String {
        let parts = RecordKind.allCases.compactMap { k in kinds[k].map { "\($0) \(k.rawValue)\($0 == 1 ? "" : "s")" } }
        let what = parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
        return "\(read) record\(read == 1 ? "" : "s") read\(what): \(added) added, \(updated) updated, \(unchanged) unchanged"
    }
}

/// Loads jb records into a results database in batches, one transaction per batch.
///
/// Each record goes in under its natural key (a question's `id`, a response's `key`, a grade's
/// `key` and mode, a metric's identifying fields) with its complete canonical text, so loading
/// the same input twice adds nothing and an export gives back every field. A batch is
/// all-or-nothing: when the database fails, the error says how many records are stored, and
/// loading the input again is safe (stored records are skipped).
public final class StoreLoader {
    /// Records per transaction.
    public var batchSize = StoreSetting.batchSize.defaultValue
    /// Called after each committed batch with the figures so far (progress on a terminal).
    public var progress: ((LoadReport) -> Void)?
    /// A non-empty batch older than this (seconds) is committed when the next record arrives,
    /// so a slow upstream stage does not keep records in memory for long.
    public var flushInterval = StoreSetting.commitInterval.defaultValue
    /// Raised (from any thread, a signal handler say) to stop the load: a regular file stops
    /// at the next record; a pipe is read on to its end, so the last records an interrupted
    /// upstream stage still writes are stored too. What was read is committed either way.
    public let stop = StopFlag()

    private let path: String
    private let busyTimeout: Double
    private var database: StoreDatabase?
    /// The PostgreSQL engine, when `path` is a `postgres://` URL.
    private var postgres: PostgresStore?
    /// Metrics were read since `model_performance`'s per-model columns were refreshed.
    private var metricsPending = false
    private var report = LoadReport()
    private var pending: [PreparedRecord] = []
    /// The batch being committed on the writer thread, if any (see `commitPending`).
    private var inFlight: (done: DispatchSemaphore, outcome: CommitOutcome)?
    /// The writer thread: a batch is stored there while the next one is read and prepared.
    private let writer = DispatchQueue(label: "jb-store.writer")
    /// Secondary indexes dropped for a load into an empty table, made again at its end.
    private var droppedIndexes = false
    private var indexesChecked = false
    /// `benchmark_results` was empty when this load began (known in its first transaction):
    /// a grade can then only replace an ungraded row this load stored, whose keys are kept
    /// here, so other grades skip that lookup.
    private var startedEmpty = false
    private var ungradedKeys = Set<String>()
    /// `PRAGMA data_version` at this load's last commit: it changes when another connection commits.
    private var dataVersion: Int?
    /// The tee copy still goes somewhere.
    private var teeing = false
    /// Why the current load stopped, once it has.
    private var failure: Failure?
    private var lastFlush = DispatchTime.now().uptimeNanoseconds
    private var environment: String?
    private var tuned = false
    /// Rows of each run at its last summary refresh, and rows added since: a run's summary is
    /// recomputed when it has doubled, and at the end, so a long load stays linear.
    private var runRows: [String: (atRefresh: Int, since: Int)] = [:]

    /// A loader into the database at `path` (created when missing).
    public init(path: String, busyTimeout: Double = StoreSetting.busyTimeout.defaultValue) {
        self.path = path
        self.busyTimeout = busyTimeout
    }

    /// Why a load stopped: the database failed (on opening, or committing a batch), or a
    /// record was bad.
    enum Failure {
        case database(JBError, opening: Bool)
        case record(JBError)
    }

    /// Loads every record of `inputs` (stdin when empty). With `tee`, every input line is
    /// copied to it first, and the whole input still reaches it when the database fails.
    @discardableResult
    public func load(inputs: [String], tee: JSONLWriter? = nil) throws -> LoadReport {
        let readers = try (inputs.isEmpty ? ["-"] : inputs).map { try LineReader(path: $0 == "-" ? nil : $0) }
        failure = nil
        var readAfterFailure = 0
        teeing = tee != nil
        for reader in readers {
            // When the input pauses, what has been read is passed on and committed before
            // waiting for more: a slow upstream stage's records are stored as they come.
            reader.source.beforeWaiting = { [unowned self] in
                if let tee { try self.passOn(tee) { try tee.flush() } }
                if self.failure == nil, let e = self.commitPending(final: false) { self.failure = .database(e, opening: false) }
            }
        }
        var complete = true
        do {
            if DatabaseURL.isPostgres(path) {
                postgres = try PostgresStore(url: path, create: true)
            } else {
                database = try StoreDatabase(path: path, create: true, busyTimeout: busyTimeout)
            }
        } catch let e as JBError {
            failure = .database(e, opening: true)
        }
        reading: for reader in readers {
            while true {
                if failure != nil && !teeing { break reading }
                if report.teeReaderGone || (failure == nil && !reader.source.isStream && stop.isRaised) {
                    complete = false
                    break reading
                }
                let line: Result<JSONObject?, JBError>?
                line = try reader.withNextLine { bytes in
                    if let tee { try passOn(tee) { try tee.writeLine(bytes) } }
                    if failure != nil {
                        if !JSONLine.isBlank(bytes) { readAfterFailure += 1 }
                        return .success(nil)
                    }
                    return JSONLine.record(bytes, source: reader.name, number: reader.lineNumber)
                }
                guard let line else { break }
                switch line {
                case .success(nil):
                    continue
                case .success(let record?):
                    let kind = RecordKind(of: record)
                    if kind == .question && RecordKind.questionID(record) == nil {
                        failure = located(reader, "missing field \"id\" (and no \"round\" and \"clue\" to make it from)")
                        continue
                    }
                    report.read += 1
                    report.kinds[kind, default: 0] += 1
                    pending.append(PreparedRecord(kind, record))
                    if kind == .metric { metricsPending = true }
                    if pending.count >= batchSize {
                        if let e = commitPending(final: false, wait: false) { failure = .database(e, opening: false) }
                    } else if overdue() {
                        if let e = commitPending(final: false) { failure = .database(e, opening: false) }
                    }
                case .failure(let e):
                    failure = located(reader, e.message)
                }
            }
            if failure == nil, let e = commitPending(final: true) { failure = .database(e, opening: false) }
            if stop.isRaised && reader !== readers.last { complete = false; break reading }
        }
        if failure == nil, let e = commitPending(final: true) { failure = .database(e, opening: false) }
        if let e = awaitInFlight(), failure == nil { failure = .database(e, opening: false) }
        // The writer's last block lets go of the database before `load` returns, and the
        // database is closed here: the next opener of the file never meets our connection
        // still closing (a WAL checkpoint under an exclusive lock: "database is locked").
        writer.sync {}
        database = nil
        postgres = nil
        if let tee { try passOn(tee) { try tee.flush() } }
        switch failure {
        case nil:
            report.interrupted = stop.isRaised
            report.complete = complete
            return report
        case .record(let e)?:
            throw e
        case .database(let e, let opening)?:
            let total = report.read + readAfterFailure, stored = report.stored
            let note: String
            if opening {
                note = total == 0 ? "nothing stored" : "none of the \(total) record\(total == 1 ? "" : "s") read \(total == 1 ? "is" : "are") stored"
            } else {
                note = "\(stored) of \(total) records read are stored, \(total - stored) not"
                    + " (run the load again: stored records are skipped)"
            }
            switch e {
            case .cannotCreate(let p, let reason): throw JBError.cannotCreate(path: p, reason: "\(reason); \(note)")
            case .cannotOpen(let p, let reason): throw JBError.cannotOpen(path: p, reason: "\(reason); \(note)")
            case .io(let p, let reason): throw JBError.io(path: p, reason: "\(reason); \(note)")
            default: throw JBError.io(path: DatabaseURL.redacted(path), reason: "\(e.message); \(note)")
            }
        }
    }

    /// Runs a write to the tee copy. When its reader has gone (EPIPE), the copy stops: quietly
    /// after an interrupt (the next stage was interrupted too), else the load ends early and
    /// says so in its report.
    private func passOn(_ tee: JSONLWriter, _ write: () throws -> Void) throws {
        guard teeing else { return }
        do {
            try write()
        } catch where tee.readerGone {
            teeing = false
            if !stop.isRaised { report.teeReaderGone = true }
        }
    }

    private func overdue() -> Bool {
        DispatchTime.now().uptimeNanoseconds - lastFlush > UInt64(flushInterval * 1e9)
    }

    /// A bad record's error: the records before it are committed first, and the message
    /// says how many are stored.
    private func located(_ reader: LineReader, _ message: String) -> Failure {
        let line = reader.lineNumber
        if let dbError = commitPending(final: true) { return .database(dbError, opening: false) }
        let stored = report.stored
        return .record(.badRecord(source: reader.name, line: line,
                          message: "\(message) (\(stored) record\(stored == 1 ? "" : "s") before it stored)"))
    }

    /// What a batch's commit on the writer thread came to.
    final class CommitOutcome: @unchecked Sendable {
        var counts = LoadReport()
        var error: JBError?
    }

    /// Hands the pending batch to the writer thread. With `wait` (the default) it returns once
    /// the batch is committed; without, the batch is stored while the caller reads and
    /// prepares the next one, and its outcome is collected at the next call. Returns the
    /// error of a failed commit (the records of the batches before it are stored).
    private func commitPending(final: Bool, wait: Bool = true) -> JBError? {
        lastFlush = DispatchTime.now().uptimeNanoseconds
        if let e = awaitInFlight() { return e }
        if let postgres { return commitToPostgres(postgres, final: final, wait: wait) }
        guard let database else { return nil }
        let refreshDue = final && (droppedIndexes || metricsPending || runRows.values.contains { $0.since > 0 })
        guard !pending.isEmpty || refreshDue else { return nil }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        let outcome = CommitOutcome()
        let done = DispatchSemaphore(value: 0)
        inFlight = (done, outcome)
        // The writer thread is the only one touching the loader's database state until
        // `awaitInFlight` returns: the reading thread waits for it before any other commit.
        nonisolated(unsafe) let loader = self, store = database
        writer.async {
            do {
                outcome.counts = try loader.write(batch, final: final, bulk: !wait, database: store)
            } catch {
                outcome.error = StoreDatabase.describe(error, path: loader.path, opening: false, create: true)
            }
            done.signal()
        }
        return wait || final ? awaitInFlight() : nil
    }

    /// Hands the pending batch to the writer thread, which stores it in PostgreSQL while this
    /// thread reads and prepares the next one (as for SQLite): the server's work, the batch's
    /// encoding and the parsing of the next batch overlap.
    private func commitToPostgres(_ postgres: PostgresStore, final: Bool, wait: Bool) -> JBError? {
        let refreshDue = final && (postgres.indexesDropped || metricsPending || runRows.values.contains { $0.since > 0 })
        guard !pending.isEmpty || refreshDue else { return nil }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        var touched: [String: Int] = [:]
        for record in batch where record.kind == .response || record.kind == .grade {
            touched[record.runID, default: 0] += 1
        }
        let runs = runsToRefresh(touched, final: final, skip: !wait)
        let refreshMetrics = final && metricsPending
        if refreshMetrics { metricsPending = false }
        let outcome = CommitOutcome()
        let done = DispatchSemaphore(value: 0)
        inFlight = (done, outcome)
        nonisolated(unsafe) let store = postgres
        writer.async {
            do {
                outcome.counts = try store.commit(batch, runs: runs, final: final)
                if refreshMetrics { try store.refreshModelPerformance() }
            } catch {
                outcome.error = store.describe(error)
            }
            done.signal()
        }
        return wait || final ? awaitInFlight() : nil
    }

    /// Counts rows added to each run and names the runs whose summaries to recompute now:
    /// when a run's rows have doubled since the last time (unless `skip`: a bulk batch), and
    /// at the end, so a long load stays linear.
    private func runsToRefresh(_ touched: [String: Int], final: Bool, skip: Bool) -> [String] {
        for (run, n) in touched {
            var r = runRows[run] ?? (0, 0)
            r.since += n
            runRows[run] = r
        }
        if skip && !final { return [] }
        var due: [String] = []
        for (run, r) in runRows where r.since > 0 && (final || r.since >= r.atRefresh) {
            due.append(run)
            runRows[run] = (r.atRefresh + r.since, 0)
        }
        return due.sorted()
    }

    /// Waits for the batch on the writer thread and adds its counts to the report.
    private func awaitInFlight() -> JBError? {
        guard let (done, outcome) = inFlight else { return nil }
        done.wait()
        inFlight = nil
        if let e = outcome.error { return e }
        report.added += outcome.counts.added
        report.updated += outcome.counts.updated
        report.unchanged += outcome.counts.unchanged
        progress?(report)
        return nil
    }

    /// Stores one batch in one transaction (on the writer thread). A `bulk` batch (a full one,
    /// read without a pause) leaves the runs' summaries to the load's end or its next pause:
    /// recomputing a run costs a pass over its rows.
    private func write(_ batch: [PreparedRecord], final: Bool, bulk: Bool, database: StoreDatabase) throws -> LoadReport {
        var counts = LoadReport()
        try database.pool.writeWithoutTransaction { db in
            if !tuned {
                try StoreLoader.tune(db)
                tuned = true
            }
            try db.inTransaction(.immediate) {
                counts = LoadReport()
                if environment == nil { environment = try StoreDatabase.environment(db: db) }
                // Another process that wrote between this load's transactions may have stored
                // ungraded rows: then every grade looks for one again.
                let version = try Int.fetchOne(db, sql: "PRAGMA data_version")
                if version != dataVersion { startedEmpty = startedEmpty && dataVersion == nil }
                if !indexesChecked && !batch.isEmpty {
                    indexesChecked = true
                    if final { try StoreLoader.ensureIndexes(db) } else { try dropIndexesIfEmpty(db) }
                }
                let statements = try Statements(db)
                var touched: [String: Int] = [:]
                for record in batch {
                    switch try store(record, statements, db) {
                    case .added: counts.added += 1
                    case .updated: counts.updated += 1
                    case .unchanged: counts.unchanged += 1
                    }
                    if record.kind == .response || record.kind == .grade {
                        touched[record.runID, default: 0] += 1
                    }
                }
                if final && droppedIndexes {
                    try db.execute(sql: StoreLoader.secondaryIndexes.map(\.create).joined(separator: ";\n"))
                    droppedIndexes = false
                }
                try refreshRuns(touched, final: final, skip: bulk, db: db)
                if final && metricsPending {
                    try db.execute(sql: StoreSchema.refreshModelPerformance)
                    metricsPending = false
                }
                dataVersion = version
                return .commit
            }
        }
        return counts
    }

    /// The indexes a load keeps up to date only when the table had rows before it: into an
    /// empty table, making them once at the end costs a fraction of updating them row by row.
    static let secondaryIndexes: [(name: String, create: String)] = [
        ("benchmark_results_run", "CREATE INDEX IF NOT EXISTS benchmark_results_run ON benchmark_results (run_id, model)"),
        ("benchmark_results_question", "CREATE INDEX IF NOT EXISTS benchmark_results_question ON benchmark_results (question_id)"),
    ]

    /// Drops the secondary indexes when `benchmark_results` is empty (in the load's first
    /// transaction, so another process sees either the empty table with them or this load's
    /// rows without them until the load ends). A load that dies part way leaves them out;
    /// the next load or open for writing makes them again (`ensureIndexes`).
    private func dropIndexesIfEmpty(_ db: Database) throws {
        let empty = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM benchmark_results)") ?? false
        guard empty else { try StoreLoader.ensureIndexes(db); return }
        startedEmpty = true
        for index in StoreLoader.secondaryIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
        droppedIndexes = true
    }

    /// Makes any secondary index a load that died part way left out.
    static func ensureIndexes(_ db: Database) throws {
        try db.execute(sql: secondaryIndexes.map(\.create).joined(separator: ";\n"))
    }

    /// Settings of the loading connection. Keys are random, so every batch touches pages all
    /// over the indexes: a large page cache keeps them in memory instead of spilling and
    /// re-reading, and rarer checkpoints write each page to the database file once per many
    /// batches rather than once per batch.
    static func tune(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
        try db.execute(sql: "PRAGMA wal_autocheckpoint = \(checkpointPages)")
        try db.execute(sql: "PRAGMA temp_store = MEMORY")
    }

    static let cacheKiB = Int(ProcessInfo.processInfo.environment["JB_STORE_CACHE_KIB"] ?? "") ?? 131_072
    static let checkpointPages = Int(ProcessInfo.processInfo.environment["JB_STORE_CHECKPOINT"] ?? "") ?? 16_384

    private func refreshRuns(_ touched: [String: Int], final: Bool, skip: Bool, db: Database) throws {
        for (run, n) in touched {
            var r = runRows[run] ?? (0, 0)
            r.since += n
            runRows[run] = r
        }
        if skip && !final { return }
        let now = Timestamp.format(Date())
        for (run, r) in runRows where r.since > 0 && (final || r.since >= r.atRefresh) {
            try RunSummary.refresh(db, runID: run, environment: environment, now: now)
            runRows[run] = (r.atRefresh + r.since, 0)
        }
    }

    enum Outcome { case added, updated, unchanged }

    /// A record made ready for the database on the reading thread: its kind, natural key,
    /// canonical texts and column values, so the writer thread only binds and steps.
    struct PreparedRecord: @unchecked Sendable {
        var kind: RecordKind
        /// The question's columns (`questionColumns` + source + record), when it has an id.
        var question: [SQLValue]?
        var questionSource = "question"
        /// A response's or grade's columns (`resultColumns`), or a metric's (`metricColumns`).
        var values: [SQLValue] = []
        var runID = ""

        init(_ kind: RecordKind, _ record: JSONObject) {
            self.kind = kind
            switch kind {
            case .question:
                question = PreparedRecord.question(record)
            case .response:
                question = PreparedRecord.question(record.filter { RecordKind.questionFields.contains($0.key) })
                questionSource = "response"
                values = PreparedRecord.result(response: record, grade: nil)
                runID = record[Response.Key.runID]?.stringValue ?? ""
            case .grade:
                var response = record
                let grade = response.removeValue(forKey: Grade.recordKey)?.objectValue
                question = PreparedRecord.question(record.filter { RecordKind.questionFields.contains($0.key) })
                questionSource = "response"
                values = PreparedRecord.result(response: response, grade: grade)
                runID = response[Response.Key.runID]?.stringValue ?? ""
            case .metric:
                values = PreparedRecord.metric(record)
            }
        }

        static func question(_ q: JSONObject) -> [SQLValue]? {
            // A question without an id was refused when read; a response without one has no question.
            guard let id = RecordKind.questionID(q) else { return nil }
            var values: [SQLValue] = [.text(id)]
            values.reserveCapacity(questionColumns.count + 2)
            for c in StoreLoader.questionColumns.dropFirst() { values.append(SQLValue(q[c])) }
            values.append(.null)  // the source, set when stored
            values.append(.text(JSONSerializer.string(.object(q))))
            return values
        }

        static func result(response: JSONObject, grade: JSONObject?) -> [SQLValue] {
            /// A value as text: a string as it is, anything else as its JSON.
            func text(_ j: JSON?) -> String? { j.map { $0.stringValue ?? JSONSerializer.string($0) } }
            let tokens = response[Response.Key.tokens]?.objectValue
            let error = response[Response.Key.error]
            var v: [SQLValue] = []
            v.reserveCapacity(StoreColumns.results.count)
            for c in StoreColumns.results {
                switch c.source {
                case .key: v.append(.text(RecordKind.responseKey(response)))
                case .grade(.mode): v.append(.text(text(grade?[Grade.Key.mode]) ?? ""))
                case .response(.runID): v.append(.text(response[Response.Key.runID]?.stringValue ?? ""))
                case .response(.model): v.append(.text(text(response[Response.Key.model]) ?? ""))
                case .response(.params): v.append(SQLValue(json: response[Response.Key.params]))
                case .response(let k): v.append(SQLValue(response[k]))
                case .question(let k): v.append(SQLValue(response[k]))
                case .tokens(let k): v.append(SQLValue(tokens?[k]))
                case .error(let k):
                    switch error {
                    case nil, .null?: v.append(.null)
                    case .object(let e)?: v.append(k == .message ? .text(text(e[k]) ?? "") : SQLValue(e[k]))
                    case let other?: v.append(k == .message ? .text(text(other) ?? "") : .null)
                    }
                case .grade(.judge): v.append(SQLValue(json: grade?[Grade.Key.judge]))
                case .grade(let k): v.append(SQLValue(grade?[k]))
                case .record: v.append(.text(JSONSerializer.string(.object(response))))
                case .gradeRecord: v.append(grade.map { .text(JSONSerializer.string(.object($0))) } ?? .null)
                case .other: v.append(.null)
                }
            }
            return v
        }

        static func metric(_ m: JSONObject) -> [SQLValue] {
            var v: [SQLValue] = [.text(RecordKind.metricKey(m))]
            for c in StoreLoader.metricColumns.dropFirst().dropLast() { v.append(SQLValue(m[c])) }
            v.append(.text(JSONSerializer.string(.object(m))))
            return v
        }
    }

    /// The statements of a transaction, prepared once for the whole batch.
    struct Statements {
        let insertQuestion, updateQuestion, upgradeResult, insertGrade, insertResponse, updateResult,
            insertMetric, updateMetric: RawStatement

        init(_ db: Database) throws {
            insertQuestion = try RawStatement(db, SQL.insertQuestion)
            updateQuestion = try RawStatement(db, SQL.updateQuestion)
            upgradeResult = try RawStatement(db, SQL.upgradeResult)
            insertGrade = try RawStatement(db, SQL.insertGrade)
            insertResponse = try RawStatement(db, SQL.insertResponse)
            updateResult = try RawStatement(db, SQL.updateResult)
            insertMetric = try RawStatement(db, SQL.insertMetric)
            updateMetric = try RawStatement(db, SQL.updateMetric)
        }
    }

    private func store(_ record: PreparedRecord, _ st: Statements, _ db: Database) throws -> Outcome {
        switch record.kind {
        case .question:
            return try storeQuestion(record.question, source: record.questionSource, st)
        case .response, .grade:
            _ = try storeQuestion(record.question, source: record.questionSource, st)
            return try storeResult(record.values, graded: record.kind == .grade, st)
        case .metric:
            return try storeMetric(record.values, st)
        }
    }

    /// The question's fields (`StoreColumns.questions` without `source` and `record`).
    static let questionColumns = StoreColumns.questions.dropLast(2).map(\.name)

    private func storeQuestion(_ prepared: [SQLValue]?, source: String, _ st: Statements) throws -> Outcome {
        guard var values = prepared else { return .unchanged }
        values[values.count - 2] = .text(source)
        let id = values[0], text = values[values.count - 1]
        if try st.insertQuestion.run(values) > 0 { return .added }
        guard source == "question" else { return .unchanged }
        return try st.updateQuestion.run(values.dropFirst(), id, text) > 0 ? .updated : .unchanged
    }

    static let resultColumns = StoreColumns.results.map(\.name)

    private func storeResult(_ v: [SQLValue], graded: Bool, _ st: Statements) throws -> Outcome {
        let key = v[0], mode = v[1], text = v[v.count - 2], gradeText = v[v.count - 1]
        if graded {
            // A response stored ungraded becomes this grade, keeping its place in export order.
            if !startedEmpty || ungradedKeys.contains(key.text) {
                if try st.upgradeResult.run(v.dropFirst(), key) > 0 { return .added }
            }
            if try st.insertGrade.run(v) > 0 { return .added }
        } else {
            // A response already graded keeps its grades: the response adds nothing to them.
            if try st.insertResponse.run(v[...], key) > 0 {
                if startedEmpty { ungradedKeys.insert(key.text) }
                return .added
            }
        }
        return try st.updateResult.run(v.dropFirst(), key, mode, text, gradeText) > 0 ? .updated : .unchanged
    }

    static let metricColumns = StoreColumns.metrics.map(\.name)

    private func storeMetric(_ v: [SQLValue], _ st: Statements) throws -> Outcome {
        if try st.insertMetric.run(v) > 0 { return .added }
        return try st.updateMetric.run(v.dropFirst(), v[0], v[v.count - 1]) > 0 ? .updated : .unchanged
    }

    /// The statements of a load, built once.
    enum SQL {
        static let insertQuestion = insertSQL("questions", questionColumns + ["source", "record"])
        static let updateQuestion = updateSQL("questions", questionColumns.dropFirst() + ["source", "record"],
                                              where: "id = ? AND (source <> 'question' OR record IS NOT ?)")
        static let upgradeResult = updateSQL("benchmark_results", resultColumns.dropFirst(),
                                             where: "key = ? AND grade_mode = ''")
        static let insertGrade = insertSQL("benchmark_results", resultColumns)
        static let insertResponse = """
            INSERT INTO benchmark_results (\(resultColumns.joined(separator: ", ")))
            SELECT \(Array(repeating: "?", count: resultColumns.count).joined(separator: ", "))
            WHERE NOT EXISTS (SELECT 1 FROM benchmark_results WHERE key = ? AND grade_mode <> '')
            ON CONFLICT DO NOTHING
            """
        static let updateResult = updateSQL("benchmark_results", resultColumns.dropFirst(),
                                            where: "key = ? AND grade_mode = ? AND (record IS NOT ? OR grade IS NOT ?)")
        static let insertMetric = insertSQL("model_performance", metricColumns)
        static let updateMetric = updateSQL("model_performance", metricColumns.dropFirst(),
                                            where: "metric_key = ? AND record IS NOT ?")
    }

    static func insertSQL(_ table: String, _ columns: [String]) -> String {
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return "INSERT INTO \(table) (\(names)) VALUES (\(marks)) ON CONFLICT DO NOTHING"
    }

    static func updateSQL(_ table: String, _ columns: some Sequence<String>, where condition: String) -> String {
        let sets = columns.map { "\"\($0)\" = ?" }.joined(separator: ", ")
        return "UPDATE \(table) SET \(sets) WHERE \(condition)"
    }

}

/// A value to bind to a statement parameter.
enum SQLValue {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    /// A JSON value as an SQL value: numbers, text and booleans (0/1) as themselves, arrays,
    /// objects and numbers no double holds exactly as their JSON text.
    init(_ value: JSON?) {
        switch value {
        case nil, .null?: self = .null
        case .bool(let b)?: self = .int(b ? 1 : 0)
        case .int(let i)?: self = .int(i)
        case .double(let d)?: self = .double(d)
        case .string(let s)?: self = .text(s)
        case let other?: self = .text(JSONSerializer.string(other))
        }
    }

    /// The text, for a `.text` value (else empty).
    var text: String {
        if case .text(let s) = self { return s }
        return ""
    }

    /// A value kept as JSON text whatever its type (`params`, `judge`), so SQLite's JSON
    /// functions can read it.
    init(json value: JSON?) {
        switch value {
        case nil, .null?: self = .null
        case let v?: self = .text(JSONSerializer.string(v))
        }
    }
}

/// A prepared statement driven through SQLite's C API: binding a record's values directly
/// costs a fraction of building GRDB arguments for each row.
struct RawStatement {
    let handle: OpaquePointer
    let connection: OpaquePointer
    let sql: String

    init(_ db: Database, _ sql: String) throws {
        handle = try db.cachedStatement(sql: sql).sqliteStatement
        connection = db.sqliteConnection!
        self.sql = sql
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    @inline(__always)
    private func bind(_ index: Int32, _ value: SQLValue) {
        switch value {
        case .null: sqlite3_bind_null(handle, index)
        case .int(let i): sqlite3_bind_int64(handle, index, i)
        case .double(let d): sqlite3_bind_double(handle, index, d)
        case .text(var s):
            s.withUTF8 { b in
                b.withMemoryRebound(to: CChar.self) { c in
                    _ = sqlite3_bind_text(handle, index, c.baseAddress ?? RawStatement.empty, Int32(c.count), RawStatement.transient)
                }
            }
        }
    }

    nonisolated(unsafe) private static let empty = UnsafeRawPointer(("" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)

    /// Binds `values` then `more` to the parameters in order, runs the statement and returns
    /// the number of rows it changed.
    func run(_ values: some Collection<SQLValue>, _ more: SQLValue...) throws -> Int {
        sqlite3_reset(handle)
        var i: Int32 = 1
        for v in values { bind(i, v); i += 1 }
        for v in more { bind(i, v); i += 1 }
        let rc = sqlite3_step(handle)
        if rc != SQLITE_DONE && rc != SQLITE_ROW {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: sql)
        }
        sqlite3_reset(handle)
        return Int(sqlite3_changes(connection))
    }
}
