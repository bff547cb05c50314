import Foundation
import JBCore
import Testing
@testable import JBSample

/// Runs the sampler in-process on generated records and checks it against a brute-force
/// computation of the same definition (sort every stratum by priority, take each share).
@Suite struct SamplerTests {
    static func records(_ count: Int) -> [JSONObject] {
        let rounds = ["Jeopardy!", "Double Jeopardy!", "Final Jeopardy!"]
        return (0..<count).map { i in
            let year = 1984 + (i * 37) / count
            let round = rounds[i % 7 == 0 ? 2 : i % 2]
            return ["id": .string(ContentHash.shortHex("q\(i)")), "round": .string(round),
                    "category": .string("CAT\(i % 13)"), "air_date": .string("\(year)-0\(1 + i % 9)-1\(i % 10)"),
                    "value": round == "Final Jeopardy!" ? .null : .int(Int64(200 * (1 + i % 5))),
                    "clue": .string("clue \(i)"), "answer": .string("answer \(i)"), "media": .bool(i % 11 == 0),
                    "extra_field": ["kept": .int(Int64(i))]]
        }
    }

    static func run(_ records: [JSONObject], _ configure: (inout UncheckedSampleSettings) -> Void) throws -> (lines: [String], pool: [String], report: SampleReport) {
        var flags = UncheckedSampleSettings()
        configure(&flags)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jb-sampler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        if flags.pool != nil { flags.pool = dir.appendingPathComponent("pool.jsonl").path }
        let input = dir.appendingPathComponent("in.jsonl"), output = dir.appendingPathComponent("out.jsonl")
        try records.map { JSON.object($0).compactText }.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        let config = try flags.checked()
        let writer = try JSONLWriter(path: output.path, append: false)
        let report = try Sampler(settings: config).run(reader: JSONLReader(paths: [input.path]), writer: writer)
        try writer.flush()
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map(String.init)
        var pool: [String] = []
        if let p = flags.pool { pool = try String(contentsOfFile: p, encoding: .utf8).split(separator: "\n").map(String.init) }
        return (lines, pool, report)
    }

    static func ids(_ lines: [String]) -> [String] {
        lines.map { line in
            guard case .object(let o) = try! JSONParser.parse(line), case .string(let id)? = o["id"] else { return "" }
            return id
        }
    }

    /// The definition, computed the slow way.
    static func bruteForce(_ records: [JSONObject], seed: UInt64, keys: [StratumKey], total: Int) throws -> [String] {
        var strata: [[String]: [(UInt64, Int, String)]] = [:]
        for (seq, o) in records.enumerated() {
            let id = o["id"]!.stringValue!
            strata[keys.map { $0.label(of: o) }, default: []].append((Sampler.priority(id: id, seed: seed), seq, id))
        }
        let labels = strata.keys.sorted(by: labelLess)
        let shares = try Allocation.proportional(total: total, sizes: labels.map { strata[$0]!.count })
        var chosen: [(Int, String)] = []
        for (label, share) in zip(labels, shares) {
            let sorted = strata[label]!.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            chosen += sorted.prefix(share).map { ($0.1, $0.2) }
        }
        return chosen.sorted { $0.0 < $1.0 }.map(\.1)
    }

    @Test(arguments: ["input", "stratum", "priority-ascending", "priority-descending"])
    func stratifiedSampleIsExactInAnyOrder(order: String) throws {
        var records = SamplerTests.records(3000)
        let seed: UInt64 = 11
        func pri(_ o: JSONObject) -> UInt64 { Sampler.priority(id: o["id"]!.stringValue!, seed: seed) }
        switch order {
        case "stratum": records.sort { StratumKey.decade.label(of: $0) > StratumKey.decade.label(of: $1) }
        case "priority-ascending": records.sort { pri($0) < pri($1) }
        case "priority-descending": records.sort { pri($0) > pri($1) }
        default: break
        }
        for keys in [[StratumKey.decade], [.round, .decade], [.category]] {
            let result = try SamplerTests.run(records) {
                $0.n = 150; $0.seed = seed; $0.stratify = keys.map(\.name).joined(separator: ",")
            }
            let expected = try SamplerTests.bruteForce(records, seed: seed, keys: keys, total: 150)
            #expect(SamplerTests.ids(result.lines) == expected, "order \(order), keys \(keys)")
        }
    }

    @Test func unstratifiedFixedSizeMatchesBottomK() throws {
        let records = SamplerTests.records(1000)
        let result = try SamplerTests.run(records) { $0.n = 37; $0.seed = 3 }
        #expect(SamplerTests.ids(result.lines) == (try SamplerTests.bruteForce(records, seed: 3, keys: [], total: 37)))
        // Unknown fields pass through unchanged, keys sorted.
        #expect(result.lines[0].contains("\"extra_field\":{\"kept\":"))
    }

    @Test func fractionIsExactAfterRounding() throws {
        let records = SamplerTests.records(1001)
        let result = try SamplerTests.run(records) { $0.fraction = 0.1; $0.seed = 5 }
        // round(0.1 × 1001) = round(100.1) = 100.
        #expect(result.lines.count == 100)
        #expect(SamplerTests.ids(result.lines) == (try SamplerTests.bruteForce(records, seed: 5, keys: [], total: 100)))
        let strat = try SamplerTests.run(records) { $0.fraction = 0.25; $0.seed = 5; $0.stratify = "round" }
        #expect(strat.lines.count == 250)
    }

    @Test func shuffleKeepsTheSetAndChangesTheOrder() throws {
        let records = SamplerTests.records(500)
        let plain = try SamplerTests.run(records) { $0.n = 50; $0.seed = 9 }
        let shuffled = try SamplerTests.run(records) { $0.n = 50; $0.seed = 9; $0.shuffle = true }
        #expect(Set(plain.lines) == Set(shuffled.lines))
        #expect(plain.lines != shuffled.lines)
    }

    @Test func repeatedIdsAreNeverSampledTwice() throws {
        let records = SamplerTests.records(200)
        let doubled = records + records
        let result = try SamplerTests.run(doubled) { $0.n = 200; $0.seed = 1 }
        #expect(Set(SamplerTests.ids(result.lines)).count == 200)
        #expect(result.report.duplicates == 200)
    }

    @Test func poolIsDisjointFromSample() throws {
        let records = SamplerTests.records(400)
        let result = try SamplerTests.run(records) { $0.n = 100; $0.split = 20; $0.pool = "pool"; $0.seed = 2; $0.stratify = "round" }
        #expect(result.pool.count == 20)
        #expect(result.lines.count == 100)
        #expect(Set(SamplerTests.ids(result.pool)).isDisjoint(with: SamplerTests.ids(result.lines)))
        #expect(result.report.plan.contains { $0.hasPrefix("sample: 100 of 380 records in 3 strata") })
    }

    @Test func marginUsesTheEligibleCount() throws {
        let records = SamplerTests.records(1000)
        let result = try SamplerTests.run(records) { $0.margin = 0.05; $0.seed = 4; $0.stratify = "round" }
        // Cochran with N = 1000: 384.146 / (1 + 383.146 / 1000) = 277.73 → 278.
        #expect(result.lines.count == 278)
        #expect(result.report.notes.first?.hasPrefix("sample size 278 by Cochran's formula") == true)
    }

    @Test func errors() throws {
        let records = SamplerTests.records(10)
        #expect(throws: JBError.usage("impossible sample size: -n 11 but only 10 eligible records")) {
            try SamplerTests.run(records) { $0.n = 11 }
        }
        #expect(throws: JBError.self) { try SamplerTests.run(records) { $0.n = 5; $0.stratify = "colour" } }
        var bad = records
        bad[3]["clue"] = nil
        do {
            _ = try SamplerTests.run(bad) { $0.n = 5 }
            Issue.record("expected an error")
        } catch let JBError.badRecord(_, line, message) {
            #expect(line == 4)
            #expect(message == "missing field \"clue\"")
        }
    }
}
