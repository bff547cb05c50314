import Foundation
import JBTestSupport
import Testing

/// Every tool is documented: a line in the README, a reference page under docs/, an abstract
/// in its `--help`, and a `--version`.
@Suite(.tools) struct DocsTests {
    static let tools = ["jb", "jb-ingest", "jb-sample", "jb-query", "jb-grade", "jb-metrics", "jb-report", "jb-models", "jb-store"]

    @Test(arguments: tools)
    func toolIsDocumented(_ tool: String) throws {
        let readme = try String(contentsOf: ToolRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("| `\(tool)` |"), "README's tool table has no line for \(tool)")
        let page = ToolRunner.packageRoot.appendingPathComponent("docs/\(tool).md")
        #expect(FileManager.default.fileExists(atPath: page.path), "docs/\(tool).md is missing")
        let help = try ToolRunner.run(tool, ["--help"])
        #expect(help.status == 0, "\(help)")
        let overview = help.output.split(separator: "\n").first.map(String.init) ?? ""
        #expect(overview.hasPrefix("OVERVIEW: ") && overview.count > 20, "\(tool) --help has no abstract: \(overview)")
        let version = try ToolRunner.run(tool, ["--version"])
        #expect(version.status == 0 && !version.output.isEmpty, "\(version)")
    }

    @Test func readmeShowsTheSetUpCommandsAndExitCodes() throws {
        let readme = try String(contentsOf: ToolRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("make demo") && readme.contains("make test"))
        for status in ["| 0 |", "| 64 |", "| 65 |", "| 66 |", "| 70 |", "| 73 |", "| 74 |", "| 78 |", "| 130 |"] {
            #expect(readme.contains(status), "the exit-code table lacks \(status)")
        }
    }
}
