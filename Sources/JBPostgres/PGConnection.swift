import CJBPQ
import Foundation
import JBCore

/// An error from PostgreSQL or libpq: the server's message and SQLSTATE when there is one.
/// The message never carries the connection's password (see `DatabaseURL.scrub`).
public struct PGError: Error, Sendable, CustomStringConvertible {
    /// The message, first line only, without libpq's "ERROR:" prefix.
    public var message: String
    /// The five-character SQLSTATE, when the server sent one.
    public var sqlState: String?

    public var description: String { message }

    /// A deadlock or serialization failure: the transaction can simply be run again.
    public var isRetryable: Bool { sqlState == "40P01" || sqlState == "40001" }
}

/// One connection to a PostgreSQL server through libpq, PostgreSQL's own C client.
///
/// Not thread-safe: callers that share one across threads serialise their calls (the
/// response cache does, with a lock). Values travel as text in both directions, which
/// is what COPY and libpq's text format use anyway.
public final class PGConnection: @unchecked Sendable {
    private let conn: OpaquePointer
    /// The URL as given, for scrubbing messages.
    private let url: String
    /// The URL without its password, for messages.
    public let displayName: String

    /// Connects to `url` (`postgres://user@host:port/db?…`; `postgres://` alone takes
    /// everything from libpq's `PG*` variables and defaults).
    public init(url: String, applicationName: String = "jb") throws {
        self.url = url
        displayName = DatabaseURL.redacted(url)
        // libpq reads a URI as its "dbname" keyword value and takes the rest from the
        // environment; application_name shows the connection's owner in pg_stat_activity.
        let keys = ["dbname", "fallback_application_name", "connect_timeout"]
        let values = [url, applicationName, ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"] ?? "10"]
        let c: OpaquePointer? = keys.withCStrings { k in
            values.withCStrings { v in PQconnectdbParams(k, v, 1) }
        }
        guard let c else { throw PGError(message: "out of memory", sqlState: nil) }
        // Checked before `conn` is set: once every property is set, a throw runs deinit,
        // which would finish the connection a second time.
        if PQstatus(c) != CONNECTION_OK {
            let message = PGConnection.firstLine(String(cString: PQerrorMessage(c)))
            PQfinish(c)
            throw PGError(message: DatabaseURL.scrub(message, url: url), sqlState: nil)
        }
        conn = c
        // Quiet NOTICEs (CREATE … IF NOT EXISTS says "already exists, skipping").
        _ = try? execute("SET client_min_messages = warning")
    }

    deinit { PQfinish(conn) }

    /// The server's version, e.g. "15.18".
    public var serverVersion: String {
        let v = Int(PQserverVersion(conn))
        return "\(v / 10000).\(v % 10000)"
    }

    /// Runs `sql` with `parameters` ($1, $2, … as text; nil is NULL) and returns its rows.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> PGRows {
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(conn, sql)
        } else {
            result = parameters.withOptionalCStrings { values in
                PQexecParams(conn, sql, Int32(parameters.count), nil, values, nil, nil, 0)
            }
        }
        return try check(result)
    }

    /// Runs several statements (no parameters) in one round trip; returns the last's rows.
    @discardableResult
    public func script(_ sql: String) throws -> PGRows {
        try execute(sql)
    }

    /// Runs `sql` (a `COPY … FROM STDIN`, text format) and sends `data` as its input.
    public func copyIn(_ sql: String, data: [UInt8]) throws {
        let start = PQexec(conn, sql)
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try check(start)
            throw PGError(message: "COPY did not start", sqlState: nil)
        }
        PQclear(start)
        var sent = 0
        let ok: Bool = data.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return true }
            while sent < buffer.count {
                let n = min(1 << 20, buffer.count - sent)
                let r = (base + sent).withMemoryRebound(to: CChar.self, capacity: n) { PQputCopyData(conn, $0, Int32(n)) }
                if r != 1 { return false }
                sent += n
            }
            return true
        }
        let ended = ok ? PQputCopyEnd(conn, nil) : PQputCopyEnd(conn, "jb: sending failed")
        if ended != 1 { throw lastError() }
        var failure: PGError?
        while let r = PQgetResult(conn) {
            do { _ = try check(r) } catch let e as PGError { if failure == nil { failure = e } }
        }
        if let failure { throw failure }
        if !ok { throw lastError() }
    }

    /// Runs a query and hands its rows to `row` one at a time as they arrive (libpq's
    /// single-row mode), so an export of millions of rows needs no memory for them.
    public func stream(_ sql: String, _ parameters: [String?] = [], row: ([String?]) throws -> Void) throws {
        let sent: Int32 = parameters.withOptionalCStrings { values in
            PQsendQueryParams(conn, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw lastError() }
        PQsetSingleRowMode(conn)
        var failure: Error?
        while let r = PQgetResult(conn) {
            defer { PQclear(r) }
            if failure != nil { continue }
            switch PQresultStatus(r) {
            case PGRES_SINGLE_TUPLE:
                let columns = Int(PQnfields(r))
                var values: [String?] = []
                values.reserveCapacity(columns)
                for c in 0..<columns { values.append(PGRows.value(r, 0, c)) }
                do { try row(values) } catch { failure = error }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                break
            default:
                failure = error(of: r)
            }
        }
        if let failure { throw failure }
    }

    /// Runs `body` in a transaction, committing when it returns and rolling back when it
    /// throws. A deadlock or serialization failure runs it again (up to `retries` times).
    public func transaction<T>(isolation: String? = nil, retries: Int = 5, _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            try execute(isolation.map { "BEGIN ISOLATION LEVEL \($0)" } ?? "BEGIN")
            do {
                let value = try body()
                try execute("COMMIT")
                return value
            } catch let e as PGError where e.isRetryable && attempt < retries {
                _ = try? execute("ROLLBACK")
                attempt += 1
                usleep(UInt32.random(in: 5_000...50_000) * UInt32(attempt))
            } catch {
                _ = try? execute("ROLLBACK")
                throw error
            }
        }
    }

    private func check(_ result: OpaquePointer?) throws -> PGRows {
        guard let result else { throw lastError() }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PGRows(result)
        default:
            let e = error(of: result)
            PQclear(result)
            throw e
        }
    }

    private func error(of result: OpaquePointer) -> PGError {
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        var message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            ?? String(cString: PQresultErrorMessage(result))
        if message.isEmpty { message = String(cString: PQerrorMessage(conn)) }
        return PGError(message: DatabaseURL.scrub(PGConnection.firstLine(message), url: url), sqlState: state)
    }

    private func lastError() -> PGError {
        PGError(message: DatabaseURL.scrub(PGConnection.firstLine(String(cString: PQerrorMessage(conn))), url: url),
                sqlState: nil)
    }

    static func firstLine(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for prefix in ["ERROR:  ", "FATAL:  "] where t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
        return t.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? t
    }

    /// `text` as an SQL string literal.
    public static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// A query's rows, as text (nil for NULL), read whole.
public struct PGRows: Sendable {
    /// Column names.
    public let columns: [String]
    /// Every row, column values in order.
    public let rows: [[String?]]
    /// Rows the command affected (INSERT/UPDATE/DELETE), or 0.
    public let affected: Int

    init(_ result: OpaquePointer) {
        defer { PQclear(result) }
        let n = Int(PQntuples(result)), m = Int(PQnfields(result))
        columns = (0..<m).map { String(cString: PQfname(result, Int32($0))) }
        var rows: [[String?]] = []
        rows.reserveCapacity(n)
        for r in 0..<n { rows.append((0..<m).map { PGRows.value(result, r, $0) }) }
        self.rows = rows
        affected = Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    static func value(_ result: OpaquePointer, _ row: Int, _ column: Int) -> String? {
        if PQgetisnull(result, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    /// The first column of the first row.
    public var scalar: String? { rows.first?.first ?? nil }
}

extension Array where Element == String {
    /// The strings as a NULL-terminated array of C strings, for libpq's keyword/value calls.
    func withCStrings<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        pointers.append(nil)
        return pointers.withUnsafeBufferPointer { buffer in
            // Never empty: the terminating NULL is always there.
            guard let base = buffer.baseAddress else { preconditionFailure("empty C string array") }
            return body(base)
        }
    }
}

extension Array where Element == String? {
    /// The values as C strings (nil stays NULL), for libpq's parameter arrays.
    func withOptionalCStrings<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        if isEmpty { return body(nil) }
        let copies = map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
