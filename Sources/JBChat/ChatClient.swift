import Foundation
import JBCore
import JBHTTP

/// Talks to an OpenAI-compatible chat-completions endpoint: builds the request body for the
/// server's dialect, and reads replies, error bodies and server-sent event streams with the
/// leniency real traffic needs (leading whitespace, errors inside 200 bodies, comment lines).
public struct ChatClient: Sendable {
    /// The server's dialect.
    public var provider: any ChatProvider
    /// E.g. `https://openrouter.ai/api/v1`.
    public var baseURL: String
    public var apiKey: String?
    public var client: any StreamingHTTPClient
    /// Seconds one attempt may take, start to last byte.
    public var timeout: Double
    public var stream: Bool

    public init(provider: any ChatProvider, baseURL: String, apiKey: String?, client: any StreamingHTTPClient,
                timeout: Double, stream: Bool) {
        self.provider = provider
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.client = client
        self.timeout = timeout
        self.stream = stream
    }

    /// The JSON request body: only the fields this server's dialect accepts.
    public func body(model: String, messages: [ChatMessage], params: GenerationParams) -> JSONObject {
        var o: JSONObject = ["model": .string(model), "messages": .array(messages.map(\.json))]
        for (k, v) in params.json { o[k] = v }
        if stream {
            o["stream"] = true
            // Needed by OpenAI, Ollama and vLLM for usage in streams; harmless on OpenRouter.
            o["stream_options"] = ["include_usage": true]
        }
        provider.adapt(&o)
        return o
    }

    /// The headers of every request (the key only here, never in a message).
    func headers() -> [(String, String)] {
        var h = [("Content-Type", "application/json"), ("Accept", stream ? "text/event-stream" : "application/json")]
        if let apiKey, !apiKey.isEmpty { h.append(("Authorization", "Bearer \(apiKey)")) }
        h.append(contentsOf: provider.extraHeaders)
        return h
    }

    /// One HTTP attempt, bounded by `timeout`.
    public func attempt(model: String, messages: [ChatMessage], params: GenerationParams) async -> Result<Completion, AttemptFailure> {
        var bodyBytes: [UInt8] = []
        JSONSerializer.writeObject(body(model: model, messages: messages, params: params), into: &bodyBytes)
        let spec = HTTPRequestSpec(method: "POST", url: baseURL + "/chat/completions", headers: headers(),
                                   body: Data(bodyBytes), timeout: timeout)
        // A client that ends the exchange after `timeout` itself needs no timer task here.
        if client.boundsWholeExchange { return await exchange(spec) }
        let timeout = self.timeout
        return await withTaskGroup(of: Result<Completion, AttemptFailure>?.self) { group in
            group.addTask { await self.exchange(spec) }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
                if Task.isCancelled { return nil }
                return .failure(AttemptFailure(status: nil, message: "timed out after \(ChatClient.seconds(timeout))", kind: .retryable))
            }
            var first: Result<Completion, AttemptFailure>?
            while let r = await group.next() {
                if let r { first = r; break }
                if Task.isCancelled { break }
            }
            group.cancelAll()
            return first ?? .failure(AttemptFailure(status: nil, message: "cancelled", kind: .retryable))
        }
    }

    /// Seconds as said in messages: `10 s`, `2.5 s`.
    public static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }

    private func exchange(_ spec: HTTPRequestSpec) async -> Result<Completion, AttemptFailure> {
        let start = ContinuousClock.now
        do {
            if !stream {
                let r = try await client.send(spec)
                return ChatClient.parse(status: r.status, headers: r.headers, body: r.body)
            }
            let response = try await client.stream(spec)
            let isSSE = (response.headers["content-type"] ?? "").contains("text/event-stream")
            if stream && isSSE && (200..<300).contains(response.status) {
                var parser = SSEAssembler()
                for try await piece in response.body {
                    try Task.checkCancellation()
                    if parser.feed(piece, now: ContinuousClock.now, start: start) { break }
                }
                return parser.finish()
            }
            var body = Data()
            for try await piece in response.body {
                body.append(piece)
                if body.count > 16 << 20 { break }
            }
            return ChatClient.parse(status: response.status, headers: response.headers, body: body)
        } catch let e as JBError {
            // An untrusted certificate fails every request alike: stop the run, as for a bad key.
            if case .untrusted = e { return .failure(AttemptFailure(status: nil, message: e.message, kind: .fatal)) }
            return .failure(AttemptFailure(status: nil, message: e.message, kind: .retryable))
        } catch is CancellationError {
            return .failure(AttemptFailure(status: nil, message: "cancelled", kind: .retryable))
        } catch {
            return .failure(AttemptFailure(status: nil, message: "request failed", kind: .retryable))
        }
    }

    /// Reads a whole (non-streamed) response: a completion, or why it is not one.
    public static func parse(status: Int, headers: [String: String], body: Data) -> Result<Completion, AttemptFailure> {
        let retryAfter = headers["retry-after"].flatMap(parseRetryAfter)
        let value = try? JSONParser.parse(body)
        guard (200..<300).contains(status) else {
            var f = errorFailure(value?.objectValue, status: status, retryAfter: retryAfter)
            if value == nil {
                let snippet = String(decoding: body.prefix(120), as: UTF8.self).trimmingASCIISpace()
                f.message = Redactor.shared.redact("HTTP \(status)" + (snippet.isEmpty ? "" : ": " + snippet))
            }
            return .failure(f)
        }
        guard let o = value?.objectValue else {
            let what = body.isEmpty ? "empty response body" : "response body is not valid JSON (truncated or malformed)"
            return .failure(AttemptFailure(status: status, message: what, kind: .retryable))
        }
        if let e = o["error"], !e.isNull {
            return .failure(errorFailure(o, status: nil, retryAfter: retryAfter))
        }
        guard let choices = o["choices"]?.arrayValue, let choice = choices.first?.objectValue else {
            return .failure(AttemptFailure(status: status, message: "response has no choices", kind: .retryable))
        }
        if let e = choice["error"]?.objectValue {
            return .failure(errorFailure(["error": .object(e)], status: nil, retryAfter: retryAfter))
        }
        let finish = choice["finish_reason"]?.stringValue
        if finish == "error" {
            return .failure(AttemptFailure(status: nil, message: "the provider failed while generating", kind: .retryable))
        }
        let message = choice["message"]?.objectValue ?? [:]
        var c = Completion(text: contentText(message["content"]), finishReason: finish)
        c.upstreamProvider = o["provider"]?.stringValue
        c.reportedModel = o["model"]?.stringValue
        readUsage(o["usage"]?.objectValue, into: &c)
        return .success(c)
    }

    static func contentText(_ v: JSON?) -> String {
        switch v {
        case .string(let s)?: return s
        case .array(let parts)?:
            return parts.compactMap { $0.objectValue?["text"]?.stringValue }.joined()
        default: return ""
        }
    }

    static func readUsage(_ u: JSONObject?, into c: inout Completion) {
        guard let u else { return }
        if let p = u["prompt_tokens"]?.intValue { c.promptTokens = p }
        if let p = u["completion_tokens"]?.intValue { c.completionTokens = p }
        if let cost = u["cost"]?.doubleValue { c.apiCost = cost }
    }

    /// A failure from an error body; the status comes from HTTP, else from `error.code`.
    static func errorFailure(_ o: JSONObject?, status: Int?, retryAfter: Double?) -> AttemptFailure {
        let e = o?["error"]?.objectValue
        let code = e?["code"] ?? .null
        var effective = status
        if effective == nil {
            effective = code.intValue ?? code.stringValue.flatMap { Int($0) } ?? e?["http_status"]?.intValue
        }
        let message = e?["message"]?.stringValue ?? o?["message"]?.stringValue
            ?? (o?["error"]?.stringValue) ?? "HTTP \(effective.map(String.init) ?? "error")"
        var kind = AttemptFailure.kind(status: effective ?? 502)
        var wait = retryAfter
        if let a = e?["availability"]?.objectValue {
            if let r = a["retryable"]?.boolValue, kind != .fatal { kind = r ? .retryable : .permanent }
            if wait == nil { wait = a["retry_after"]?.doubleValue }
        }
        // A daily free-model cap does not clear until its reset time: stop the run.
        let lower = message.lowercased()
        if effective == 429 && (lower.contains("per-day") || lower.contains("per day") || lower.contains("daily")) {
            kind = .fatal
        }
        return AttemptFailure(status: effective, code: code, message: message, kind: kind, retryAfter: wait)
    }

    /// `Retry-After` in seconds (delta-seconds or an HTTP date).
    public static func parseRetryAfter(_ text: String) -> Double? {
        let t = text.trimmingASCIISpace()
        if let s = Double(t), s.isFinite, s >= 0 { return s }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let d = f.date(from: t) { return max(0, d.timeIntervalSinceNow) }
        return nil
    }
}
