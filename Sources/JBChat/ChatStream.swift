import Foundation
import JBCore

/// Splits a `text/event-stream` body into events: buffers across network reads, skips
/// comment lines (`: OPENROUTER PROCESSING`), joins multi-line `data:` fields with `\n`.
public struct SSEParser: Sendable {
    private var buffer: [UInt8] = []
    private var data: [String] = []

    public init() {}

    /// Feeds bytes; returns the `data` payloads of the events completed by them.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        buffer.append(contentsOf: bytes)
        var events: [String] = []
        var start = 0
        while let nl = buffer[start...].firstIndex(of: 0x0A) {
            var end = nl
            if end > start && buffer[end - 1] == 0x0D { end -= 1 }
            let line = buffer[start..<end]
            start = nl + 1
            if line.isEmpty {
                if !data.isEmpty { events.append(data.joined(separator: "\n")) }
                data.removeAll()
            } else if line.first == UInt8(ascii: ":") {
                continue
            } else {
                let text = String(decoding: line, as: UTF8.self)
                if text.hasPrefix("data:") {
                    var v = text.dropFirst(5)
                    if v.first == " " { v = v.dropFirst() }
                    data.append(String(v))
                }
                // `event:`, `id:`, `retry:` carry nothing the chat API uses.
            }
        }
        buffer.removeFirst(start)
        return events
    }
}

/// Builds a completion from a streamed chat response: text from deltas, the last non-null
/// `finish_reason`, usage from whichever chunk carries it, time to first token, and errors
/// sent as events after tokens began.
struct SSEAssembler {
    private var parser = SSEParser()
    private var text = ""
    private var finishReason: String?
    private var provider: String?
    private var model: String?
    private var completion = Completion(text: "")
    private var ttft: Int?
    private var failure: AttemptFailure?
    private var done = false

    /// Feeds a network read; true when the stream is over (`[DONE]` or an error event).
    mutating func feed(_ data: Data, now: ContinuousClock.Instant, start: ContinuousClock.Instant) -> Bool {
        for payload in parser.feed(data) {
            if payload.trimmingASCIISpace() == "[DONE]" { done = true; return true }
            guard let o = try? JSONParser.parse(payload).objectValue else {
                failure = AttemptFailure(status: 200, message: "malformed event in the response stream", kind: .retryable)
                return true
            }
            if let e = o["error"], !e.isNull {
                var f = ChatClient.errorFailure(o, status: nil, retryAfter: nil)
                f.message = "error after the stream began: " + f.message
                failure = f
                return true
            }
            if let p = o["provider"]?.stringValue { provider = p }
            if let m = o["model"]?.stringValue, !m.isEmpty { model = m }
            if let choice = o["choices"]?.arrayValue?.first?.objectValue {
                if let e = choice["error"]?.objectValue {
                    failure = ChatClient.errorFailure(["error": .object(e)], status: nil, retryAfter: nil)
                    return true
                }
                if let delta = choice["delta"]?.objectValue {
                    let piece = ChatClient.contentText(delta["content"])
                    let thinking = delta["reasoning"]?.stringValue ?? ""
                    if ttft == nil && (!piece.isEmpty || !thinking.isEmpty) {
                        let d = now - start
                        ttft = Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
                    }
                    text += piece
                }
                if let f = choice["finish_reason"]?.stringValue { finishReason = f }
            }
            ChatClient.readUsage(o["usage"]?.objectValue, into: &completion)
        }
        return false
    }

    /// The completion, or the failure the stream ended with.
    func finish() -> Result<Completion, AttemptFailure> {
        if let failure { return .failure(failure) }
        if finishReason == "error" {
            return .failure(AttemptFailure(status: nil, message: "the provider failed while generating", kind: .retryable))
        }
        guard done || finishReason != nil else {
            return .failure(AttemptFailure(status: 200, message: "the response stream ended early", kind: .retryable))
        }
        var c = completion
        c.text = text
        c.finishReason = finishReason
        c.upstreamProvider = provider
        c.reportedModel = model
        c.ttftMs = ttft
        return .success(c)
    }
}
