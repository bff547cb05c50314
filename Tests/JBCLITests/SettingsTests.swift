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

    static let concurrency = Setting<Int>("query.concurrency", flag: "concurrency", default: 8, in: 1...10_000)
    static let rpm = Setting<Int?>("query.rpm", flag: "rpm", default: nil)
    static let model = Setting<String?>("query.model", default: nil)
    let keys: [any AnySetting] = [concurrency, rpm, model, CommonSetting.openRouterKey]

    @Test func layersApplyInOrder() throws {
        let d = tempDir()
        try "query:\n  concurrency: 16\n  rpm: 60\n  model: user\n".write(to: d.appendingPathComponent("user/config.yaml"), atomically: true, encoding: .utf8)
        try "query:\n  rpm: 120\n  model: project\n".write(to: d.appendingPathComponent("config/default.yaml"), atomically: true, encoding: .utf8)
        try "query:\n  model: staging\n".write(to: d.appendingPathComponent("config/staging.yaml"), atomically: true, encoding: .utf8)
        try "OPENROUTER_API_KEY=sk-or-from-dotenv-123\nJB_QUERY_RPM=240\n".write(to: d.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let loc = Settings.Locations(workingDirectory: d.path, userConfigDirectory: d.appendingPathComponent("user").path)
        var s = try Settings.load(keys, environment: ["JB_ENV": "staging"], locations: loc)
        #expect(try s.value(Self.concurrency) == 16)
        #expect(try s.value(Self.rpm) == 240)
        #expect(try s.value(Self.model) == "staging")
        #expect(try s.value(CommonSetting.openRouterKey) == "sk-or-from-dotenv-123")
        s = try Settings.load(keys, flags: ["query.rpm": "30", "query.model": nil],
                              environment: ["JB_ENV": "staging", "JB_QUERY_RPM": "480"], locations: loc)
        #expect(try s.value(Self.rpm) == 30)
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
            _ = try Settings.load(keys, environment: [:], locations: loc)
            Issue.record("expected an error")
        } catch let e as JBError {
            guard case .badConfig(_, let line, _, _) = e else { Issue.record("\(e)"); return }
            #expect(line >= 2)
        }
        let s = Settings(keys, entries: ["query.rpm": .init(value: "fast", source: "x.yaml")])
        #expect(throws: JBError.usage("query.rpm = \"fast\" (from x.yaml): expected an integer")) { try s.value(Self.rpm) }
        #expect(throws: JBError.self) {
            try Settings.load(keys, environment: ["JB_ENV": "nope"], locations: loc)
        }
    }

    /// One declaration checks a value wherever it came from, and the message names what the
    /// person wrote: the flag on the command line, else the key, the text and its layer.
    @Test func aDeclarationChecksEveryLayerInOnePlace() throws {
        let flag = Settings(keys, entries: ["query.concurrency": .init(value: "0", source: "command line")])
        #expect(throws: JBError.usage("--concurrency 0: expected 1 to 10000")) { try flag.value(Self.concurrency) }
        let file = Settings(keys, entries: ["query.concurrency": .init(value: "20000", source: "config/default.yaml")])
        #expect(throws: JBError.usage("query.concurrency = \"20000\" (from config/default.yaml): expected 1 to 10000")) {
            try file.value(Self.concurrency)
        }
        let unset = Settings(keys, entries: [:])
        #expect(try unset.value(Self.concurrency) == 8)
        #expect(try unset.value(Self.rpm) == nil)
        #expect(throws: JBError.usage("--concurrency 0: expected 1 to 10000")) { try Self.concurrency.check(0) }
        // A flag's text is the value's own (whole numbers without ".0"), so --print-config and
        // the messages show what was meant.
        #expect(Setting<Double>("a.b", default: 120).defaultText == "120")
        #expect(Setting<[Double]>("a.c", default: [0.25, 1]).defaultText == "0.25,1")
        #expect(Self.concurrency.given(nil).text == nil && Self.rpm.given(30).text == "30")
        #expect(Self.concurrency.environmentNames == ["JB_QUERY_CONCURRENCY"])
        #expect(CommonSetting.openRouterKey.environmentNames == ["JB_OPENROUTER_API_KEY", "OPENROUTER_API_KEY"])
    }

    /// The `--help` text comes from the declaration, the default written into it once.
    @Test func helpFillsInTheDefaultAndTheKey() {
        let s = Setting<Double>("models.cache_ttl_hours", flag: "ttl", default: 24,
                                help: "Hours a cached catalogue stays fresh (default {default}; config {key}).")
        #expect(s.help == "Hours a cached catalogue stays fresh (default 24; config models.cache_ttl_hours).")
        #expect(s.flagName == "--ttl")
        #expect(s.with(help: "Other ({default}).").help == "Other (24).")
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
