import Foundation

/// A private PostgreSQL server for the tests: one cluster per test process, made with
/// `initdb` in a temporary folder and listening on a Unix socket there (and on 127.0.0.1,
/// with a password, for the tests of credentials). PostgreSQL refuses to run as root, so as
/// root the cluster belongs to the `postgres` user Debian's package creates.
///
/// `make test` installs Debian's `postgresql` when it is missing (scripts/deps.sh --test);
/// where the server still cannot start, `PostgresServer.unavailable` says why and the tests
/// that need it are skipped with that message.
public final class PostgresServer: @unchecked Sendable {
    /// The folder holding the cluster and its socket.
    public let directory: String
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The role with a password, for tests that go through TCP.
    public static let passwordUser = "jb_pw"
    /// Its password (which no output may ever show).
    public static let password = "s3cret-Pa55word-9f2c"
    private let owner: String?
    private let binDirectory: String
    private var counter = 0
    private let lock = NSLock()

    /// The shared server, started on first use; nil when it cannot start (see `unavailable`).
    public static let shared: PostgresServer? = {
        do {
            return try PostgresServer()
        } catch {
            startError = "\(error)"
            return nil
        }
    }()
    nonisolated(unsafe) private static var startError = ""

    /// Why there is no server, for skipped tests; nil when there is one.
    public static var unavailable: String? {
        if shared != nil { return nil }
        return "PostgreSQL tests skipped: \(startError)"
    }

    /// A URL over the Unix socket for a new, empty database of its own (as the superuser).
    public func newDatabase(_ prefix: String = "jb") throws -> String {
        let name: String = lock.withLock {
            counter += 1
            return "\(prefix)_\(getpid())_\(counter)"
        }
        try psql("postgres", "CREATE DATABASE \(name) OWNER \(PostgresServer.passwordUser)")
        return socketURL(database: name)
    }

    /// The Unix-socket URL of `database`.
    public func socketURL(database: String) -> String {
        "postgresql:///\(database)?host=\(directory)&port=\(port)&user=\(owner ?? NSUserName())"
    }

    /// The TCP URL of `database` with the password inline (what must never be shown).
    public func passwordURL(database: String) -> String {
        "postgres://\(PostgresServer.passwordUser):\(PostgresServer.password)@127.0.0.1:\(port)/\(database)"
    }

    /// Runs SQL with psql against `database` and returns its unaligned, tuples-only output.
    @discardableResult
    public func psql(_ database: String, _ sql: String) throws -> String {
        let (status, out, err) = try run("\(binDirectory)/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                                                                   "-h", directory, "-p", String(port),
                                                                   "-U", owner ?? NSUserName(), "-d", database, "-c", sql])
        guard status == 0 else { throw Failure("psql: \(err)") }
        return out
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { self.description = d }
    }

    private init() throws {
        let fm = FileManager.default
        guard let bin = PostgresServer.findBinaries() else {
            throw Failure("no initdb found (install Debian's postgresql package: `make test` does when run as root)")
        }
        binDirectory = bin
        let root = getuid() == 0
        owner = root ? "postgres" : nil
        if root && getpwnam("postgres") == nil {
            throw Failure("running as root and there is no `postgres` user to run the server as")
        }
        directory = NSTemporaryDirectory() + "jb-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if root, let pw = getpwnam("postgres") {
            chown(directory, pw.pointee.pw_uid, pw.pointee.pw_gid)
        }
        let data = directory + "/data"
        let user = owner
        func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String, String) {
            try PostgresServer.runProcess(tool, arguments, as: user)
        }
        var (status, _, err) = try run("\(bin)/initdb", ["-D", data, "-A", "trust", "-U", owner ?? NSUserName(),
                                                          "-E", "UTF8", "--locale=C", "--no-sync"])
        guard status == 0 else { throw Failure("initdb failed: \(err)") }
        // Password authentication over TCP, trust over the private socket.
        let hba = "local all all trust\nhost all \(PostgresServer.passwordUser) 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n"
        try hba.write(toFile: data + "/pg_hba.conf", atomically: false, encoding: .utf8)
        var started = false
        var chosen = 0
        for _ in 0..<10 where !started {
            chosen = Int.random(in: 20_000...60_000)
            let options = "-k \(directory) -p \(chosen) -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB"
            // The server outlives pg_ctl: it must not inherit this process's descriptors
            // (swift test's event pipe among them), or whoever reads them waits for ever.
            let closeInherited = #"for fd in /proc/self/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-" 2>/dev/null; done; exec "$@""#
            (status, _, err) = try run("/bin/bash", ["-c", closeInherited, "bash", "\(bin)/pg_ctl", "-D", data,
                                                     "-l", directory + "/server.log", "-w", "-t", "60", "-o", options, "start"])
            started = status == 0
        }
        guard started else {
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw Failure("the server did not start: \(err) \(log.suffix(400))")
        }
        port = chosen
        let stopCommand = "\(bin)/pg_ctl"
        let dir = directory
        PostgresServer.atExit = {
            _ = try? PostgresServer.runProcess(stopCommand, ["-D", dir + "/data", "-m", "immediate", "stop"], as: user)
            try? FileManager.default.removeItem(atPath: dir)
        }
        atexit { PostgresServer.atExit?() }
        try psql("postgres", "CREATE ROLE \(PostgresServer.passwordUser) LOGIN PASSWORD '\(PostgresServer.password)'")
    }

    nonisolated(unsafe) private static var atExit: (() -> Void)?

    private func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String, String) {
        let result = try PostgresServer.runProcess(tool, arguments, as: owner)
        return result
    }

    /// Runs a PostgreSQL program, as `user` (via runuser) when given.
    static func runProcess(_ tool: String, _ arguments: [String], as user: String?) throws -> (Int32, String, String) {
        let p = Process()
        if let user {
            p.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            p.arguments = ["-u", user, "--", tool] + arguments
        } else {
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C"
        p.environment = env
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        // Files, not pipes: pg_ctl's server inherits them and keeps them open, and psql's
        // output can be larger than a pipe holds.
        let base = NSTemporaryDirectory() + "jb-pg-run-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        FileManager.default.createFile(atPath: base + ".out", contents: nil)
        FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        guard let out = FileHandle(forWritingAtPath: base + ".out"), let err = FileHandle(forWritingAtPath: base + ".err") else {
            throw Failure("cannot make temporary files in \(NSTemporaryDirectory())")
        }
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        let o = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        let e = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        return (p.terminationStatus, o.trimmingCharacters(in: .whitespacesAndNewlines), e.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Debian keeps the server programs in /usr/lib/postgresql/VERSION/bin.
    public static func findBinaries() -> String? {
        if let env = ProcessInfo.processInfo.environment["JB_PG_BIN"], !env.isEmpty { return env }
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for v in versions where FileManager.default.isExecutableFile(atPath: "\(base)/\(v)/bin/initdb") {
            return "\(base)/\(v)/bin"
        }
        return nil
    }
}

/// The seed schema's columns, queried the same way in both engines, and the rows compared
/// after normalising what legitimately differs in spelling (PostgreSQL's `t`/`f` for
/// SQLite's 1/0, JSON whitespace and key order, number formatting).
public enum SeedQueries {
    /// One query per seed table (every column the seed names) and two aggregates a user
    /// would write; each runs unchanged on SQLite and PostgreSQL.
    public static let queries = [
        """
        SELECT id, question_text, correct_answer, category, value, difficulty_level, air_date, show_number, round
        FROM questions ORDER BY id
        """,
        """
        SELECT id, name, status, models_tested, created_at, completed_at, benchmark_mode, sample_size,
               config_snapshot, total_cost_usd, total_tokens, avg_response_time_ms
        FROM benchmark_runs ORDER BY id
        """,
        """
        SELECT id, benchmark_run_id, question_id, model_name, response_text, is_correct, confidence_score,
               response_time_ms, tokens_generated, cost_usd
        FROM benchmark_results ORDER BY id
        """,
        """
        SELECT id, benchmark_run_id, model_name, accuracy_rate, avg_response_time_ms, total_cost_usd,
               category_performance, difficulty_performance, confidence_accuracy_correlation
        FROM model_performance ORDER BY id
        """,
        """
        SELECT model_name, count(*) AS answers, sum(CASE WHEN is_correct THEN 1 ELSE 0 END) AS right_answers,
               avg(response_time_ms) AS mean_ms
        FROM benchmark_results WHERE benchmark_run_id IS NOT NULL GROUP BY model_name ORDER BY model_name
        """,
        """
        SELECT q.category, count(*) AS n FROM benchmark_results r JOIN questions q ON q.id = r.question_id
        WHERE r.is_correct GROUP BY q.category ORDER BY q.category
        """,
        "SELECT count(*) FROM benchmarks",
        "SELECT count(*) FROM benchmark_questions",
        "SELECT count(*) FROM model_responses",
        "SELECT benchmark_id, model_name, grade_mode, total_questions, correct_answers FROM model_performance_summary ORDER BY 1, 2, 3",
    ]

    /// A value in one spelling for both engines.
    public static func normalize(_ value: String?) -> String {
        guard let v = value else { return "NULL" }
        if v == "t" { return "1" }
        if v == "f" { return "0" }
        if let d = Double(v), v.first.map({ $0.isNumber || $0 == "-" }) == true {
            return String(format: "%.9g", d)
        }
        if v.hasPrefix("{") || v.hasPrefix("["), let data = v.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data),
           let again = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            return String(decoding: again, as: UTF8.self)
        }
        return v
    }

    /// Rows of `sql` from PostgreSQL through psql, values normalised.
    public static func postgres(_ url: String, _ sql: String) throws -> [[String]] {
        guard let bin = PostgresServer.findBinaries() else { throw PostgresServer.Failure("no psql") }
        let (status, out, err) = try PostgresServer.runProcess(
            "\(bin)/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\u{1F}", "-R", "\u{1E}",
                           "-P", "null=\u{1D}", "-d", url, "-c", sql], as: nil)
        guard status == 0 else { throw PostgresServer.Failure("psql: \(err)") }
        return out.split(separator: "\u{1E}", omittingEmptySubsequences: true).map { row in
            row.split(separator: "\u{1F}", omittingEmptySubsequences: false).map {
                $0 == "\u{1D}" ? normalize(nil) : normalize(String($0))
            }
        }
    }
}

extension ToolRunner {
    /// Runs a program that is not a jb tool and returns its stdout (its status ignored).
    public static func runExternal(_ path: String, _ arguments: [String]) throws -> String {
        try PostgresServer.runProcess(path, arguments, as: nil).1
    }
}
