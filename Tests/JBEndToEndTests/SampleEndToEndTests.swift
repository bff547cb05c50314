import Foundation
import JBCore
import JBTestSupport
import Testing

/// jb-sample as a user runs it: determinism, shards, pool, strata and computed sizes.
@Suite(.tools) struct SampleEndToEndTests {
    /// 2000 generated question records over 3 rounds, 4 decades and 13 categories.
    static let input: String = {
        let rounds = ["Jeopardy!", "Double Jeopardy!", "Final Jeopardy!"]
        return (0..<2000).map { i -> String in
            let round = rounds[i % 7 == 0 ? 2 : i % 2]
            let year = 1984 + (i * 37) / 2000
            let o: JSONObject = [
                "id": .string(ContentHash.shortHex("e2e\(i)")), "round": .string(round),
                "category": .string("CATEGORY \(i % 13)"), "air_date": .string("\(year)-0\(1 + i % 9)-1\(i % 10)"),
                "value": round == "Final Jeopardy!" ? .null : .int(Int64(200 * (1 + i % 5))),
                "clue": .string("clue number \(i)"), "answer": .string("answer \(i)"), "media": .bool(i % 11 == 0),
                "show_number": .null, "daily_double": .null, "difficulty": .null, "source": "e2e",
            ]
            return JSON.object(o).compactText + "\n"
        }.joined()
    }()

    static func objects(_ r: RunResult) -> [JSONObject] {
        r.lines.map { line in (try? JSONParser.parse(line))?.objectValue ?? [:] }
    }

    static func ids(_ lines: [String]) -> [String] {
        lines.map { ((try? JSONParser.parse($0))?.objectValue?["id"]?.stringValue) ?? "" }
    }

    func sample(_ args: [String], input: String = SampleEndToEndTests.input, directory: URL? = nil) throws -> RunResult {
        let r = try ToolRunner.run("jb-sample", args, input: input, directory: directory)
        #expect(r.status == 0, "\(r)")
        return r
    }

    @Test func sameInputSeedAndFlagsGiveIdenticalBytes() throws {
        let args = ["-n", "100", "--seed", "42", "--stratify", "round,decade"]
        let a = try sample(args), b = try sample(args)
        #expect(a.stdout == b.stdout)
        #expect(a.lines.count == 100)
        // A different seed gives a different sample.
        let c = try sample(["-n", "100", "--seed", "43", "--stratify", "round,decade"])
        #expect(c.stdout != a.stdout)
        // Input order is kept: ids appear in the order of the input.
        let inputIDs = SampleEndToEndTests.ids(SampleEndToEndTests.input.split(separator: "\n").map(String.init))
        let position = Dictionary(uniqueKeysWithValues: inputIDs.enumerated().map { ($1, $0) })
        let positions = SampleEndToEndTests.ids(a.lines).map { position[$0]! }
        #expect(positions == positions.sorted())
        // The same records in reverse order give the same sample (priorities depend on ids only).
        let reversed = SampleEndToEndTests.input.split(separator: "\n").reversed().joined(separator: "\n") + "\n"
        let d = try sample(args, input: reversed)
        #expect(Set(d.lines) == Set(a.lines))
    }

    @Test func shardsPartitionTheSample() throws {
        let whole = try sample(["-n", "300", "--seed", "7", "--stratify", "round"])
        var union: [String] = []
        var seen = Set<String>()
        for i in 1...4 {
            let part = try sample(["-n", "300", "--seed", "7", "--stratify", "round", "--shard", "\(i)/4"])
            for line in part.lines { #expect(seen.insert(line).inserted, "shard \(i) repeats a record") }
            union += part.lines
            #expect(part.lines.count > 30, "shard \(i) has \(part.lines.count) records")
        }
        #expect(Set(union) == Set(whole.lines))
        #expect(union.count == 300)
        // Without a sample size, shards partition the whole input.
        var total = 0
        var all = Set<String>()
        for i in 1...3 {
            let part = try sample(["--shard", "\(i)/3"])
            total += part.lines.count
            all.formUnion(part.lines)
        }
        #expect(total == 2000 && all.count == 2000)
    }

    @Test func poolAndSampleAreDisjoint() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let r = try sample(["-n", "200", "--split", "25", "--pool", "pool.jsonl", "--seed", "3", "--stratify", "round"], directory: dir)
        let pool = try String(contentsOf: dir.appendingPathComponent("pool.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(pool.count == 25)
        #expect(r.lines.count == 200)
        #expect(Set(SampleEndToEndTests.ids(pool)).isDisjoint(with: SampleEndToEndTests.ids(r.lines)))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("pool.jsonl.partial").path))
        // Excluding the pool and the sample from a second run gives fresh questions.
        try (pool + r.lines).joined(separator: "\n").write(to: dir.appendingPathComponent("used.jsonl"), atomically: true, encoding: .utf8)
        let next = try sample(["-n", "100", "--exclude-ids", "used.jsonl", "--seed", "3"], directory: dir)
        #expect(Set(SampleEndToEndTests.ids(next.lines)).isDisjoint(with: SampleEndToEndTests.ids(pool + r.lines)))
    }

    @Test func strataAreProportionalWithinRounding() throws {
        let all = SampleEndToEndTests.input.split(separator: "\n").map { (try? JSONParser.parse(String($0)))?.objectValue ?? [:] }
        func decade(_ o: JSONObject) -> String { String(o["air_date"]!.stringValue!.prefix(3)) + "0s" }
        func key(_ o: JSONObject) -> String { o["round"]!.stringValue! + "|" + decade(o) }
        var population: [String: Int] = [:]
        for o in all { population[key(o), default: 0] += 1 }
        let r = try sample(["-n", "150", "--seed", "5", "--stratify", "round,decade", "--verbose"])
        var got: [String: Int] = [:]
        for o in SampleEndToEndTests.objects(r) { got[key(o), default: 0] += 1 }
        #expect(got.values.reduce(0, +) == 150)
        for (k, size) in population {
            let exact = 150.0 * Double(size) / 2000.0
            #expect(abs(Double(got[k] ?? 0) - exact) < 1, "stratum \(k): \(got[k] ?? 0) for an exact share of \(exact)")
        }
        #expect(r.stderr.contains("jb-sample: note: sample: 150 of 2000 records in 15 strata by round,decade (proportional), seed 5"), "\(r.stderr)")
        // Equal allocation: 10 from each of the 3 rounds.
        let eq = try sample(["--per-stratum", "10", "--seed", "5", "--stratify", "round"])
        var rounds: [String: Int] = [:]
        for o in SampleEndToEndTests.objects(eq) { rounds[o["round"]!.stringValue!, default: 0] += 1 }
        #expect(rounds == ["Jeopardy!": 10, "Double Jeopardy!": 10, "Final Jeopardy!": 10])
    }

    @Test func computedSizesAreTheTextbookValues() throws {
        // Cochran, 95 %, ±5 %, p = 0.5: n0 = 1.959964² × 0.25 / 0.0025 = 384.146;
        // N = 1000 (the first 1000 records): n = 384.146 / (1 + 383.146 / 1000) = 277.73 → 278.
        let thousand = SampleEndToEndTests.input.split(separator: "\n").prefix(1000).joined(separator: "\n") + "\n"
        let a = try sample(["--margin", "0.05", "--confidence", "0.95"], input: thousand)
        #expect(a.lines.count == 278)
        #expect(a.stderr.contains("sample size 278 by Cochran's formula"), "\(a.stderr)")
        // N = 2000, ±3 %, expected accuracy 0.7: n0 = 3.841459 × 0.21 / 0.0009 = 896.34;
        // n = 896.34 / (1 + 895.34 / 2000) = 619.16 → 620.
        let b = try sample(["--margin", "0.03", "--expected-accuracy", "0.7"])
        #expect(b.lines.count == 620)
        // Connor, δ = 0.1, ψ = 0.3, α = 0.05, power 0.9:
        // (1.959964 × √0.3 + 1.281552 × √0.29)² / 0.01 = (1.073516 + 0.690137)² / 0.01 = 311.05 → 312.
        let c = try sample(["--power", "--detect", "0.1", "--discordance", "0.3", "--power-level", "0.9"])
        #expect(c.lines.count == 312)
        #expect(c.stderr.contains("sample size 312 by Connor's formula for McNemar's test"), "\(c.stderr)")
        // Default ψ (independent errors at p = 0.5): 0.50125; δ = 0.05 needs 1572, more than 1000.
        let d = try ToolRunner.run("jb-sample", ["--power", "--detect", "0.05"], input: thousand)
        #expect(d.status == 64)
        #expect(d.stderr == "jb-sample: error: impossible sample size: the paired comparison needs 1572 questions but only 1000 eligible records\n")
    }

    @Test func filtersSelectTheRightRecords() throws {
        let r = try sample(["--round", "DJ", "--from", "1990-01-01", "--to", "1999", "--category", "category 1[0-2]$",
                            "--min-value", "400", "--max-value", "800", "--no-media"])
        let objects = SampleEndToEndTests.objects(r)
        #expect(!objects.isEmpty)
        for o in objects {
            #expect(o["round"] == "Double Jeopardy!")
            let date = o["air_date"]!.stringValue!
            #expect(date >= "1990-01-01" && date <= "1999-12-31")
            #expect(["CATEGORY 10", "CATEGORY 11", "CATEGORY 12"].contains(o["category"]!.stringValue!))
            #expect((400...800).contains(o["value"]!.intValue!))
            #expect(o["media"] == false)
        }
    }
}
