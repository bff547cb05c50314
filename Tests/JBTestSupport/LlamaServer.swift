import Foundation
import JBCore

#if canImport(Glibc)
import Glibc
#endif

/// llama.cpp's own HTTP server with a real (tiny) model, SmolLM2-135M-Instruct, on 127.0.0.1:
/// `scripts/llama-server.py` run by the Python of the venv `scripts/llama-venv.sh` makes (once,
/// outside the repository). jb talks to a recording pass-through in front of it, so a test can
/// check every record against what the server itself answered (`exchanges`).
public final class LlamaServer: @unchecked Sendable {
    /// The venv's python, or why there is none (no python3, no venv module, no PyPI).
    public static let python: Result<String, LlamaServerError> = {
        let script = ToolRunner.packageRoot.appendingPathComponent("scripts/llama-venv.sh").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = [script]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return .failure(LlamaServerError(message: "cannot run \(script): \(error)")) }
        let path = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let why = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        p.waitUntilExit()
        guard p.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: path) else {
            let reason = why.split(separator: "\n").last.map(String.init) ?? "scripts/llama-venv.sh failed"
            FileHandle.standardError.write(Data("skipping the llama.cpp server tests: \(reason)\n".utf8))
            return .failure(LlamaServerError(message: reason))
        }
        return .success(path)
    }()

    /// True when the venv is ready (made now if need be).
    public static var available: Bool { (try? python.get()) != nil }

    /// The pass-through's `http://127.0.0.1:PORT/v1`: give it to jb as `--base-url`.
    public let baseURL: String
    /// llama-server itself (no recording).
    public let serverURL: String
    /// The model name the server reports, whatever it is asked for.
    public let reportedModel: String
    /// The exchange log (JSON Lines).
    public let log: URL
    /// Seconds from start to ready.
    public let startSeconds: Double
    private let process: Process
    private let control = Pipe()

    /// Starts the server and waits until it answers (at most `timeout` seconds).
    public init(timeout: Double = 120) throws {
        let python = try LlamaServer.python.get()
        let dir = ToolRunner.makeTemporaryDirectory()
        log = dir.appendingPathComponent("exchanges.jsonl")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [ToolRunner.packageRoot.appendingPathComponent("scripts/llama-server.py").path, "--log", log.path]
        let out = Pipe()
        p.standardOutput = out
        let errURL = dir.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardInput = control
        try p.run()
        process = p
        // The ready line, read on a thread of its own so a hung start cannot block forever.
        let reader = out.fileHandleForReading
        let ready = DispatchSemaphore(value: 0)
        let box = LineBox()
        Thread.detachNewThread {
            var line = Data()
            while !line.contains(0x0A) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                line += chunk
            }
            box.set(line)
            ready.signal()
        }
        let got = ready.wait(timeout: .now() + timeout) == .success
        guard got, let o = try? JSONParser.parse(box.get()).objectValue, let base = o["base_url"]?.stringValue,
              let server = o["server"]?.stringValue else {
            let log = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            try? control.fileHandleForWriting.close()
            kill(p.processIdentifier, SIGKILL)
            throw LlamaServerError(message: "llama-server did not start\(got ? "" : " within \(Int(timeout)) s"): \(log.suffix(800))")
        }
        baseURL = base
        serverURL = server
        reportedModel = o["model"]?.stringValue ?? "smollm2"
        startSeconds = o["seconds"]?.doubleValue ?? 0
    }

    /// Stops the server: it exits as soon as its stdin closes (so it also goes when the test
    /// process dies, whatever signal it ignored); a server still there 5 s later is killed.
    public func stop() {
        try? control.fileHandleForWriting.close()
        let pid = process.processIdentifier
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
    }

    deinit { try? control.fileHandleForWriting.close() }

    /// The log's size now: `exchanges(since:)` gives what came after.
    public func mark() -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: log.path)[.size]) as? NSNumber)?.intValue ?? 0
    }

    /// Every exchange logged since `mark` (a byte offset from `mark()`).
    public func exchanges(since mark: Int = 0) throws -> [Exchange] {
        guard let data = FileManager.default.contents(atPath: log.path), data.count > mark else { return [] }
        return try data[mark...].split(separator: 0x0A).map { line in
            guard let o = try JSONParser.parse(Data(line)).objectValue else { throw LlamaServerError(message: "a log line is not an object") }
            return Exchange(o)
        }
    }

    /// One request to the server and its reply, as the server sent it.
    public struct Exchange: Sendable {
        /// The request body jb sent.
        public var request: JSONObject
        public var status: Int
        public var stream: Bool
        /// The reply's text (joined from the deltas of a stream).
        public var text: String?
        public var finishReason: String?
        public var promptTokens: Int?
        public var completionTokens: Int?
        /// The model the server said answered.
        public var model: String?
        /// The request carried an `Authorization` header (a key).
        public var authorized: Bool

        init(_ o: JSONObject) {
            request = o["request"]?.objectValue ?? [:]
            status = o["status"]?.intValue ?? 0
            stream = o["stream"]?.boolValue ?? false
            text = o["text"]?.stringValue
            finishReason = o["finish_reason"]?.stringValue
            let usage = o["usage"]?.objectValue
            promptTokens = usage?["prompt_tokens"]?.intValue
            completionTokens = usage?["completion_tokens"]?.intValue
            model = o["model"]?.stringValue
            authorized = o["authorization"]?.boolValue ?? false
        }

        /// The messages' contents, joined: what identifies the question asked.
        public var prompt: String {
            (request["messages"]?.arrayValue ?? []).compactMap { $0.objectValue?["content"]?.stringValue }.joined(separator: "\n")
        }
    }
}

/// Why the llama.cpp server cannot be used here.
public struct LlamaServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

private final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
