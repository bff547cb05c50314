import Foundation
import JBCore
import Testing
@testable import JBCLI

@Suite struct SettingsTests {
    func tempDir() -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("jb-settings-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u.appendingPathComponent("config"), withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(at: u.appendingPathComponent("user"), withIntermediateDirectories: true)
        return u
    }

    let keys = [ConfigKey("query.concurrency", default: "8"), ConfigKey("query.rpm"), ConfigKey("query.model"),
                CommonKeys.openRouterKey]

    @Test func layersApplyInOrder() throws {
        let d = tempDir()
        try "query:\n  concurrency: 16\n  rpm: 60\n  model: user\n".write(to: d.appendingPathComponent("user/config.yaml"), atomically: true, encoding: .utf8)
        try "query:\n  rpm: 120\n  model: project\n".write(to: d.appendingPathComponent("config/default.yaml"), atomically: true, encoding: .utf8)
        try "query:\n  model: staging\n".write(to: d.appendingPathComponent("config/staging.yaml"), atomically: true, encoding: .utf8)
        try "OPENROUTER_API_KEY=sk-or-from-dotenv-123\nJB_QUERY_RPM=240\n".write(to: d.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let loc = Settings.Locations(workingDirectory: d.path, userConfigDirectory: d.appendingPathComponent("user").path)
        var s = try Settings.load(keys: keys, environment: ["JB_ENV": "staging"], locations: loc)
        #expect(try s.int("query.concurrency") == 16)
        #expect(try s.int("query.rpm") == 240)
        #expect(s.string("query.model") == "staging")
        #expect(s.string("openrouter.api_key") == "sk-or-from-dotenv-123")
        s = try Settings.load(keys: keys, flags: ["query.rpm": "30", "query.model": nil],
                              environment: ["JB_ENV": "staging", "JB_QUERY_RPM": "480"], locations: loc)
        #expect(try s.int("query.rpm") == 30)
        #expect(s.entries["query.rpm"]?.source == "command line")
        let printed = s.printable()
        #expect(printed.contains("query.concurrency") && printed.contains("= 16  # "))
        #expect(!printed.contains("sk-or-from-dotenv-123"))
        #expect(printed.contains("openrouter.api_key"))
    }

    @Test func badValuesAndFilesAreLocated() throws {
        let d = tempDir()
        try "query:\n  rpm: [1, 2\n".write(to: d.appendingPathComponent("config/default.yaml"), atomically: true, encoding: .utf8)
        let loc = Settings.Locations(workingDirectory: d.path, userConfigDirectory: d.appendingPathComponent("user").path)
        do {
            _ = try Settings.load(keys: keys, environment: [:], locations: loc)
            Issue.record("expected an error")
        } catch let e as JBError {
            guard case .badConfig(_, let line, _, _) = e else { Issue.record("\(e)"); return }
            #expect(line >= 2)
        }
        let s = Settings(keys: keys, entries: ["query.rpm": .init(value: "fast", source: "x.yaml")])
        #expect(throws: JBError.usage("query.rpm = \"fast\" (from x.yaml): expected an integer")) { try s.int("query.rpm") }
        #expect(throws: JBError.self) {
            try Settings.load(keys: keys, environment: ["JB_ENV": "nope"], locations: loc)
        }
    }

    @Test func dotenvSyntax() throws {
        let vars = try DotEnv.parse("# c\nexport A=1\nB = \"two words\"\nC='x#y'\nD=plain # comment\n", path: ".env")
        #expect(vars.map(\.0) == ["A", "B", "C", "D"])
        #expect(vars.map(\.1) == ["1", "two words", "x#y", "plain"])
        #expect(throws: JBError.badConfig(path: ".env", line: 1, column: 1, message: "expected KEY=value")) {
            try DotEnv.parse("not a line\n", path: ".env")
        }
    }

    @Test func colourOnlyOnTTYWithoutNoColor() {
        #expect(!Diagnostics.useColor(isTTY: false, environment: [:]))
        #expect(!Diagnostics.useColor(isTTY: true, environment: ["NO_COLOR": ""]))
        #expect(Diagnostics.useColor(isTTY: true, environment: ["TERM": "xterm"]))
    }
}
