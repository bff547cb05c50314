import Foundation
import JBCore

/// One chat message.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    public var content: String
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
    /// The message as the API takes it.
    public var json: JSON { .object(["role": .string(role), "content": .string(content)]) }
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

    public init(text: String, finishReason: String? = nil, upstreamProvider: String? = nil, reportedModel: String? = nil,
                promptTokens: Int? = nil, completionTokens: Int? = nil, apiCost: Double? = nil, ttftMs: Int? = nil,
                simulatedLatencyMs: Int? = nil) {
        self.text = text
        self.finishReason = finishReason
        self.upstreamProvider = upstreamProvider
        self.reportedModel = reportedModel
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.apiCost = apiCost
        self.ttftMs = ttftMs
        self.simulatedLatencyMs = simulatedLatencyMs
    }
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
