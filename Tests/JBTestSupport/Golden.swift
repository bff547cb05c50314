import Foundation

/// One golden end-to-end case: `Golden/<tool>/<case>/` with `args` (one argument per line),
/// optional `stdin.jsonl` (or `stdin.txt`), and the expected `stdout.jsonl`, optional
/// `stderr.txt` and `status` (default 0). The tool runs with the case folder as its working
/// directory, so `args` can name files inside it. `JB_RECORD=1` rewrites the expected files.
public struct GoldenCase: Sendable, CustomStringConvertible {
    public var tool: String
    public var name: String
    public var directory: URL

    public var description: String { "\(tool)/\(name)" }

    /// Every case under `root` (default: Tests/JBEndToEndTests/Golden).
    public static func all(root: URL = ToolRunner.packageRoot.appendingPathComponent("Tests/JBEndToEndTests/Golden")) -> [GoldenCase] {
        let fm = FileManager.default
        var cases: [GoldenCase] = []
        for tool in ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).sorted() {
            let toolDir = root.appendingPathComponent(tool)
            for name in ((try? fm.contentsOfDirectory(atPath: toolDir.path)) ?? []).sorted() {
                let dir = toolDir.appendingPathComponent(name)
                if fm.fileExists(atPath: dir.appendingPathComponent("args").path) {
                    cases.append(GoldenCase(tool: tool, name: name, directory: dir))
                }
            }
        }
        return cases
    }

    /// What differed, or nil when the run matched (or was recorded).
    public func check() throws -> String? {
        let fm = FileManager.default
        let argsText = try String(contentsOf: directory.appendingPathComponent("args"), encoding: .utf8)
        let args = argsText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            .filter { !$0.hasPrefix("#") }
        var stdin: Data? = nil
        for name in ["stdin.jsonl", "stdin.txt"] {
            let url = directory.appendingPathComponent(name)
            if fm.fileExists(atPath: url.path) { stdin = try Data(contentsOf: url) }
        }
        let result = try ToolRunner.run(tool, args, stdin: stdin, directory: directory)
        let stdoutURL = directory.appendingPathComponent("stdout.jsonl")
        let stderrURL = directory.appendingPathComponent("stderr.txt")
        let statusURL = directory.appendingPathComponent("status")
        if ProcessInfo.processInfo.environment["JB_RECORD"] == "1" {
            try result.stdout.write(to: stdoutURL)
            if result.stderr.isEmpty {
                try? fm.removeItem(at: stderrURL)
            } else {
                try Data(result.stderr.utf8).write(to: stderrURL)
            }
            if result.status == 0 {
                try? fm.removeItem(at: statusURL)
            } else {
                try Data("\(result.status)\n".utf8).write(to: statusURL)
            }
            return nil
        }
        var problems: [String] = []
        let expectedOut = (try? Data(contentsOf: stdoutURL)) ?? Data()
        if expectedOut != result.stdout {
            problems.append("stdout differs:\n--- expected ---\n\(String(decoding: expectedOut, as: UTF8.self).prefix(3000))")
        }
        let expectedErr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        if expectedErr != result.stderr {
            problems.append("stderr differs:\n--- expected ---\n\(expectedErr)")
        }
        let expectedStatus = Int32(((try? String(contentsOf: statusURL, encoding: .utf8)) ?? "0").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        if expectedStatus != result.status {
            problems.append("status \(result.status), expected \(expectedStatus)")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "\n") + "\n--- actual run ---\n\(result)"
    }
}
