/// A response record: the question (and every field jb-query does not know) plus what
/// jb-query adds (docs/records.md, "response").
public struct Response: Equatable, Sendable {
    /// The keys jb-query adds to a question.
    public enum Key: String, RecordKey {
        case model
        case responseText = "response_text"
        case template
        case templateHash = "template_hash"
        case params, epoch, key
        case runID = "run_id"
        case provider
        case upstreamProvider = "upstream_provider"
        case reportedModel = "reported_model"
        case finishReason = "finish_reason"
        case latencyMS = "latency_ms"
        case ttftMS = "ttft_ms"
        case tokens
        case costUSD = "cost_usd"
        case costSource = "cost_source"
        case attempts, cached, error
        case createdAt = "created_at"
    }

    /// The keys of the `tokens` object.
    public enum TokensKey: String, RecordKey {
        case prompt, completion
    }

    /// The keys of the `error` object.
    public enum ErrorKey: String, RecordKey {
        case status, code, message
    }

    /// Why the model never answered: the `error` object.
    public struct Failure: Equatable, Sendable {
        /// The HTTP status, when there was a reply.
        public var status: Int?
        /// The API's error code (a string or a number), or null.
        public var code: JSON
        /// What went wrong.
        public var message: String

        /// Creates an error object.
        public init(status: Int?, code: JSON, message: String) {
            self.status = status
            self.code = code
            self.message = message
        }

        /// The `error` object.
        public var json: JSON {
            .object([ErrorKey.status.rawValue: JSON(status), ErrorKey.code.rawValue: code, ErrorKey.message.rawValue: .string(message)])
        }
    }

    /// The input record (the question and every field jb-query does not know), passed through.
    public var extra: JSONObject
    /// The model id as asked.
    public var model: String
    /// The model's whole reply; nil when `error` is set.
    public var responseText: String?
    /// The prompt template's name.
    public var template: String
    /// 16 hex digits of the SHA-256 of the template text.
    public var templateHash: String
    /// The generation parameters sent (those set).
    public var params: JSON
    /// 1-based repeat number.
    public var epoch: Int
    /// SHA-256 hex of the request content.
    public var key: String
    /// The run this record belongs to.
    public var runID: String
    /// `openrouter`, `openai-compatible` or `sim`.
    public var provider: String
    /// The provider OpenRouter routed to, when it says.
    public var upstreamProvider: String?
    /// The model the server said answered, when it says.
    public var reportedModel: String?
    /// As the API reports it (`stop`, `length`, …).
    public var finishReason: String?
    /// Request start to full reply, over all attempts; nil only for an old cached answer without it.
    public var latencyMS: Int?
    /// Time to first token (streaming only).
    public var ttftMS: Int?
    /// Prompt and completion tokens; nil only for an old cached answer without them.
    public var tokens: (prompt: Int?, completion: Int?)?
    /// The cost of this record's request(s).
    public var costUSD: Double?
    /// `api`, `pricing`, `sim`, `cache` or `none`.
    public var costSource: String
    /// HTTP attempts made (0 for a cache hit).
    public var attempts: Int
    /// Answered from the response cache.
    public var cached: Bool
    /// Set when the model never answered.
    public var error: Failure?
    /// ISO 8601 UTC time the reply arrived.
    public var createdAt: String

    /// Creates a response to the record `extra`; the answer's fields start empty (an error's).
    public init(extra: JSONObject, model: String, template: String, templateHash: String, params: JSON, epoch: Int,
                key: String, runID: String, provider: String, createdAt: String) {
        self.extra = extra
        self.model = model
        self.responseText = nil
        self.template = template
        self.templateHash = templateHash
        self.params = params
        self.epoch = epoch
        self.key = key
        self.runID = runID
        self.provider = provider
        self.upstreamProvider = nil
        self.reportedModel = nil
        self.finishReason = nil
        self.latencyMS = nil
        self.ttftMS = nil
        self.tokens = (nil, nil)
        self.costUSD = nil
        self.costSource = "none"
        self.attempts = 0
        self.cached = false
        self.error = nil
        self.createdAt = createdAt
    }

    /// The value of one field.
    public subscript(key: Key) -> JSON {
        switch key {
        case .model: return .string(model)
        case .responseText: return JSON(responseText)
        case .template: return .string(template)
        case .templateHash: return .string(templateHash)
        case .params: return params
        case .epoch: return .int(Int64(epoch))
        case .key: return .string(self.key)
        case .runID: return .string(runID)
        case .provider: return .string(provider)
        case .upstreamProvider: return JSON(upstreamProvider)
        case .reportedModel: return JSON(reportedModel)
        case .finishReason: return JSON(finishReason)
        case .latencyMS: return JSON(latencyMS)
        case .ttftMS: return JSON(ttftMS)
        case .tokens:
            guard let tokens else { return .null }
            return .object([TokensKey.prompt.rawValue: JSON(tokens.prompt), TokensKey.completion.rawValue: JSON(tokens.completion)])
        case .costUSD: return JSON(costUSD)
        case .costSource: return .string(costSource)
        case .attempts: return .int(Int64(attempts))
        case .cached: return .bool(cached)
        case .error: return error?.json ?? .null
        case .createdAt: return .string(createdAt)
        }
    }

    /// Sets the answer's fields that `keys` names from a stored `object` (the response cache's
    /// payload); a field the object lacks, or holds with another type, becomes null.
    public mutating func restore(_ keys: [Key], from object: JSONObject) {
        for k in keys {
            let v = object[k]
            switch k {
            case .responseText: responseText = v?.stringValue
            case .upstreamProvider: upstreamProvider = v?.stringValue
            case .reportedModel: reportedModel = v?.stringValue
            case .finishReason: finishReason = v?.stringValue
            case .provider: provider = v?.stringValue ?? provider
            case .latencyMS: latencyMS = v?.intValue
            case .ttftMS: ttftMS = v?.intValue
            case .tokens:
                tokens = v?.objectValue.map { ($0[TokensKey.prompt]?.intValue, $0[TokensKey.completion]?.intValue) }
            case .costUSD: costUSD = v?.doubleValue
            case .costSource: costSource = v?.stringValue ?? costSource
            case .createdAt: createdAt = v?.stringValue ?? createdAt
            case .model, .template, .templateHash, .params, .epoch, .key, .runID, .attempts, .cached, .error: break
            }
        }
    }

    /// The fields `keys` names, as an object.
    public func object(_ keys: [Key]) -> JSONObject {
        var o: JSONObject = [:]
        o.reserveCapacity(keys.count)
        for k in keys { o[k.rawValue] = self[k] }
        return o
    }

    /// The whole record: the input record with jb-query's fields set.
    public var object: JSONObject {
        var o = extra
        o.reserveCapacity(o.count + Key.allCases.count)
        for k in Key.allCases { o[k.rawValue] = self[k] }
        return o
    }

    public static func == (a: Response, b: Response) -> Bool {
        a.object == b.object
    }
}
