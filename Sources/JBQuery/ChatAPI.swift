import Foundation
import JBCore
import JBHTTP

/// Which dialect of the chat-completions API a server speaks.
public enum APIFlavor: String, Sendable, CaseIterable {
    /// OpenRouter: gets its own fields (`plugins`, `provider`) and reports `usage.cost`.
    case openrouter
    /// Any other OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp): standard fields only.
    case openaiCompatible = "openai-compatible"

    /// The dialect a base URL speaks when `--api` does not say: OpenRouter for openrouter.ai
    /// (`Endpoint.isOpenRouter`), else the standard one.
    public static func guess(baseURL: String) -> APIFlavor {
        Endpoint.isOpenRouter(baseURL) ? .openrouter : .openaiCompatible
    }
}

/// A model's reply, from the API or the simulator.
public struct Completion: Sendable, Equatable {
    public var text: String
    public var finishReason: String?
    public var upstreamProvider: String?
    /// The `model` the server said answered (a fallback, a dated version, or whatever name a
    /// local server gives its one model); nil when it did not say.
    public var reportedModel: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// `usage.cost`, when the API reported it.
    public var apiCost: Double?
    public var ttftMs: Int?
    /// The simulator's latency (it does not have to wait for it).
    public var simulatedLatencyMs: Int?
}

/// Why one attempt failed, and what to do about it.
public struct AttemptFailure: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Worth another attempt (408, 429, 5xx, network errors, timeouts, broken bodies).
        case retryable
        /// Asking again would give the same answer (400, 403, 404, …): record the error.
        case permanent
        /// Nothing more can succeed in this run (401 bad key, 402 no credits, daily cap).
        case fatal
    }
    public var status: Int?
    /// `error.code` as the server sent it: a number, a string, or null.
    public var code: JSON
    public var message: String
    public var kind: Kind
    /// Seconds the server asked us to wait (`Retry-After`).
    public var retryAfter: Double?
    /// The simulator's latency for this failed attempt.
    public var simulatedLatencyMs: Int?

    public init(status: Int?, code: JSON = .null, message: String, kind: Kind, retryAfter: Double? = nil) {
        self.status = status
        self.code = code
        self.message = Redactor.shared.redact(message)
        self.kind = kind
        self.retryAfter = retryAfter
    }

    /// The kind an HTTP status calls for.
    public static func kind(status: Int?) -> Kind {
        guard let s = status else { return .retryable }
        switch s {
        case 401, 402: return .fatal
        case 408, 409, 425, 429, 500...599: return .retryable
        default: return .permanent
        }
    }

    /// The `error` object of a response record.
    public var failure: Response.Failure { Response.Failure(status: status, code: code, message: message) }
}

/// Talks to an OpenAI-compatible chat-completions endpoint: builds the request body for the
/// server's dialect, and reads replies, error bodies and server-sent event streams with the
/// leniency real traffic needs (leading whitespace, errors inside 200 bodies, comment lines).
public struct ChatAPI: Sendable {
    public var flavor: APIFlavor
    /// E.g. `https://openrouter.ai/api/v1`.
    public var baseURL: String
    public var apiKey: String?
    public var client: any StreamingHTTPClient
    /// Seconds one attempt may take, start to last byte.
    public var timeout: Double
    public var stream: Bool
    /// OpenRouter only: route only to providers that honour every parameter sent.
    public var requireParameters: Bool

    public init(flavor: APIFlavor, baseURL: String, apiKey: String?, client: any StreamingHTTPClient,
                timeout: Double, stream: Bool, requireParameters: Bool = false) {
        self.flavor = flavor
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.client = client
        self.timeout = timeout
        self.stream = stream
        self.requireParameters = requireParameters
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
        if flavor == .openrouter {
            // Never let OpenRouter silently compress (truncate) a prompt.
            o["plugins"] = [["id": "context-compression", "enabled": false]]
            if requireParameters { o["provider"] = ["require_parameters": true] }
        }
        return o
    }

    /// The headers of every request (the key only here, never in a message).
    func headers() -> [(String, String)] {
        var h = [("Content-Type", "application/json"), ("Accept", stream ? "text/event-stream" : "application/json")]
        if let apiKey, !apiKey.isEmpty { h.append(("Authorization", "Bearer \(apiKey)")) }
        if flavor == .openrouter {
            h.append(("HTTP-Referer", "https://github.com/jb-bench/jb"))
            h.append(("X-Title", "jb"))
        }
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
                return .failure(AttemptFailure(status: nil, message: "timed out after \(ChatAPI.seconds(timeout))", kind: .retryable))
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

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }

    private func exchange(_ spec: HTTPRequestSpec) async -> Result<Completion, AttemptFailure> {
        let start = ContinuousClock.now
        do {
            if !stream {
                let r = try await client.send(spec)
                return ChatAPI.parse(status: r.status, headers: r.headers, body: r.body)
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
            return ChatAPI.parse(status: response.status, headers: response.headers, body: body)
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

/// Generation parameters sent with each request and recorded in each response.
public struct GenerationParams: Sendable, Equatable {
    public var temperature: Double?
    public var maxTokens: Int?
    public var seed: Int?
    public var topP: Double?

    public init(temperature: Double? = nil, maxTokens: Int? = nil, seed: Int? = nil, topP: Double? = nil) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.seed = seed
        self.topP = topP
    }

    /// The parameters that are set, with their API names.
    public var json: JSONObject {
        var o: JSONObject = [:]
        if let temperature { o["temperature"] = .double(temperature) }
        if let maxTokens { o["max_tokens"] = .int(Int64(maxTokens)) }
        if let seed { o["seed"] = .int(Int64(seed)) }
        if let topP { o["top_p"] = .double(topP) }
        return o
    }
}
