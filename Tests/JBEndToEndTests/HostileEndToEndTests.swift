import Foundation
import JBTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The hostile cases of issue 20, each run against the built tools: no trap, no hang, no
/// silent loss, no leak, and errors that name the tool, the place and what to do. Then the
/// fuzz driver (scripts/fuzz.py): a short fixed-seed run, and the linear-time checks.
@Suite(.tools, .serialized) struct HostileEndToEndTests {
    /// A finished program run.
    struct Outcome: CustomStringConvertible {
        var command: String
        var status: Int32
        var stdout: Data
        var stderr: String
        var output: String { String(decoding: stdout, as: UTF8.self) }
        var lines: [String] { output.split(separator: "\n").map(String.init) }
        var description: String { "$ \(command)\nstatus: \(status)\n--- stdout ---\n\(output.prefix(3000))\n--- stderr ---\n\(stderr.prefix(3000))" }
    }

    static let secret = "sk-or-v1-hostiletest0123456789abcdef0123"

    static func write(_ text: String, _ name: String, in dir: URL) -> URL {
        let url = dir.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8))
        return url
    }

    static func question(_ k: Int, value: String = "200", extra: String = "") -> String {
        "{\"air_date\":\"2001-01-0\(k % 9 + 1)\",\"answer\":\"Paris\",\"category\":\"CITIES\",\"clue\":\"Clue number \(k)\","
            + "\"daily_double\":false,\"difficulty\":1,\"id\":\"\(String(format: "%016x", k + 1))\",\"media\":false,"
            + "\"round\":\"Jeopardy!\",\"show_number\":1,\"value\":\(value)\(extra)}"
    }

    static func graded(_ k: Int, value: String = "200", wager: String = "null", latency: String = "100",
                       prompt: String = "10", model: String = "m/a") -> String {
        "{\"id\":\"\(k)\",\"model\":\"\(model)\",\"round\":\"Jeopardy!\",\"value\":\(value),\"wager\":\(wager),"
            + "\"daily_double\":true,\"latency_ms\":\(latency),\"tokens\":{\"prompt\":\(prompt),\"completion\":1},"
            + "\"grade\":{\"answered\":true,\"correct\":true}}"
    }

    /// Runs `command` under /bin/sh in `dir` (so that `>&-` and pipes can be said as a user
    /// would), with the tests' fixed environment and the tools first on PATH.
    static func sh(_ command: String, in dir: URL, env extra: [String: String] = [:]) throws -> Outcome {
        var env = extra
        env["PATH"] = ToolRunner.binDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try exec("/bin/sh", ["-c", command], env: env, in: dir)
    }

    /// Runs a program (not one of the tools) with the tests' environment; stdout and stderr
    /// through files, so no pipe can fill up.
    static func exec(_ path: String, _ arguments: [String], env extra: [String: String] = [:], in dir: URL? = nil) throws -> Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.environment = ToolRunner.environment(extra)
        p.currentDirectoryURL = dir ?? ToolRunner.makeTemporaryDirectory()
        let scratch = ToolRunner.makeTemporaryDirectory()
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        p.standardOutput = outHandle
        p.standardError = errHandle
        try p.run()
        p.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        defer { try? FileManager.default.removeItem(at: scratch) }
        return Outcome(command: ([path] + arguments).joined(separator: " "), status: p.terminationStatus,
                       stdout: (try? Data(contentsOf: out)) ?? Data(),
                       stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
    }

    static func noTrap(_ r: Outcome) {
        #expect(![132, 133, 134, 139].contains(r.status), "\(r)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), "\(r)")
    }

    // MARK: secret leak

    @Test func dryRunRedactsSecretsExpandedIntoThePipeline() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        _ = Self.write("""
            name: leak
            description: "key ${OPENROUTER_API_KEY} and ${KAGGLE_KEY}"
            stages:
              - {name: sample, tool: jb-sample, args: [q.jsonl, -n, "1"]}
            report:
              formats: [markdown]
              args: {run: "{{run}}/run.json"}
            """, "p.yaml", in: dir)
        _ = Self.write(Self.question(1) + "\n", "q.jsonl", in: dir)
        let env = ["OPENROUTER_API_KEY": Self.secret, "KAGGLE_KEY": "kaggle-hostile-secret-42"]
        let r = try Self.sh("jb run p.yaml --dry-run", in: dir, env: env)
        #expect(r.status == 0, "\(r)")
        #expect(r.output.contains("[REDACTED]"), "\(r)")
        #expect(!r.output.contains(Self.secret) && !r.output.contains("kaggle-hostile-secret-42"), "\(r)")
        #expect(!r.stderr.contains(Self.secret))
        // The real run redacts the same (run.json), as it did before (its report stage fails:
        // questions are not metric records; that does not matter here).
        let run = try Self.sh("jb run p.yaml --out r", in: dir, env: env)
        #expect(!run.stderr.contains(Self.secret), "\(run)")
        let json = try String(contentsOf: dir.appendingPathComponent("r/run.json"), encoding: .utf8)
        #expect(!json.contains(Self.secret))
    }

    @Test func databasePasswordsAreRedactedFromMessages() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let r = try Self.sh("jb-sample 'postgres://jb:hostilePassw0rd@127.0.0.1/x' -n 1", in: dir,
                            env: ["DATABASE_URL": "postgres://jb:hostilePassw0rd@127.0.0.1/x"])
        #expect(r.status == 66, "\(r)")
        #expect(!r.stderr.contains("hostilePassw0rd"), "\(r)")
    }

    // MARK: hangs

    @Test func queryStopsPromptlyOnSigtermWithMillionsPending() throws {
        for sig in [SIGTERM, SIGINT] {
            let dir = ToolRunner.makeTemporaryDirectory()
            _ = Self.write((1...5).map { Self.question($0) }.joined(separator: "\n") + "\n", "q.jsonl", in: dir)
            let p = Process()
            p.executableURL = ToolRunner.binDirectory.appendingPathComponent("jb-query")
            p.arguments = ["q.jsonl", "--model", "sim/good", "--epochs", "200000", "-o", "out.jsonl", "--no-cache"]
            p.environment = ToolRunner.environment()
            p.currentDirectoryURL = dir
            p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            p.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try p.run()
            Thread.sleep(forTimeInterval: 1.5)
            kill(p.processIdentifier, sig)
            let sent = Date()
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async { p.waitUntilExit(); done.signal() }
            let exited = done.wait(timeout: .now() + 20) == .success
            if !exited { p.terminate() }
            #expect(exited, "jb-query did not stop within 20 s of signal \(sig)")
            #expect(Date().timeIntervalSince(sent) < 8, "slow stop: \(Date().timeIntervalSince(sent)) s")
            #expect(p.terminationStatus == 130)
            let data = (try? Data(contentsOf: dir.appendingPathComponent("out.jsonl"))) ?? Data()
            #expect(data.isEmpty || data.last == 0x0A, "the output ends in a whole line")
        }
    }

    @Test func yamlBombInAnyConfigFileIsRefusedQuickly() throws {
        var lines = ["query:", "  x0: &x0 {k0: lol, k1: lol, k2: lol, k3: lol, k4: lol, k5: lol, k6: lol, k7: lol, k8: lol}"]
        for d in 1..<9 { lines.append("  x\(d): &x\(d) {" + (0..<9).map { "k\($0): *x\(d - 1)" }.joined(separator: ", ") + "}") }
        let bomb = lines.joined(separator: "\n") + "\n"
        // config/default.yaml in the working directory
        let dir = ToolRunner.makeTemporaryDirectory()
        _ = Self.write(bomb, "config/default.yaml", in: dir)
        let start = Date()
        let r = try Self.sh("jb-sample --print-config", in: dir)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(r.status == 78, "\(r)")
        #expect(r.stderr.hasPrefix("jb-sample: ") && r.stderr.contains("config/default.yaml:") && r.stderr.contains("expands to more than"), "\(r)")
        // ~/.config/jb/config.yaml ($XDG_CONFIG_HOME/jb/config.yaml)
        let home = ToolRunner.makeTemporaryDirectory()
        _ = Self.write(bomb, "jb/config.yaml", in: home)
        let r2 = try Self.sh("jb-metrics --print-config", in: ToolRunner.makeTemporaryDirectory(), env: ["XDG_CONFIG_HOME": home.path])
        #expect(r2.status == 78, "\(r2)")
        #expect(r2.stderr.contains("jb/config.yaml:"), "\(r2)")
    }

    // MARK: crashes

    @Test func ingestNumbersTooLargeForAnIntegerDoNotTrap() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let lines = [Self.question(1, value: "1e300"), Self.question(2).replacingOccurrences(of: "\"show_number\":1", with: "\"show_number\":1e300"),
                     Self.question(3, value: "-1e300"), Self.question(4, value: "123456789012345678901234567890"),
                     Self.question(5)]
        _ = Self.write(lines.joined(separator: "\n") + "\n", "q.jsonl", in: dir)
        _ = Self.write("[" + lines.joined(separator: ",") + "]", "k.json", in: dir)
        for file in ["q.jsonl", "k.json"] {
            let r = try Self.sh("jb-ingest \(file) --rejects rej.jsonl", in: dir)
            Self.noTrap(r)
            #expect(r.status == 0, "\(r)")
            #expect(r.stderr.contains("5 rows read"), "\(r)")
        }
    }

    @Test func metricsRefusesOrSaturatesExtremeNumbers() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        for (record, field) in [(Self.graded(1, value: "9223372036854775807"), "value"), (Self.graded(1, wager: "-9223372036854775808"), "wager"),
                                (Self.graded(1, latency: "1e300"), "latency_ms"), (Self.graded(1, prompt: "9223372036854775807"), "tokens.prompt")] {
            _ = Self.write(Self.graded(0) + "\n" + record + "\n", "g.jsonl", in: dir)
            let r = try Self.sh("jb-metrics g.jsonl", in: dir)
            Self.noTrap(r)
            #expect(r.status == 65, "\(r)")
            #expect(r.stderr.hasPrefix("jb-metrics: g.jsonl:2: error: field \"\(field)\""), "\(r)")
        }
        // Many records at the largest accepted values: sums stay exact or saturate, never trap.
        let big = (0..<50).map { Self.graded($0, value: "1000000000000", prompt: "1000000000000") }
        _ = Self.write(big.joined(separator: "\n") + "\n", "g.jsonl", in: dir)
        let ok = try Self.sh("jb-metrics g.jsonl --final-stake 1000000000000", in: dir)
        #expect(ok.status == 0, "\(ok)")
        let stake = try Self.sh("jb-metrics g.jsonl --final-stake 9223372036854775807", in: dir)
        Self.noTrap(stake)
        #expect(stake.status == 64, "\(stake)")
        #expect(stake.stderr.hasPrefix("jb-metrics: error: --final-stake 9223372036854775807"), "\(stake)")
    }

    @Test func reportSurvivesExtremeMetricValuesInEveryFormat() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let records = [
            "{\"kind\":\"metric\",\"model\":\"m/a\",\"group\":\"all\",\"n\":-9223372036854775808,\"correct\":9223372036854775807,\"accuracy\":0.5,\"score\":1e300,\"score_max\":-1e300,\"latency_p50_ms\":1e300,\"latency_p95_ms\":1.7976931348623157e308,\"latency_p99_ms\":1e308,\"prompt_tokens\":-9223372036854775808,\"completion_tokens\":1e300,\"cost_usd\":1e300}",
            "{\"kind\":\"metric\",\"model\":\"m/b\",\"group\":\"all\",\"n\":10,\"correct\":5,\"accuracy\":0.5,\"score\":-1e300,\"latency_p50_ms\":-5,\"cost_usd\":-1e300,\"calibration_n\":9223372036854775807}",
        ]
        _ = Self.write(records.joined(separator: "\n") + "\n", "m.jsonl", in: dir)
        for format in ["terminal", "markdown", "html", "csv", "json"] {
            let r = try Self.sh("jb-report m.jsonl --format \(format)", in: dir)
            Self.noTrap(r)
            #expect(r.status == 0, "\(format): \(r)")
        }
    }

    @Test func closedOrFullStdoutIsAnErrorNotACrash() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        for tool in ["jb-ingest", "jb-sample", "jb-query", "jb-grade", "jb-metrics", "jb-report", "jb-models list", "jb-store load db", "jb"] {
            let r = try Self.sh("\(tool) \(tool == "jb" ? "run --help" : "--print-config") >&-", in: dir)
            Self.noTrap(r)
            if tool != "jb" {
                #expect(r.status == 74, "\(tool): \(r)")
                #expect(r.stderr.hasPrefix("\(tool.split(separator: " ")[0]): <stdout>: error: i/o error: bad file descriptor"), "\(tool): \(r)")
            }
            let full = try Self.sh("\(tool) \(tool == "jb" ? "run --help" : "--print-config") > /dev/full", in: dir)
            Self.noTrap(full)
            if tool != "jb" {
                #expect(full.status == 74 && full.stderr.contains("no space left on device (free some disk space"), "\(tool): \(full)")
            }
        }
        _ = Self.write("name: p\nstages:\n  - {name: s, tool: jb-sample, args: [q.jsonl, -n, \"1\"]}\n", "p.yaml", in: dir)
        _ = Self.write(Self.question(1) + "\n", "q.jsonl", in: dir)
        let dry = try Self.sh("jb run p.yaml --dry-run >&-", in: dir)
        Self.noTrap(dry)
        #expect(dry.status == 74, "\(dry)")
        // A reader that goes away after the run: the quiet end of a filter (SIGPIPE), no trap.
        let piped = try Self.sh("jb run p.yaml --out r1 | true; jb run p.yaml --out r2 >&-; echo status=$?", in: dir)
        Self.noTrap(piped)
        #expect(piped.output.contains("status=74"), "\(piped)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r1/run.json").path))
    }

    @Test func fullDiskInsideJBRunNamesTheFileOnceAndSaysResume() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        _ = Self.write((1...5).map { Self.question($0) }.joined(separator: "\n") + "\n", "q.jsonl", in: dir)
        _ = Self.write("""
            name: full
            stages:
              - {name: first, tool: jb-sample, args: [q.jsonl, -n, "3"]}
              - {name: second, tool: jb-sample, args: {n: 2}}
            """, "p.yaml", in: dir)
        // A stage file on a full device: jb writes the first (tee), the stage the second.
        for (folder, file) in [("r1", "01-first.jsonl"), ("r2", "02-second.jsonl")] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("\(folder)/\(file)").path,
                                                       withDestinationPath: "/dev/full")
            let r = try Self.sh("jb run p.yaml --out \(folder)", in: dir)
            Self.noTrap(r)
            #expect(r.status == 74, "\(r)")
            let lines = r.stderr.split(separator: "\n").filter { $0.contains("no space left on device") }
            #expect(lines.count == 1, "named once: \(r)")
            #expect(lines.first?.contains("\(folder)/\(file)") == true, "\(r)")
            #expect(lines.first?.contains("jb run --resume \(folder)") == true, "\(r)")
        }
    }

    // MARK: data changed

    @Test func queryStripsAnEarlierAnswerFromItsInput() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let old = (1...3).map { Self.question($0, extra: ",\"model\":\"old/model\",\"response_text\":\"What is Rome?\",\"grade\":{\"answered\":true,\"correct\":true}") }
        _ = Self.write(old.joined(separator: "\n") + "\n" + Self.question(4) + "\n", "g.jsonl", in: dir)
        let r = try Self.sh("jb-query g.jsonl --model sim/weak --no-cache", in: dir)
        #expect(r.status == 0, "\(r)")
        #expect(r.lines.count == 4)
        #expect(!r.output.contains("\"grade\"") && !r.output.contains("old/model"), "\(r)")
        #expect(r.stderr.contains("3 input records were responses or grades already"), "\(r)")
    }

    // MARK: unclear errors

    @Test func terminalEscapesFromDataNeverReachStderr() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let records = [
            "{\"kind\":\"metric\",\"model\":\"\\u001b]0;pwned\\u0007m\",\"group\":\"all\",\"n\":1,\"correct\":1,\"accuracy\":1}",
            "{\"kind\":\"metric\",\"model\":\"\\u001b]0;pwned\\u0007m\",\"group\":\"all\",\"n\":1,\"correct\":1,\"accuracy\":1}",
            "{\"kind\":\"\\u001b[2Jclear\",\"model\":\"x\"}",
        ]
        _ = Self.write(records.joined(separator: "\n") + "\n", "m.jsonl", in: dir)
        let r = try Self.sh("jb-report m.jsonl --format markdown", in: dir)
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("warning"), "\(r)")
        #expect(!r.stderr.contains("\u{1B}") && !r.stderr.contains("\u{07}"), "\(r)")
        // An error message quoting a file name with escapes.
        let e = try Self.sh("jb-sample \"$(printf 'x\\033]0;t\\007.jsonl')\"", in: dir)
        #expect(e.status == 66 && !e.stderr.contains("\u{1B}"), "\(e)")
    }

    @Test func badFlagValuesNameTheToolAndTheFlag() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let cases: [(String, String)] = [
            ("jb-query --model sim/good --concurrency -1", "jb-query: error: --concurrency -1: a negative number is not accepted here"),
            ("jb-query --model sim/good --temperature nan", "jb-query: error: --temperature nan: expected a number from 0 to 2"),
            ("jb-query --model sim/good --timeout 1e300", "jb-query: error: --timeout 1e+300: expected seconds"),
            ("jb-sample --from 2020-13-45 -n 1", "jb-sample: error: --from \"2020-13-45\": month 13 does not exist"),
            ("jb-sample --to 2021-02-29 -n 1", "jb-sample: error: --to \"2021-02-29\": day 29 does not exist"),
            ("jb-report --width -3", "jb-report: error: --width -3: a negative number is not accepted here"),
            ("jb-metrics --final-stake abc", "jb-metrics: error: The value 'abc' is invalid for '--final-stake"),
        ]
        for (command, prefix) in cases {
            let r = try Self.sh(command + " < /dev/null", in: dir)
            #expect(r.status == 64, "\(command): \(r)")
            #expect(r.stderr.hasPrefix(prefix), "\(command): \(r)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r)")
        }
    }

    @Test func validateNamesDirectoriesAndNULBytes() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let r = try Self.sh("jb validate .", in: dir)
        #expect(r.status == 66, "\(r)")
        #expect(r.stderr == "jb: .: error: cannot open: is a directory (give a YAML file)\n", "\(r)")
        _ = Self.write("name: p\nstages:\n  - {name: s, tool: jb-sample}\n", "p.yaml", in: dir)
        var data = try Data(contentsOf: dir.appendingPathComponent("p.yaml"))
        data.insert(0, at: 12)
        try data.write(to: dir.appendingPathComponent("p.yaml"))
        let nul = try Self.sh("jb validate p.yaml", in: dir)
        #expect(nul.status == 78, "\(nul)")
        #expect(nul.stderr.hasPrefix("jb: p.yaml:2:5: error: a NUL byte"), "\(nul)")
        _ = Self.write("name: p\n", "bad.yaml", in: dir)
        try (Data("name: p\nstages: ".utf8) + Data([0xFF, 0xFE]) + Data("\n".utf8)).write(to: dir.appendingPathComponent("bad.yaml"))
        let utf = try Self.sh("jb validate bad.yaml", in: dir)
        #expect(utf.status == 78 && utf.stderr.hasPrefix("jb: bad.yaml:2:9: error: not valid UTF-8"), "\(utf)")
    }

    // MARK: the fuzz driver

    static var python: Bool {
        (try? exec("/usr/bin/env", ["python3", "--version"]).status) == 0
    }

    @Test(.enabled(if: HostileEndToEndTests.python, "needs python3 to run scripts/fuzz.py"))
    func shortFixedSeedFuzzRunIsClean() throws {
        let script = ToolRunner.packageRoot.appendingPathComponent("scripts/fuzz.py").path
        let keep = ToolRunner.makeTemporaryDirectory().path
        let r = try Self.exec("/usr/bin/env", ["python3", script, "--bin", ToolRunner.binDirectory.path,
                                           "--seconds", "45", "--seed", "20", "--keep", keep] + Self.known)
        #expect(r.status == 0, "\(r)")
        #expect(r.output.contains(" passed, 0 failed"), "\(r)")
    }

    @Test(.enabled(if: HostileEndToEndTests.python, "needs python3 to run scripts/fuzz.py --linear"))
    func doublingAHostileInputAtMostAboutDoublesTheTime() throws {
        let script = ToolRunner.packageRoot.appendingPathComponent("scripts/fuzz.py").path
        let r = try Self.exec("/usr/bin/env", ["python3", script, "--bin", ToolRunner.binDirectory.path, "--linear",
                                           "--ratio", "3.2"] + Self.known)
        #expect(r.status == 0, "\(r)")
    }

    /// Checks to turn off (scripts/fuzz.py --without NAME); none: every check runs.
    static let known: [String] = []
}
