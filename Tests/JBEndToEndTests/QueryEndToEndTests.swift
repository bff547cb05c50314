import Foundation
import JBCore
import JBTestSupport
import Testing

/// jb-query as a user runs it: interrupted with Ctrl-C, killed with -9, and resumed.
@Suite(.tools, .serialized) struct QueryEndToEndTests {
    func questions(_ n: Int) -> Data {
        var text = ""
        for i in 0..<n {
            text += JSONSerializer.string(.object([
                "id": .string(String(format: "%016x", i)), "round": "Jeopardy!", "category": "E2E", "value": 400,
                "clue": .string("End to end clue \(i) names Thing\(i)"), "answer": .string("Thing\(i)"),
                "air_date": "2010-01-01", "show_number": 1, "daily_double": false, "media": false, "difficulty": 1,
            ])) + "\n"
        }
        return Data(text.utf8)
    }

    /// Starts jb-query in the background; stdin from `input`.
    func start(_ args: [String], input: Data, directory: URL) throws -> Process {
        let p = Process()
        p.executableURL = ToolRunner.binDirectory.appendingPathComponent("jb-query")
        p.arguments = args
        p.environment = ToolRunner.environment(["OPENROUTER_API_KEY": "sk-or-v1-e2e-secret-abcdef"])
        p.currentDirectoryURL = directory
        let inFile = directory.appendingPathComponent("in.jsonl")
        try input.write(to: inFile)
        p.standardInput = try FileHandle(forReadingFrom: inFile)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: {
            let u = directory.appendingPathComponent("stderr.txt")
            _ = FileManager.default.createFile(atPath: u.path, contents: nil)
            return u
        }())
        try p.run()
        return p
    }

    func lines(_ url: URL) -> [String] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        if !text.isEmpty { #expect(text.hasSuffix("\n"), "a partial line in \(url.path)") }
        return text.split(separator: "\n").map(String.init)
    }

    func keys(_ lines: [String]) -> [String] {
        lines.compactMap { try? JSONParser.parse($0).objectValue?["key"]?.stringValue }
    }

    /// Runs blocking work (polling, waiting for a process) on a Dispatch thread, off the
    /// few threads of the shared task pool: blocking those would stall other tests, and an
    /// async poll could wake only after the tool has finished.
    func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async { c.resume(with: Result { try body() }) }
        }
    }

    /// Sends `sig` to `pid` as soon as `url` holds `n` lines (polled every 5 ms).
    func signal(_ sig: Int32, to pid: Int32, whenLines n: Int, in url: URL) async throws {
        try await offPool {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").count >= n { break }
                usleep(5_000)
            }
            kill(pid, sig)
        }
    }

    func wait(_ p: Process) async throws {
        try await offPool { p.waitUntilExit() }
    }

    func rerun(_ args: [String], stdin: Data, directory: URL) async throws -> RunResult {
        try await offPool {
            try ToolRunner.run("jb-query", args, stdin: stdin,
                               environment: ["OPENROUTER_API_KEY": "sk-or-v1-e2e-secret-abcdef"], directory: directory)
        }
    }

    func args(_ server: FakeOpenRouter, _ out: String, extra: [String] = []) -> [String] {
        ["--model", "e2e/model", "--base-url", server.baseURL, "--api", "openrouter", "--concurrency", "4",
         "-o", out, "--cache", "cache.sqlite", "--backoff", "0.01"] + extra
    }

    @Test func sigintFinishesInFlightWritesAndResumes() async throws {
        let server = try FakeOpenRouter(latencyMs: 150)
        defer { server.stop() }
        let dir = ToolRunner.makeTemporaryDirectory()
        let out = dir.appendingPathComponent("out.jsonl")
        let p = try start(args(server, out.path), input: questions(200), directory: dir)
        try await signal(SIGINT, to: p.processIdentifier, whenLines: 8, in: out)
        try await wait(p)
        #expect(p.terminationStatus == 130)
        let first = lines(out)
        // Every request sent was answered and written: nothing in flight was lost.
        #expect(first.count == server.requestCount)
        #expect(first.count < 200)
        let stderr = try String(contentsOf: dir.appendingPathComponent("stderr.txt"), encoding: .utf8)
        #expect(stderr.contains("interrupted"))
        #expect(!stderr.contains("e2e-secret"))

        let again = try await rerun(args(server, out.path, extra: ["--concurrency", "16"]), stdin: questions(200), directory: dir)
        #expect(again.status == 0, "\(again)")
        let all = lines(out)
        #expect(all.count == 200)
        #expect(Set(keys(all)).count == 200)
        #expect(server.requestCount == 200)
    }

    @Test func killMinus9LosesNothingAndAsksNothingTwiceThatWasAnswered() async throws {
        let server = try FakeOpenRouter(latencyMs: 100)
        defer { server.stop() }
        let dir = ToolRunner.makeTemporaryDirectory()
        let out = dir.appendingPathComponent("out.jsonl")
        let p = try start(args(server, out.path), input: questions(200), directory: dir)
        try await signal(SIGKILL, to: p.processIdentifier, whenLines: 10, in: out)
        try await wait(p)
        let first = lines(out)
        let sentBefore = server.requestCount
        // At most the requests in flight at the kill were lost.
        #expect(sentBefore - first.count <= 4)

        let again = try await rerun(args(server, out.path, extra: ["--concurrency", "16"]), stdin: questions(200), directory: dir)
        #expect(again.status == 0, "\(again)")
        let all = lines(out)
        #expect(all.count == 200)
        #expect(Set(keys(all)).count == 200)
        // Written answers were never asked again; only those in flight at the kill were (and
        // of those, the ones already in the cache were free).
        var perContent: [String: Int] = [:]
        for r in server.requests { perContent[r.content, default: 0] += 1 }
        #expect(perContent.count == 200)
        #expect(server.requestCount <= 200 + 4)
        #expect(server.requestCount - 200 == sentBefore - first.count - (all.filter { $0.contains("\"cached\":true") }.count))
    }

    @Test func secondSigintExitsAtOnce() throws {
        let server = try FakeOpenRouter { _ in .hang }
        defer { server.stop() }
        let dir = ToolRunner.makeTemporaryDirectory()
        let out = dir.appendingPathComponent("out.jsonl")
        let p = try start(args(server, out.path, extra: ["--grace", "60"]), input: questions(5), directory: dir)
        let deadline = Date().addingTimeInterval(20)
        while server.requestCount < 4 && Date() < deadline { usleep(10_000) }
        kill(p.processIdentifier, SIGINT)
        usleep(200_000)
        #expect(p.isRunning)
        let t0 = Date()
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(Date().timeIntervalSince(t0) < 5)
        #expect(p.terminationStatus == 130)
        #expect(lines(out).isEmpty)
    }

    @Test func simulatedModelNeedsNoKeyAndIsDeterministic() throws {
        let args = ["--model", "sim/good", "--model", "sim/weak", "--no-cache", "--seed", "3", "--run-id", "r1",
                    "--clock", "2026-01-01T00:00:00Z", "-q"]
        let a = try ToolRunner.run("jb-query", args, stdin: questions(30))
        let b = try ToolRunner.run("jb-query", args, stdin: questions(30))
        #expect(a.status == 0, "\(a)")
        #expect(a.lines.count == 60)
        #expect(a.stdout == b.stdout)
    }

    @Test func missingKeyIsAClearUsageError() throws {
        let r = try ToolRunner.run("jb-query", ["--model", "openai/gpt-4o-mini", "--no-cache"], stdin: questions(1),
                                   environment: ["OPENROUTER_BASE_URL": "https://openrouter.ai/api/v1"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("OPENROUTER_API_KEY is not set"))
    }

    /// HTTPS end to end: a server with a private CA is refused at once (no retries: every
    /// request would fail alike), then trusted through SSL_CERT_FILE, and the answers come
    /// back with the API's cost.
    @Test(.enabled(if: TLSPeer.available, "needs python3 and openssl to run an HTTPS server"))
    func httpsToAServerTrustedThroughSSLCertFile() throws {
        let peer = try TLSPeer()
        defer { peer.stop() }
        let args = ["--model", "tls/model", "--base-url", peer.baseURL + "/api/v1", "--no-cache", "--max-retries", "0"]
        let key = ["OPENROUTER_API_KEY": "sk-or-v1-e2e-secret-abcdef"]
        let refused = try ToolRunner.run("jb-query", args.dropLast(2) + ["--concurrency", "1"], stdin: questions(20),
                                         environment: key)
        #expect(refused.status == 69, "\(refused)")
        #expect(refused.stderr.contains("certificate not trusted"), "\(refused)")
        #expect(refused.stderr.contains("0 retries"), "\(refused)")
        #expect(refused.output.isEmpty)
        #expect(!refused.output.contains("e2e-secret") && !refused.stderr.contains("e2e-secret"))
        let trusted = try ToolRunner.run("jb-query", args + ["--stream"], stdin: questions(2),
                                         environment: key.merging(["SSL_CERT_FILE": peer.certificate]) { a, _ in a })
        #expect(trusted.status == 0, "\(trusted)")
        #expect(trusted.lines.count == 2)
        for line in trusted.lines {
            let r = try #require(try JSONParser.parse(line).objectValue)
            #expect(r["response_text"]?.stringValue == "What is TLS?")
            #expect(r["error"] == .null)
            #expect(r["cost_usd"]?.doubleValue == 0.00002)
        }
    }
}
