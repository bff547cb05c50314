import Foundation
import JBCore
import JBTestSupport
import Testing

/// `jb-grade --judge MODEL` with a real (fake) model behind jb-query's client.
@Suite struct JudgeEndToEndTests {
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
}
