import Foundation
import JBCLI
import JBCore
import JBMetrics
import JBPipeline
import JBReport
import PropertyBased
import Testing
import Yams

/// Properties that must hold on any input: the libraries' parsers, number conversions,
/// renderers and redaction, fed generated hostile values. A Swift trap here fails the whole
/// test run, which is the point: none may exist.
@Suite struct HostileInputPropertyTests {
    /// Numbers as they appear in hostile JSON: extremes, overflows, non-finite spellings.
    static let extremeNumberTexts = [
        "1e300", "-1e300", "1e400", "-1e400", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "123456789012345678901234567890", "4.9e-324", "-0", "0", "1e15", "1e16", "-1",
    ]

    static let extremeDoubles: [Double] = [
        .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e300, -1e300,
        9.223372036854775807e18, -9.223372036854775808e18, 0, -0.0, .leastNonzeroMagnitude, 1e15, 1e16,
    ]

    @Test func checkedConversionsNeverTrap() async {
        await propertyCheck(count: 300, input: Gen.oneOf(Gen.element(of: Self.extremeDoubles).map { $0 ?? 0 },
                                                         Gen.double(in: -1e30...1e30))) { d in
            let i = Int(clampingRounded: d)
            if d.isNaN { #expect(i == 0) }
            if d.isFinite && abs(d) < 1e18 { #expect(i == Int(d.rounded())) }
            if d >= 1e19 { #expect(i == .max) }
            if d <= -1e19 { #expect(i == .min) }
        }
        await propertyCheck(count: 300, input: Gen.int64(), Gen.int64()) { a, b in
            let s = a.saturatingAdd(b)
            let (exact, overflow) = a.addingReportingOverflow(b)
            #expect(overflow ? (s == .max || s == .min) : s == exact)
            let d = a.saturatingSubtract(b)
            let (exactD, overflowD) = a.subtractingReportingOverflow(b)
            #expect(overflowD ? (d == .max || d == .min) : d == exactD)
        }
    }

    @Test func jsonParserNeverTrapsOnRandomBytes() async {
        let pieces: [[UInt8]] = [Array("{\"a\":".utf8), Array("[".utf8), Array("]".utf8), Array("}".utf8),
                                 Array("\"\\u".utf8), Array("1e400".utf8), [0], [0xFF], [0xC3], [0xED, 0xA0, 0x80],
                                 Array("\u{1B}[2J".utf8), Array("\"".utf8), Array(",".utf8), Array("9223372036854775808".utf8)]
        await propertyCheck(count: 500, input: Gen.element(of: pieces).map { $0 ?? [] }.array(of: 0...40)) { parts in
            let bytes = parts.flatMap { $0 }
            if let value = try? JSONParser.parse(bytes) {
                // Whatever parses serialises and parses back to the same value.
                let text = JSONSerializer.string(value)
                #expect((try? JSONParser.parse(text)) != nil)
            }
        }
        await propertyCheck(count: 60, input: Gen.int(in: 1...20_000)) { depth in
            let bytes = Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
            _ = try? JSONParser.parse(bytes)
        }
    }

    @Test func gradeRecordsWithExtremeNumbersNeverTrapMetrics() async {
        let fields = ["value", "wager", "latency_ms", "cost_usd", "epoch"]
        await propertyCheck(count: 300, input: Gen.element(of: fields).map { $0 ?? "value" },
                            Gen.element(of: Self.extremeNumberTexts).map { $0 ?? "0" },
                            Gen.element(of: ["prompt", "completion"]).map { $0 ?? "prompt" },
                            Gen.element(of: Self.extremeNumberTexts).map { $0 ?? "0" }) { field, number, tokenField, tokens in
            let text = """
                {"id":"a","model":"m","round":"Jeopardy!","daily_double":true,"grade":{"answered":true,"correct":true},\
                "\(field)":\(number),"tokens":{"\(tokenField)":\(tokens)}}
                """
            guard case .object(let o) = try? JSONParser.parse(text) else { return }
            let stats = GroupStats()
            if let outcome = try? Outcome(record: o, fail: { JBError.badRecord(source: "t", line: 1, message: $0) }) {
                for _ in 0..<3 { stats.add(outcome, rule: ScoringRule(finalStake: 1_000_000_000_000)) }
                _ = stats.fields(confidence: 0.95, coverages: [0.5, 1])
            }
        }
    }

    @Test func reportFormattingNeverTraps() async {
        await propertyCheck(count: 400, input: Gen.oneOf(Gen.element(of: Self.extremeDoubles).map { $0 ?? 0 },
                                                         Gen.double(in: -1e300...1e300)),
                            Gen.int()) { d, i in
            for s in [Formatting.dollars(d), Formatting.milliseconds(d), Formatting.percent(d), Formatting.cost(d),
                      Formatting.number(d), Formatting.points(d), Formatting.count(i)] {
                #expect(!s.isEmpty)
                #expect(s.utf8.count < 400, "a formatted number stays short: \(s.prefix(80))")
            }
        }
        #expect(Formatting.count(Int.min) == "-9,223,372,036,854,775,808")
        #expect(Formatting.dollars(1e300) == "+$9,223,372,036,854,775,807")
    }

    @Test func terminalTextHasNoControlCharacters() async {
        let scalars: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}", "\u{2066}", "\r", "\n", "\t", "\0", "a", "é", "日"]
        await propertyCheck(count: 400, input: Gen.element(of: scalars).map { $0 ?? "a" }.array(of: 0...60)) { list in
            var s = ""
            s.unicodeScalars.append(contentsOf: list)
            let safe = TerminalText.safe(s)
            #expect(!safe.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
            #expect(safe.unicodeScalars.count == s.unicodeScalars.count)
        }
    }

    @Test func redactionHidesRegisteredSecretsAnywhere() async {
        let redactor = Redactor()
        let secret = "fuzz-secret-0123456789abcdef"
        redactor.register(secret)
        redactor.registerSecrets(fromVariables: [("DATABASE_URL", "postgres://u:pw-0123456@h/db")])
        await propertyCheck(count: 300, input: Gen.letterOrNumber.string(of: 0...30), Gen.letterOrNumber.string(of: 0...30)) { a, b in
            for text in [a + secret + b, a + "postgres://u:pw-0123456@h/db" + b, a + "\"" + secret + "\"" + b] {
                let out = redactor.redact(text)
                #expect(!out.contains(secret))
                #expect(!out.contains("pw-0123456"))
            }
        }
    }

    @Test func yamlBombsAndDeepNestingAreRefusedQuickly() throws {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for d in 1..<9 { lines.append("a\(d): &a\(d) [" + Array(repeating: "*a\(d - 1)", count: 9).joined(separator: ", ") + "]") }
        var maps = ["query:", "  x0: &x0 {k0: lol, k1: lol, k2: lol, k3: lol}"]
        for d in 1..<12 { maps.append("  x\(d): &x\(d) {" + (0..<4).map { "k\($0): *x\(d - 1)" }.joined(separator: ", ") + "}") }
        let deep = "q: " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        for text in [lines.joined(separator: "\n"), maps.joined(separator: "\n"), deep] {
            let start = ContinuousClock.now
            #expect(throws: JBError.self) { _ = try YAMLFile.parse(text: text, path: "bomb.yaml") }
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test func yamlTextErrorsAreLocated() throws {
        do {
            _ = try YAMLFile.parse(bytes: Array("a: 1\nb: x\0y\n".utf8), path: "p.yaml")
            Issue.record("a NUL byte was accepted")
        } catch let e as JBError {
            #expect(e.location == "p.yaml:2:5")
        }
        do {
            _ = try YAMLFile.parse(bytes: Array("a: 1\nbb: \u{E9}".utf8.dropLast()) + [0xFF], path: "p.yaml")
            Issue.record("invalid UTF-8 was accepted")
        } catch let e as JBError {
            #expect(e.location?.hasPrefix("p.yaml:2:") == true)
        }
    }

    @Test func randomYAMLNeverTraps() async {
        let pieces = ["a: ", "&x ", "*x ", "[", "]", "{", "}", "- ", "\n", "  ", "b: ", "'", "\"", "#", "!!str ", "? ", ": ", "|", "1e400", ",", "\t"]
        await propertyCheck(count: 400, input: Gen.element(of: pieces).map { $0 ?? "" }.array(of: 0...40)) { parts in
            _ = try? YAMLFile.parse(text: parts.joined(), path: "r.yaml")
        }
    }
}
