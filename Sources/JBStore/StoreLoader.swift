import Dispatch
import Foundation
import GRDB
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
    public var batchSize = 10_000
    /// Called after each committed batch with the figures so far (progress on a terminal).
    public var progress: ((LoadReport) -> Void)?
    /// A non-empty batch older than this (seconds) is committed when the next record arrives,
    /// so a slow upstream stage does not keep records in memory for long.
    public var flushInterval: Double = 2
    /// Raised (from any thread, a signal handler say) to stop the load: a regular file stops
    /// at the next record; a pipe is read on to its end, so the last records an interrupted
    /// upstream stage still writes are stored too. What was read is committed either way.
    public let stop = StopFlag()

    private let path: String
    private let busyTimeout: Double
    private var database: StoreDatabase?
    private var report = LoadReport()
    private var pending: [(kind: RecordKind, record: JSONObject)] = []
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
    public init(path: String, busyTimeout: Double = 5) {
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
            database = try StoreDatabase(path: path, create: true, busyTimeout: busyTimeout)
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
                        if !StoreLoader.isBlank(bytes) { readAfterFailure += 1 }
                        return .success(nil)
                    }
                    return StoreLoader.parse(bytes, reader: reader)
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
                    pending.append((kind, record))
                    if pending.count >= batchSize || overdue() {
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
            default: throw JBError.io(path: path, reason: "\(e.message); \(note)")
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

    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in bytes where !(c == 0x20 || c == 0x09 || c == 0x0D) { return false }
        return true
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

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, reader: LineReader) -> Result<JSONObject?, JBError> {
        if isBlank(bytes) { return .success(nil) }
        do {
            let value = try JSONParser.parse(bytes)
            guard case .object(let o) = value else {
                return .failure(.badRecord(source: reader.name, line: reader.lineNumber,
                                           message: "expected a JSON object, found \(value.typeName)"))
            }
            return .success(o)
        } catch {
            return .failure(.badRecord(source: reader.name, line: reader.lineNumber,
                                       message: "not valid JSON: \(error.message) at column \(error.column)"))
        }
    }

    /// Commits the pending batch; on failure returns the error to report, saying how much is stored.
    private func commitPending(final: Bool) -> JBError? {
        lastFlush = DispatchTime.now().uptimeNanoseconds
        guard let database, !pending.isEmpty || (final && runRows.values.contains { $0.since > 0 }) else { return nil }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        var counts = LoadReport()
        do {
            try database.pool.writeWithoutTransaction { db in
                if !tuned {
                    try StoreLoader.tune(db)
                    tuned = true
                }
                try db.inTransaction(.immediate) {
                    counts = LoadReport()
                    if environment == nil { environment = try StoreDatabase.environment(db: db) }
                    var touched: [String: Int] = [:]
                    for (kind, record) in batch {
                        switch try store(kind, record, db) {
                        case .added: counts.added += 1
                        case .updated: counts.updated += 1
                        case .unchanged: counts.unchanged += 1
                        }
                        if kind == .response || kind == .grade {
                            touched[record["run_id"]?.stringValue ?? "", default: 0] += 1
                        }
                    }
                    try refreshRuns(touched, final: final, db: db)
                    return .commit
                }
            }
        } catch {
            return StoreDatabase.describe(error, path: path, opening: false, create: true)
        }
        report.added += counts.added
        report.updated += counts.updated
        report.unchanged += counts.unchanged
        progress?(report)
        return nil
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

    private func refreshRuns(_ touched: [String: Int], final: Bool, db: Database) throws {
        for (run, n) in touched {
            var r = runRows[run] ?? (0, 0)
            r.since += n
            runRows[run] = r
        }
        let now = ISO8601DateFormatter().string(from: Date())
        for (run, r) in runRows where r.since > 0 && (final || r.since >= r.atRefresh) {
            try RunSummary.refresh(db, runID: run, environment: environment, now: now)
            runRows[run] = (r.atRefresh + r.since, 0)
        }
    }

    enum Outcome { case added, updated, unchanged }

    private func store(_ kind: RecordKind, _ record: JSONObject, _ db: Database) throws -> Outcome {
        switch kind {
        case .question:
            return try storeQuestion(record, source: "question", db)
        case .response:
            _ = try storeQuestion(record.filter { RecordKind.questionFields.contains($0.key) }, source: "response", db)
            return try storeResult(response: record, grade: nil, db)
        case .grade:
            var response = record
            let grade = response.removeValue(forKey: "grade")?.objectValue
            _ = try storeQuestion(record.filter { RecordKind.questionFields.contains($0.key) }, source: "response", db)
            return try storeResult(response: response, grade: grade, db)
        case .metric:
            return try storeMetric(record, db)
        }
    }

    static let questionColumns = ["id", "show_number", "air_date", "round", "category", "value", "daily_double",
                                  "wager", "clue", "answer", "media", "difficulty", "comments", "notes"]

    private func storeQuestion(_ q: JSONObject, source: String, _ db: Database) throws -> Outcome {
        // A question without an id was refused when read; a response without one has no question.
        guard let id = RecordKind.questionID(q) else { return .unchanged }
        let text = JSONSerializer.string(.object(q))
        var values: [DatabaseValue] = [id.databaseValue]
        for c in StoreLoader.questionColumns.dropFirst() { values.append(StoreLoader.sqlValue(q[c])) }
        values.append(source.databaseValue)
        values.append(text.databaseValue)
        let insert = try db.cachedStatement(sql: SQL.insertQuestion)
        insert.setUncheckedArguments(StatementArguments(values))
        try insert.execute()
        if db.changesCount > 0 { return .added }
        guard source == "question" else { return .unchanged }
        let update = try db.cachedStatement(sql: SQL.updateQuestion)
        update.setUncheckedArguments(StatementArguments(Array(values.dropFirst()) + [id.databaseValue, text.databaseValue]))
        try update.execute()
        return db.changesCount > 0 ? .updated : .unchanged
    }

    static let resultColumns = [
        "key", "grade_mode", "run_id", "question_id", "model", "epoch", "template", "template_hash", "params",
        "provider", "upstream_provider", "response_text", "finish_reason", "latency_ms", "ttft_ms",
        "prompt_tokens", "completion_tokens", "cost_usd", "cost_source", "attempts", "cached",
        "error_status", "error_code", "error_message", "created_at", "correct", "answered", "method", "score",
        "extracted", "question_form", "confidence", "grader", "judge", "record", "grade",
    ]

    private func storeResult(response: JSONObject, grade: JSONObject?, _ db: Database) throws -> Outcome {
        let key = RecordKind.responseKey(response)
        let mode = grade?["mode"].map { $0.stringValue ?? JSONSerializer.string($0) } ?? ""
        let text = JSONSerializer.string(.object(response))
        let gradeText = grade.map { JSONSerializer.string(.object($0)) }
        var v: [DatabaseValue] = [key.databaseValue, mode.databaseValue,
                                  (response["run_id"]?.stringValue ?? "").databaseValue,
                                  StoreLoader.sqlValue(response["id"]),
                                  (response["model"].map { $0.stringValue ?? JSONSerializer.string($0) } ?? "").databaseValue]
        for c in ["epoch", "template", "template_hash"] { v.append(StoreLoader.sqlValue(response[c])) }
        v.append(StoreLoader.jsonValue(response["params"]))
        for c in ["provider", "upstream_provider", "response_text", "finish_reason", "latency_ms", "ttft_ms"] {
            v.append(StoreLoader.sqlValue(response[c]))
        }
        let tokens = response["tokens"]?.objectValue
        v.append(StoreLoader.sqlValue(tokens?["prompt"]))
        v.append(StoreLoader.sqlValue(tokens?["completion"]))
        for c in ["cost_usd", "cost_source", "attempts", "cached"] { v.append(StoreLoader.sqlValue(response[c])) }
        switch response["error"] {
        case nil, .null?:
            v += [.null, .null, .null]
        case .object(let e)?:
            v += [StoreLoader.sqlValue(e["status"]), StoreLoader.sqlValue(e["code"]),
                  (e["message"].map { $0.stringValue ?? JSONSerializer.string($0) } ?? "").databaseValue]
        case let other?:
            v += [.null, .null, (other.stringValue ?? JSONSerializer.string(other)).databaseValue]
        }
        v.append(StoreLoader.sqlValue(response["created_at"]))
        for c in ["correct", "answered", "method", "score", "extracted", "question_form", "confidence", "grader"] {
            v.append(StoreLoader.sqlValue(grade?[c]))
        }
        v.append(StoreLoader.jsonValue(grade?["judge"]))
        v.append(text.databaseValue)
        v.append(gradeText?.databaseValue ?? .null)

        if grade != nil {
            // A response stored ungraded becomes this grade, keeping its place in export order.
            let upgrade = try db.cachedStatement(sql: SQL.upgradeResult)
            upgrade.setUncheckedArguments(StatementArguments(Array(v.dropFirst()) + [key.databaseValue]))
            try upgrade.execute()
            if db.changesCount > 0 { return .added }
            let insert = try db.cachedStatement(sql: SQL.insertGrade)
            insert.setUncheckedArguments(StatementArguments(v))
            try insert.execute()
            if db.changesCount > 0 { return .added }
        } else {
            // A response already graded keeps its grades: the response adds nothing to them.
            let insert = try db.cachedStatement(sql: SQL.insertResponse)
            insert.setUncheckedArguments(StatementArguments(v + [key.databaseValue]))
            try insert.execute()
            if db.changesCount > 0 { return .added }
        }
        let update = try db.cachedStatement(sql: SQL.updateResult)
        update.setUncheckedArguments(StatementArguments(
            Array(v.dropFirst()) + [key.databaseValue, mode.databaseValue, text.databaseValue,
                                    gradeText?.databaseValue ?? .null]))
        try update.execute()
        return db.changesCount > 0 ? .updated : .unchanged
    }

    static let metricColumns = ["metric_key", "kind", "model", "group", "run_id", "n", "answered", "correct",
                                "accuracy", "ci_low", "ci_high", "confidence", "accuracy_answered", "errors",
                                "refusals", "record"]

    private func storeMetric(_ m: JSONObject, _ db: Database) throws -> Outcome {
        let key = RecordKind.metricKey(m)
        let text = JSONSerializer.string(.object(m))
        var v: [DatabaseValue] = [key.databaseValue]
        for c in StoreLoader.metricColumns.dropFirst().dropLast() { v.append(StoreLoader.sqlValue(m[c])) }
        v.append(text.databaseValue)
        let insert = try db.cachedStatement(sql: SQL.insertMetric)
        insert.setUncheckedArguments(StatementArguments(v))
        try insert.execute()
        if db.changesCount > 0 { return .added }
        let update = try db.cachedStatement(sql: SQL.updateMetric)
        update.setUncheckedArguments(StatementArguments(Array(v.dropFirst()) + [key.databaseValue, text.databaseValue]))
        try update.execute()
        return db.changesCount > 0 ? .updated : .unchanged
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

    /// A JSON value as an SQL value: numbers, text and booleans (0/1) as themselves, arrays
    /// and objects as their JSON text.
    static func sqlValue(_ value: JSON?) -> DatabaseValue {
        switch value {
        case nil, .null?: return .null
        case .bool(let b)?: return b.databaseValue
        case .int(let i)?: return i.databaseValue
        case .double(let d)?: return d.databaseValue
        case .string(let s)?: return s.databaseValue
        case let other?: return JSONSerializer.string(other).databaseValue
        }
    }

    /// A value kept as JSON text whatever its type (`params`, `judge`), so SQLite's JSON
    /// functions can read it.
    static func jsonValue(_ value: JSON?) -> DatabaseValue {
        switch value {
        case nil, .null?: return .null
        case let v?: return JSONSerializer.string(v).databaseValue
        }
    }
}
