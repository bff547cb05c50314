import JBCore
import Testing
@testable import JBSample

@Suite struct SampleSettingsTests {
    func usage(_ set: (inout UncheckedSampleSettings) -> Void) -> String? {
        var f = UncheckedSampleSettings()
        set(&f)
        do {
            _ = try f.checked()
            return nil
        } catch let e as JBError {
            guard case .usage(let m) = e else { return "not a usage error: \(e)" }
            return m
        } catch {
            return "\(error)"
        }
    }

    @Test func marginOutsideZeroOne() {
        #expect(usage { $0.margin = 1.5 } == "--margin 1.5: expected a number between 0 and 1 (exclusive)")
        #expect(usage { $0.margin = 0 } == "--margin 0: expected a number between 0 and 1 (exclusive)")
        #expect(usage { $0.margin = 0.03; $0.confidence = 95 } == "--confidence 95: expected a number between 0 and 1 (exclusive)")
        #expect(usage { $0.margin = 0.03 } == nil)
    }

    @Test func impossibleSizes() {
        #expect(usage { $0.n = 0 } == "impossible sample size: -n 0 (expected at least 1)")
        #expect(usage { $0.fraction = 1.5 } == "impossible sample size: --fraction 1.5 (expected more than 0 and at most 1)")
        #expect(usage { $0.stratify = "round"; $0.perStratum = 0 } == "impossible sample size: --per-stratum 0 (expected at least 1)")
    }

    @Test func conflictingAndDanglingFlags() {
        #expect(usage { $0.n = 5; $0.fraction = 0.1 } == "-n and --fraction cannot be combined: give one way to size the sample")
        #expect(usage { $0.detect = 0.05 } == "--detect needs --power")
        #expect(usage { $0.power = true } == "--power needs --detect D, the accuracy difference to detect (e.g. 0.05)")
        #expect(usage { $0.perStratum = 3 } == "--per-stratum needs --stratify")
        #expect(usage { $0.stratify = "round" } == "--stratify needs a sample size (-n, --fraction, --per-stratum, --margin or --power)")
        #expect(usage { $0.n = 5; $0.split = 3 } == "--split needs --pool FILE, where the few-shot pool is written")
        #expect(usage { $0.n = 5; $0.pool = "p.jsonl" } == "--pool needs --split K, the size of the few-shot pool")
        #expect(usage { $0.power = true; $0.detect = 0.3; $0.discordance = 0.2 }?.hasPrefix("--discordance 0.2: expected more than --detect 0.3") == true)
    }

    @Test func shardParsing() throws {
        #expect(try Shard(parsing: "2/4") == Shard(parsing: "2/4"))
        #expect(try Shard(parsing: "4/4").index == 4)
        for bad in ["0/4", "5/4", "1", "a/b", "1/0"] {
            #expect(throws: JBError.self) { try Shard(parsing: bad) }
        }
    }

    @Test func shardByZeroBasedIndex() throws {
        // A scheduler's index (0…N−1) names the same shard as the 1-based form.
        #expect(try Shard(parsing: "0/4", zeroBased: true) == Shard(parsing: "1/4"))
        #expect(try Shard(parsing: "3/4", zeroBased: true) == Shard(parsing: "4/4"))
        for bad in ["4/4", "-1/4", "1", "a/b", "0/0"] {
            #expect(throws: JBError.self) { try Shard(parsing: bad, zeroBased: true) }
        }
        var f = UncheckedSampleSettings()
        f.shardIndex = "2/3"
        #expect(try f.checked().shard == Shard(parsing: "3/3"))
        f.shard = "1/3"
        #expect(throws: JBError.self) { try f.checked() }
        var e = UncheckedSampleSettings()
        e.shardEnvironment = "0/3"
        #expect(try e.checked().shard == Shard(parsing: "1/3"))
        e.shard = "2/3"
        #expect(try e.checked().shard == Shard(parsing: "2/3"), "a flag overrides JB_SHARD")
        e.shard = nil
        e.shardEnvironment = "3/3"
        do {
            _ = try e.checked()
            Issue.record("JB_SHARD=3/3 was accepted")
        } catch let error as JBError {
            #expect(error.message.contains("JB_SHARD"))
        }
    }

    @Test func powerDefaults() throws {
        var f = UncheckedSampleSettings()
        f.power = true
        f.detect = 0.05
        let c = try f.checked()
        guard case .power(let detect, let alpha, let power, let psi) = c.size else {
            Issue.record("expected a power size, got \(c.size)")
            return
        }
        #expect(detect == 0.05 && alpha == 0.05 && power == 0.8)
        #expect(abs(psi - 0.50125) < 1e-12)
    }
}
