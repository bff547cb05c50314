import Foundation
import JBCore
import JBTestSupport
import Testing
@testable import JBChat

@Suite struct ChatStreamTests {
    /// Rebuilds wire bytes from a fixture transcript (see the fixtures' README), one network
    /// read per item.
    func wireReads(_ path: URL) throws -> [Data] {
        var reads: [Data] = []
        var pendingText = ""
        for line in try String(contentsOf: path, encoding: .utf8).split(separator: "\n") {
            let o = try JSONParser.parse(String(line)).objectValue!
            if let c = o["comment"]?.stringValue { reads.append(Data(c.utf8)) }
            if let j = o["json"] { reads.append(Data(("data: " + JSONSerializer.string(j) + "\n\n").utf8)) }
            if let t = o["text"]?.stringValue {
                // Fragments of one event: the first carries "data: ", the last the blank line.
                let start = pendingText.isEmpty ? "data: " : ""
                pendingText += t
                let complete = (try? JSONParser.parse(pendingText)) != nil || pendingText == "[DONE]"
                reads.append(Data((start + t + (complete && !t.hasSuffix("\n\n") ? "\n\n" : "")).utf8))
                if complete { pendingText = "" }
            }
        }
        return reads
    }

    func assemble(_ reads: [Data]) -> Result<Completion, AttemptFailure> {
        var a = SSEAssembler()
        let start = ContinuousClock.now
        for r in reads { if a.feed(r, now: .now, start: start) { break } }
        return a.finish()
    }

    @Test(.enabled(if: SharedData.file("fixtures/openrouter/stream/sonnet37-plain.events.jsonl") != nil, "needs ../shared/fixtures/openrouter/stream/sonnet37-plain.events.jsonl"))
    func realStreamWithCommentAndSeparateUsageChunk() throws {
        let url = try #require(SharedData.file("fixtures/openrouter/stream/sonnet37-plain.events.jsonl"))
        let c = try assemble(try wireReads(url)).get()
        #expect(c.text == #"You used 3,693 letter "a"s in your previous message."#)
        #expect(c.finishReason == "stop")
        #expect(c.promptTokens == 1421 && c.completionTokens == 20)
        #expect(c.apiCost == 0.004563)
        #expect(c.ttftMs != nil)
    }

    @Test(.enabled(if: SharedData.file("fixtures/openrouter/stream/sonnet45-split-frames.events.jsonl") != nil, "needs ../shared/fixtures/openrouter/stream/sonnet45-split-frames.events.jsonl"))
    func realStreamSplitAcrossReads() throws {
        let url = try #require(SharedData.file("fixtures/openrouter/stream/sonnet45-split-frames.events.jsonl"))
        let c = try assemble(try wireReads(url)).get()
        #expect(!c.text.isEmpty && c.finishReason == "stop")
    }

    @Test(.enabled(if: SharedData.file("fixtures/openrouter/stream/sonnet45-reasoning.events.jsonl") != nil, "needs ../shared/fixtures/openrouter/stream/sonnet45-reasoning.events.jsonl"))
    func reasoningStreamKeepsReasoningOutOfTheText() throws {
        let url = try #require(SharedData.file("fixtures/openrouter/stream/sonnet45-reasoning.events.jsonl"))
        let c = try assemble(try wireReads(url)).get()
        #expect(c.finishReason == "stop")
        #expect(c.completionTokens != nil)
    }

    @Test func byteByByteFeedingGivesTheSameEvents() {
        let wire = ": OPENROUTER PROCESSING\r\n\r\ndata: {\"a\":1}\r\n\r\ndata: line1\ndata: line2\n\n: ping\n\ndata: [DONE]\n\n"
        var p = SSEParser()
        var events: [String] = []
        for b in Array(wire.utf8) { events += p.feed([b]) }
        #expect(events == ["{\"a\":1}", "line1\nline2", "[DONE]"])
    }

    @Test func midStreamErrorsAndEarlyEndsFail() {
        let err = Data(("data: {\"choices\":[{\"delta\":{\"content\":\"Wha\"}}]}\n\n"
            + "data: {\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\"},\"choices\":[{\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n").utf8)
        let f = assemble([err]).failure!
        #expect(f.status == 429 && f.kind == .retryable)
        let early = assemble([Data("data: {\"choices\":[{\"delta\":{\"content\":\"Wha\"}}]}\n\n".utf8)]).failure!
        #expect(early.message.contains("ended early"))
    }
}
