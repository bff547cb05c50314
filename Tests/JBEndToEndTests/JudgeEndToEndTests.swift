import Foundation
import JBCore
import JBTestSupport
import Testing

/// `jb-grade --judge MODEL` with a real (fake) model behind jb-query's client.
@Suite(.tools) struct JudgeEndToEndTests {
    @Test func greyBandCasesGoToTheJudgeModelOverHTTP() async throws {
        let server = try FakeOpenRouter { _ in .answer(text: "CORRECT\nThe reply names the same thing.") }
        defer { server.stop() }
        let input = ToolRunner.packageRoot.appendingPathComponent("Tests/JBEndToEndTests/Golden/jb-grade/lenient-rules/stdin.jsonl")
        let stdin = try Data(contentsOf: input)
        let r = try await ToolRunner.runAsync("jb-grade", ["--judge", "test/judge-model", "--judge-band", "0:1",
                                                           "--no-cache", "--lexicon", "none"],
                                              stdin: stdin, environment: ["OPENROUTER_BASE_URL": server.baseURL,
                                                                          "OPENROUTER_API_KEY": "sk-or-v1-judge-secret-123456"])
        #expect(r.status == 0, "\(r)")
        var judged = 0
        for line in r.lines {
            guard case .object(let o) = try JSONParser.parse(line), case .object(let g)? = o["grade"] else { continue }
            if case .object(let j)? = g["judge"] {
                judged += 1
                #expect(j["model"] == .string("test/judge-model"))
                #expect(j["verdict"] == .string("correct"))
                #expect(g["correct"] == .bool(true))
            }
        }
        #expect(judged > 0)
        #expect(judged == server.requestCount, "one request per judged case")
        #expect(!r.output.contains("judge-secret") && !r.stderr.contains("judge-secret"))
    }
    var lenientInput: Data {
        get throws {
            try Data(contentsOf: ToolRunner.packageRoot.appendingPathComponent("Tests/JBEndToEndTests/Golden/jb-grade/lenient-rules/stdin.jsonl"))
        }
    }

    func grades(_ r: RunResult) throws -> [JSONObject] {
        try r.lines.map { line in
            let o = try #require(try JSONParser.parse(line).objectValue)
            return try #require(o["grade"]?.objectValue)
        }
    }

    /// A reply that is not a completion (truncated JSON, status 200) is asked again like a
    /// 5xx, instead of stopping the run (issue 20); a server that is not OpenRouter gets no
    /// OpenRouter key.
    @Test func aMalformedJudgeReplyIsAskedAgain() async throws {
        let broken = JudgeReplyCounter()
        let server = try FakeOpenRouter { _ in
            broken.next() <= 2 ? .body200("{\"choices\":[{\"message\":{\"content\":\"CORR") : .answer(text: "CORRECT\nSame thing.")
        }
        defer { server.stop() }
        let stdin = try lenientInput
        let r = try await ToolRunner.runAsync("jb-grade", ["--judge", "test/judge-model", "--judge-band", "0:1", "--no-cache",
                                                           "--lexicon", "none", "--base-url", server.baseURL],
                                              stdin: stdin, environment: ["OPENROUTER_API_KEY": "sk-or-v1-judge-secret-123456"])
        #expect(r.status == 0, "\(r)")
        let g = try grades(r)
        #expect(g.count == stdin.split(separator: 0x0A).count)
        let judged = g.filter { $0["decided_by"] == "judge" }
        #expect(!judged.isEmpty)
        #expect(server.requestCount == judged.count + 2, "each malformed reply asked once more")
        #expect(server.requests.allSatisfy { $0.authorization == nil })
    }

    /// An unreachable judge: every record is graded and written, the rules settle what they
    /// can, the grey-band cases say `decided_by: unsettled` with the reason, and the exit
    /// status is 69 (issue 21).
    @Test func anUnreachableJudgeWritesEveryGradeAndExits69() async throws {
        let stdin = try lenientInput
        let r = try await ToolRunner.runAsync("jb-grade", ["--judge", "test/judge-model", "--no-cache", "--lexicon", "none",
                                                           "--base-url", "http://127.0.0.1:9/v1"], stdin: stdin)
        #expect(r.status == 69, "\(r)")
        let g = try grades(r)
        #expect(g.count == stdin.split(separator: 0x0A).count, "every grade is written")
        let unsettled = g.filter { $0["decided_by"] == "unsettled" }
        #expect(!unsettled.isEmpty)
        #expect(g.filter { $0["decided_by"] == "rules" }.count + unsettled.count == g.count)
        for u in unsettled {
            let j = try #require(u["judge"]?.objectValue)
            #expect(j["verdict"] == "failed")
            #expect(j["error"]?.stringValue?.hasPrefix("judge test/judge-model: ") == true)
        }
        #expect(r.stderr.contains("every grade was written, but \(unsettled.count) grey-band case"), "\(r.stderr)")
    }
}

/// A thread-safe counter for fake-server behaviours.
final class JudgeReplyCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    /// 1, 2, 3, … on successive calls.
    func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}
