import Foundation
import JBCore

/// One model of the catalogue, decoded leniently from an entry of OpenRouter's `GET /models`
/// reply (both the 2025 shape and the 2026 shape with `canonical_slug`, `links`, …).
public struct ModelInfo: Sendable, Equatable {
    /// The id to send as `model`, e.g. `openai/gpt-4o-mini` or `meta-llama/llama-3.3-70b-instruct:free`.
    public var id: String
    /// The dated slug the id currently points at, when the reply gives one.
    public var canonicalSlug: String?
    /// The display name, e.g. `OpenAI: GPT-4o-mini`.
    public var name: String
    /// The description (may be empty).
    public var description: String
    /// When the model was added (Unix seconds).
    public var created: Int?
    /// The context window in tokens.
    public var contextLength: Int?
    /// The largest completion the top provider allows, when known.
    public var maxCompletionTokens: Int?
    /// `text+image->text` style summary.
    public var modality: String?
    /// Input modalities (`text`, `image`, `file`, `audio`, `video`).
    public var inputModalities: [String]
    /// Output modalities.
    public var outputModalities: [String]
    /// Request parameters the model honours (`temperature`, `seed`, `max_tokens`, …).
    public var supportedParameters: [String]
    /// Prices in USD per token.
    public var pricing: ModelPricing
    /// For `~author/…-latest` aliases: the id the alias resolves to.
    public var aliasTarget: String?
    /// Training data cutoff as given (e.g. `2023-10-31`).
    public var knowledgeCutoff: String?
    /// When the model is retired, as given.
    public var expirationDate: String?

    /// The author part of the id (`openai` for `openai/gpt-4o`, `deepseek` for `~deepseek/…`).
    public var provider: String {
        var s = Substring(id)
        if s.hasPrefix("~") { s = s.dropFirst() }
        guard let slash = s.firstIndex(of: "/") else { return "" }
        return String(s[..<slash])
    }

    /// Creates a model by hand (tests, other catalogues).
    public init(id: String, name: String? = nil, description: String = "", created: Int? = nil,
                contextLength: Int? = nil, maxCompletionTokens: Int? = nil, modality: String? = nil,
                inputModalities: [String] = [], outputModalities: [String] = [],
                supportedParameters: [String] = [], pricing: ModelPricing = ModelPricing(),
                canonicalSlug: String? = nil, aliasTarget: String? = nil,
                knowledgeCutoff: String? = nil, expirationDate: String? = nil) {
        self.id = id
        self.canonicalSlug = canonicalSlug
        self.name = name ?? id
        self.description = description
        self.created = created
        self.contextLength = contextLength
        self.maxCompletionTokens = maxCompletionTokens
        self.modality = modality
        self.inputModalities = inputModalities
        self.outputModalities = outputModalities
        self.supportedParameters = supportedParameters
        self.pricing = pricing
        self.aliasTarget = aliasTarget
        self.knowledgeCutoff = knowledgeCutoff
        self.expirationDate = expirationDate
    }

    /// Decodes one `data[]` entry; nil when it has no usable `id`. Unknown fields are ignored,
    /// missing or mistyped optional fields become nil or empty.
    public init?(entry: JSONObject) {
        guard let id = entry["id"]?.stringValue?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { return nil }
        let architecture = entry["architecture"]?.objectValue ?? [:]
        let top = entry["top_provider"]?.objectValue ?? [:]
        let modality = architecture["modality"]?.stringValue
        var inputs = ModelInfo.strings(architecture["input_modalities"])
        var outputs = ModelInfo.strings(architecture["output_modalities"])
        // Older replies had only `modality`; its two sides say the same.
        if let modality, inputs.isEmpty || outputs.isEmpty {
            let sides = modality.components(separatedBy: "->")
            if sides.count == 2 {
                if inputs.isEmpty { inputs = sides[0].split(separator: "+").map(String.init) }
                if outputs.isEmpty { outputs = sides[1].split(separator: "+").map(String.init) }
            }
        }
        let alias: String?
        switch entry["alias_target"] {
        case .object(let o)?: alias = o["slug"]?.stringValue ?? o["id"]?.stringValue
        case .string(let s)?: alias = s
        default: alias = nil
        }
        self.init(id: id,
                  name: entry["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
                  description: entry["description"]?.stringValue ?? "",
                  created: entry["created"]?.intValue,
                  contextLength: entry["context_length"]?.intValue ?? top["context_length"]?.intValue,
                  maxCompletionTokens: top["max_completion_tokens"]?.intValue,
                  modality: modality,
                  inputModalities: inputs,
                  outputModalities: outputs,
                  supportedParameters: ModelInfo.strings(entry["supported_parameters"]),
                  pricing: ModelPricing(json: entry["pricing"]?.objectValue ?? [:]),
                  canonicalSlug: entry["canonical_slug"]?.stringValue,
                  aliasTarget: alias,
                  knowledgeCutoff: entry["knowledge_cutoff"]?.stringValue,
                  expirationDate: entry["expiration_date"]?.stringValue)
    }

    private static func strings(_ value: JSON?) -> [String] {
        value?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Whether the model accepts a request parameter (`temperature`, `seed`, …).
    public func supports(_ parameter: String) -> Bool { supportedParameters.contains(parameter) }

    /// The JSON Lines record jb-models writes for this model (documented in docs/jb-models.md).
    public var record: JSONObject {
        var r: JSONObject = [
            "id": .string(id),
            "canonical_slug": JSON(canonicalSlug),
            "name": .string(name),
            "provider": .string(provider),
            "description": .string(description),
            "created": JSON(created),
            "context_length": JSON(contextLength),
            "max_completion_tokens": JSON(maxCompletionTokens),
            "modality": JSON(modality),
            "input_modalities": .array(inputModalities.map(JSON.string)),
            "output_modalities": .array(outputModalities.map(JSON.string)),
            "supported_parameters": .array(supportedParameters.map(JSON.string)),
            "pricing": .object(pricing.json),
            "prompt_price_per_million": pricing.perMillion(pricing.prompt),
            "completion_price_per_million": pricing.perMillion(pricing.completion),
            "variable_price": .bool(pricing.isVariable),
            "free": .bool(pricing.isFree),
            "alias_target": JSON(aliasTarget),
            "knowledge_cutoff": JSON(knowledgeCutoff),
            "expiration_date": JSON(expirationDate),
        ]
        if r["description"] == .string("") { r["description"] = .null }
        return r
    }
}

/// A model's prices, USD per token (per request for `request`, per image for `image`, …),
/// kept as `Decimal` because OpenRouter sends them as decimal strings.
public struct ModelPricing: Sendable, Equatable {
    /// Every price the reply gave, by OpenRouter's key (`prompt`, `completion`, `request`,
    /// `image`, `web_search`, `internal_reasoning`, `input_cache_read`, …). `-1` means variable.
    public var prices: [String: Decimal]
    /// Conditional prices (long prompts, time windows), in the reply's order; later ones win.
    public var overrides: [PriceOverride]

    /// Creates prices by hand.
    public init(prices: [String: Decimal] = [:], overrides: [PriceOverride] = []) {
        self.prices = prices
        self.overrides = overrides
    }

    /// Decodes a `pricing` object; values may be decimal strings or numbers.
    public init(json: JSONObject) {
        var prices: [String: Decimal] = [:]
        for (key, value) in json where key != "overrides" {
            if let d = ModelPricing.decimal(value) { prices[key] = d }
        }
        self.prices = prices
        overrides = json["overrides"]?.arrayValue?.compactMap { $0.objectValue.map(PriceOverride.init(json:)) } ?? []
    }

    /// The prompt (input) price per token.
    public var prompt: Decimal? { prices["prompt"] }
    /// The completion (output) price per token.
    public var completion: Decimal? { prices["completion"] }

    /// True for router pseudo-models whose price depends on the model they pick (`-1`).
    public var isVariable: Bool {
        (prompt.map { $0 < 0 } ?? false) || (completion.map { $0 < 0 } ?? false)
    }

    /// True when prompt, completion and per-request prices are all zero.
    public var isFree: Bool {
        prompt == 0 && completion == 0 && (prices["request"] ?? 0) == 0
    }

    /// The prompt and completion prices per token in force for a request with `promptTokens`
    /// tokens at `date` (applying `min_prompt_tokens` and UTC time-window overrides); nil when
    /// a price is missing or variable.
    public func effective(promptTokens: Int, at date: Date = Date()) -> (prompt: Decimal, completion: Decimal)? {
        guard var p = prompt, var c = completion, !isVariable else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let hhmm = (parts.hour ?? 0) * 100 + (parts.minute ?? 0)
        for o in overrides where o.applies(promptTokens: promptTokens, utcHHMM: hhmm) {
            if let op = o.prices["prompt"], op >= 0 { p = op }
            if let oc = o.prices["completion"], oc >= 0 { c = oc }
        }
        return (p, c)
    }

    /// A per-token price as a JSON number of USD per million tokens; null when absent or variable.
    func perMillion(_ price: Decimal?) -> JSON {
        guard let price, price >= 0 else { return .null }
        return .double(NSDecimalNumber(decimal: price * 1_000_000).doubleValue)
    }

    /// The `pricing` object as jb writes it: OpenRouter's keys and per-token decimal strings.
    var json: JSONObject {
        var o: JSONObject = [:]
        for (k, v) in prices { o[k] = .string(ModelPricing.text(v)) }
        if !overrides.isEmpty { o["overrides"] = .array(overrides.map { .object($0.json) }) }
        return o
    }

    private static let posix = Locale(identifier: "en_US_POSIX")

    static func decimal(_ value: JSON) -> Decimal? {
        switch value {
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty, t.allSatisfy({ ($0.isASCII && $0.isNumber) || "+-.eE".contains($0) }) else { return nil }
            return Decimal(string: t, locale: posix)
        case .int(let i): return Decimal(i)
        case .double(let d): return d.isFinite ? Decimal(string: "\(d)", locale: posix) : nil
        default: return nil
        }
    }

    /// Plain decimal text (`0.00000015`, `-1`), never exponent notation.
    static func text(_ d: Decimal) -> String {
        d.description
    }
}

/// A conditional price from `pricing.overrides[]`: applies from a prompt size and/or inside a
/// UTC time window (`HHMM`, may wrap past midnight).
public struct PriceOverride: Sendable, Equatable {
    /// Applies when the prompt has at least this many tokens.
    public var minPromptTokens: Int?
    /// Start of the UTC window, `HHMM`.
    public var utcStart: Int?
    /// End of the UTC window (exclusive), `HHMM`.
    public var utcEnd: Int?
    /// The prices that replace the defaults, USD per token.
    public var prices: [String: Decimal]

    /// Creates an override by hand.
    public init(minPromptTokens: Int? = nil, utcStart: Int? = nil, utcEnd: Int? = nil, prices: [String: Decimal]) {
        self.minPromptTokens = minPromptTokens
        self.utcStart = utcStart
        self.utcEnd = utcEnd
        self.prices = prices
    }

    init(json: JSONObject) {
        var prices: [String: Decimal] = [:]
        for (key, value) in json where !["min_prompt_tokens", "utc_start", "utc_end"].contains(key) {
            if let d = ModelPricing.decimal(value) { prices[key] = d }
        }
        self.init(minPromptTokens: json["min_prompt_tokens"]?.intValue, utcStart: json["utc_start"]?.intValue,
                  utcEnd: json["utc_end"]?.intValue, prices: prices)
    }

    /// Whether this override is in force for a prompt size at a UTC time of day (`HHMM`).
    public func applies(promptTokens: Int, utcHHMM: Int) -> Bool {
        if let m = minPromptTokens, promptTokens < m { return false }
        if let s = utcStart, let e = utcEnd {
            let inside = s <= e ? (utcHHMM >= s && utcHHMM < e) : (utcHHMM >= s || utcHHMM < e)
            if !inside { return false }
        }
        return true
    }

    var json: JSONObject {
        var o: JSONObject = [:]
        for (k, v) in prices { o[k] = .string(ModelPricing.text(v)) }
        if let minPromptTokens { o["min_prompt_tokens"] = JSON(minPromptTokens) }
        if let utcStart { o["utc_start"] = JSON(utcStart) }
        if let utcEnd { o["utc_end"] = JSON(utcEnd) }
        return o
    }
}
