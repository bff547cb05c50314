import Foundation

/// What a finished tool run gave back.
public struct RunResult: Sendable, CustomStringConvertible {
    /// The command line, for failure messages.
    public var command: String
    /// The exit status.
    public var status: Int32
    /// Everything written to stdout.
    public var stdout: Data
    /// Everything written to stderr.
    public var stderr: String

    /// stdout as text.
    public var output: String { String(decoding: stdout, as: UTF8.self) }
    /// stdout split into non-empty lines.
    public var lines: [String] { output.split(separator: "\n").map(String.init) }

    public var description: String {
        "$ \(command)\nstatus: \(status)\n--- stdout ---\n\(output.prefix(4000))\n--- stderr ---\n\(stderr.prefix(4000))"
    }
}

/// Runs the built jb executables, as the golden and end-to-end tests do.
public enum ToolRunner {
    /// The package's root folder.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where the built tools are: `JB_BIN_DIR`, else beside the test bundle, else `.build/debug`.
    public static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["JB_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        let candidates = [
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            packageRoot.appendingPathComponent(".build/debug"),
        ]
        for c in candidates where FileManager.default.isExecutableFile(atPath: c.appendingPathComponent("jb-ingest").path) {
            return c
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }

    /// The current test's home folder (set by the `.tools` trait for each test case); nil
    /// outside such a test, where `processHome` serves.
    @TaskLocal public static var home: URL?

    /// The home folder of tools run outside a `.tools` test: one per test process.
    public static let processHome: URL = makeTemporaryDirectory()

    /// The fixed environment tests run tools in: `LC_ALL=C`, `TZ=UTC`, no colour, the test's
    /// own empty home, config and cache folders, and no credentials from the developer's shell.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env: [String: String] = [:]
        let keep = ["PATH", "TMPDIR", "LD_LIBRARY_PATH"]
        for k in keep { if let v = ProcessInfo.processInfo.environment[k] { env[k] = v } }
        env["LC_ALL"] = "C"
        env["TZ"] = "UTC"
        env["NO_COLOR"] = "1"
        let scratch = home ?? processHome
        env["HOME"] = scratch.path
        env["XDG_CONFIG_HOME"] = scratch.appendingPathComponent(".config").path
        env["XDG_CACHE_HOME"] = scratch.appendingPathComponent(".cache").path
        // Nothing in a test touches the internet: a tool that would reach OpenRouter by
        // default reaches a closed port on this machine instead, unless the test says otherwise.
        env["OPENROUTER_BASE_URL"] = "http://127.0.0.1:9/api/v1"
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs `tool` with `arguments`, feeding `stdin`, in `directory` (default: a fresh temp dir).
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], stdin: Data? = nil,
                           environment extra: [String: String] = [:], directory: URL? = nil) throws -> RunResult {
        let exe = binDirectory.appendingPathComponent(tool)
        let process = Process()
        process.executableURL = exe
        process.arguments = arguments
        process.environment = environment(extra)
        let cwd = directory ?? makeTemporaryDirectory()
        process.currentDirectoryURL = cwd
        // stdout and stderr go to files: no pipe buffer can fill up and stall the tool.
        let scratch = makeTemporaryDirectory()
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        let inPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        let input = stdin ?? Data()
        let writer = inPipe.fileHandleForWriting
        // A tool may exit without reading all of stdin: ignore SIGPIPE, and the error.
        signal(SIGPIPE, SIG_IGN)
        DispatchQueue.global().async {
            try? writer.write(contentsOf: input)
            try? writer.close()
        }
        process.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        let out = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        try? FileManager.default.removeItem(at: scratch)
        let command = ([tool] + arguments).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        return RunResult(command: command, status: process.terminationStatus, stdout: out,
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a tool from async code without blocking a Swift-concurrency thread: the wait
    /// happens on a thread of its own, so fake servers in the same process keep serving.
    public static func runAsync(_ tool: String, _ arguments: [String], stdin: Data? = nil,
                                environment extra: [String: String] = [:], directory: URL? = nil) async throws -> RunResult {
        let home = home
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    let result = try $home.withValue(home) {
                        try run(tool, arguments, stdin: stdin, environment: extra, directory: directory)
                    }
                    continuation.resume(returning: result)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }

    /// Runs with text on stdin.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], input: String,
                           environment extra: [String: String] = [:], directory: URL? = nil) throws -> RunResult {
        try run(tool, arguments, stdin: Data(input.utf8), environment: extra, directory: directory)
    }

    /// A new empty temporary directory.
    public static func makeTemporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jb-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The read-only `../shared` material beside the repository, when present.
public enum SharedData {
    /// `JB_SHARED_DIR`, else `../shared` beside the package; nil when absent.
    public static var root: URL? {
        if let dir = ProcessInfo.processInfo.environment["JB_SHARED_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        let url = ToolRunner.packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A file under the shared folder, or nil (and a note on stderr saying why the test
    /// skips) when the folder or file is absent.
    public static func file(_ relativePath: String) -> URL? {
        guard let root else {
            FileHandle.standardError.write(Data("skipping: ../shared is absent (needed: \(relativePath))\n".utf8))
            return nil
        }
        let url = root.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            FileHandle.standardError.write(Data("skipping: \(url.path) is absent\n".utf8))
            return nil
        }
        return url
    }

    /// True when the shared folder is present.
    public static var isAvailable: Bool { root != nil }
}
