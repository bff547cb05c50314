import Foundation
import JBTestSupport
import Testing

/// jb-grade end to end, beyond the golden files: the judge cache across runs, diff of two
/// real gradings, and the dev set when the shared data is present.
@Suite(.tools) struct GradeEndToEndTests {
    static let responses = """
        {"id":"a","model":"m","epoch":1,"answer":"Uruguay","clue":"Montevideo is its capital","response_text":"What is Paraguay?","error":null}
        {"id":"b","model":"m","epoch":1,"answer":"Henry VIII","clue":"He had six wives","response_text":"Who is Henry the Eighth?","error":null}
        {"id":"c","model":"m","epoch":1,"answer":"Connecticut","clue":"Hartford","response_text":"Conneticut","error":null}

        """

    @Test func judgeVerdictsAreCachedAcrossRuns() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let args = ["--judge", "sim/judge", "--judge-band", "0:0.99", "--lexicon", "none", "--cache-dir", dir.path]
        let first = try ToolRunner.run("jb-grade", args, input: Self.responses)
        #expect(first.status == 0, "\(first)")
        #expect(first.stderr.contains("judged (0 from cache)"), "\(first)")
        let cacheText = try String(contentsOf: dir.appendingPathComponent("judge.jsonl"), encoding: .utf8)
        let judged = cacheText.split(separator: "\n").count
        #expect(judged >= 1)
        let second = try ToolRunner.run("jb-grade", args, input: Self.responses)
        #expect(second.stdout == first.stdout, "\(second)")
        #expect(second.stderr.contains("\(judged) judged (\(judged) from cache)"), "\(second)")
        for line in first.lines where line.contains("\"method\":\"judge\"") {
            #expect(line.contains("\"prompt_hash\""))
            #expect(line.contains("\"model\":\"sim/judge\""))
        }
    }

    /// In a pipeline fed by a slow stage, each grade goes on to the next stage while jb-grade
    /// waits for the next response, not when 64 KB have piled up or the input ends.
    @Test func eachGradeIsPassedOnWhileTheNextResponseIsAwaited() throws {
        let p = Process()
        p.executableURL = ToolRunner.binDirectory.appendingPathComponent("jb-grade")
        p.arguments = ["--lexicon", "none"]
        p.environment = ToolRunner.environment()
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        let first = Self.responses.split(separator: "\n")[0] + "\n"
        try input.fileHandleForWriting.write(contentsOf: Data(first.utf8))
        let got = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var line = Data()
        let reader = output.fileHandleForReading
        DispatchQueue.global().async {
            while !line.contains(0x0A) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                line += chunk
            }
            got.signal()
        }
        let inTime = got.wait(timeout: .now() + 20) == .success
        // Only now does the input end.
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        if !inTime { got.wait() }
        #expect(inTime, "the first grade came only when the input ended")
        #expect(String(decoding: line, as: UTF8.self).contains(#""id":"a""#))
        #expect(p.terminationStatus == 0)
    }

    @Test func diffShowsFlipsBetweenModes() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let strict = try ToolRunner.run("jb-grade", ["--mode", "strict", "--lexicon", "none"], input: Self.responses)
        let lenient = try ToolRunner.run("jb-grade", ["--mode", "lenient", "--lexicon", "none"], input: Self.responses)
        try strict.stdout.write(to: dir.appendingPathComponent("old.jsonl"))
        try lenient.stdout.write(to: dir.appendingPathComponent("new.jsonl"))
        let diff = try ToolRunner.run("jb-grade", ["diff", "old.jsonl", "new.jsonl"], directory: dir)
        #expect(diff.status == 0, "\(diff)")
        #expect(diff.lines.count == 2, "\(diff)")  // b (number) and c (fuzzy) flip to correct
        #expect(diff.stderr.contains("3 matched, 2 flipped (2 now correct"), "\(diff)")
    }

    @Test(.enabled(if: SharedData.file("data/grading/dev.jsonl") != nil, "needs ../shared/data/grading/dev.jsonl"))
    func devSetAgreementInLenientMode() throws {
        let dev = try #require(SharedData.file("data/grading/dev.jsonl"))
        // Convert the dev fields to response records.
        var input = ""
        var labels: [Bool] = []
        for line in try String(contentsOf: dev, encoding: .utf8).split(separator: "\n") {
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            let record: [String: Any] = ["id": o["id"]!, "model": "dev", "answer": o["correct_answer"]!, "clue": o["clue"]!,
                                         "category": o["category"]!, "response_text": o["response"]!]
            input += String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self) + "\n"
            labels.append(o["correct"] as! Bool)
        }
        let run = try ToolRunner.run("jb-grade", ["--lexicon", "none"], input: input)
        #expect(run.status == 0, "\(run)")
        var agree = 0
        for (line, label) in zip(run.lines, labels) where line.contains("\"correct\":\(label)") { agree += 1 }
        // Without WordNet the aliases are out of reach; the rules alone still agree on >= 95%.
        #expect(Double(agree) / Double(labels.count) >= 0.95, "agreement \(agree)/\(labels.count)")
    }
}
