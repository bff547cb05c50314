import Foundation
import JBTestSupport
import Testing

/// Each setting is declared once, in code; its docs page promises the same default. A tool's
/// `--print-config` lists every setting it reads with its built-in default, and the tool's
/// page under docs/ must name each one (its key, or its flag) with that default on one line.
@Suite(.tools) struct SettingsDocsTests {
    static let tools: [(String, [String])] = [
        ("jb", ["run", "p.yaml"]), ("jb-ingest", ["kaggle"]), ("jb-sample", []), ("jb-query", []), ("jb-grade", []),
        ("jb-metrics", []), ("jb-report", []), ("jb-models", ["list"]), ("jb-store", ["load", "x.db"]),
    ]

    @Test(arguments: tools.map(\.0))
    func docsPromiseTheDeclaredDefaults(_ tool: String) throws {
        let sub = Self.tools.first { $0.0 == tool }?.1 ?? []
        let r = try ToolRunner.run(tool, sub + ["--print-config"], environment: ["OPENROUTER_BASE_URL": ""])
        #expect(r.status == 0, "\(r)")
        let page = try String(contentsOf: ToolRunner.packageRoot.appendingPathComponent("docs/\(tool).md"), encoding: .utf8)
        let lines = page.split(separator: "\n").map(String.init)
        var checked = 0
        for line in r.output.split(separator: "\n") {
            // `key = value  # default`
            guard line.hasSuffix("  # default"), let eq = line.range(of: " = ") else { continue }
            let key = line[..<eq.lowerBound].trimmingCharacters(in: .whitespaces)
            var value = String(line[eq.upperBound...].dropLast("  # default".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            if key.hasPrefix("openrouter.") { continue }  // shared; docs/configuration.md
            let flag = "--" + (key.split(separator: ".").last.map(String.init) ?? key).replacingOccurrences(of: "_", with: "-")
            let named = lines.filter { $0.contains(key) || $0.contains("`\(flag)") }
            #expect(!named.isEmpty, "docs/\(tool).md never names \(key)")
            // A switch's default reads as words ("compare", "off"): named is enough.
            if value == "true" || value == "false" { checked += 1; continue }
            #expect(named.contains { $0.contains(value) }, "docs/\(tool).md: no line names \(key) with its default \(value)")
            checked += 1
        }
        #expect(checked > 0, "\(tool) --print-config listed no default: \(r)")
    }
}
