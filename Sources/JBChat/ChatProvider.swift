import Foundation
import JBCore

/// A chat-completions dialect: what a server of its kind is sent besides the standard
/// OpenAI fields, how it is recognised, and the few rules of its own (keys, limits, the
/// catalogue). Adding a provider is one conformance, listed in `ChatProviders.all`.
public protocol ChatProvider: Sendable {
    /// Its name: `--api NAME`, and the `provider` field of response records.
    var name: String { get }
    /// How messages name it: "OpenRouter", "an OpenAI-compatible server".
    var title: String { get }
    /// True when `baseURL` is this provider's own address: it is then chosen without `--api`.
    func serves(baseURL: String) -> Bool
    /// The environment variable its API key is conventionally read from (named in messages).
    var keyVariable: String { get }
    /// The configuration key its API key may be set with instead.
    var keySetting: String { get }
    /// True when no request can succeed without a key (a local server needs none).
    var needsKey: Bool { get }
    /// Adds this dialect's own fields to a request body (the standard ones are there already).
    func adapt(_ body: inout JSONObject)
    /// Headers this dialect adds to every request (the key is not one of them).
    var extraHeaders: [(String, String)] { get }
    /// What besides the request decides an answer at `baseURL`: part of response-cache keys.
    func endpointID(baseURL: String) -> String
    /// The requests a minute `model` is held to whatever the flags say (nil: no cap).
    func rpmCap(model: String) -> Double?
    /// True when model ids are checked against, and priced from, OpenRouter's catalogue.
    var usesOpenRouterCatalogue: Bool { get }
}

extension ChatProvider {
    /// The key to send: `setting(keySetting)` (configuration, .env), else `keyVariable` from
    /// the environment; nil when neither is set. It is registered with the redactor, so it
    /// never reaches a message or record.
    public func apiKey(setting: (String) -> String?, environment: [String: String]) -> String? {
        let key = [setting(keySetting), environment[keyVariable]].lazy.compactMap { $0 }.first { !$0.isEmpty }
        if let key { Redactor.shared.register(key) }
        return key
    }

    public func endpointID(baseURL: String) -> String { name + " " + Endpoint.normalized(baseURL) }
    public func rpmCap(model: String) -> Double? { nil }
    public var extraHeaders: [(String, String)] { [] }
    public func adapt(_ body: inout JSONObject) {}
    public var usesOpenRouterCatalogue: Bool { false }
}

/// OpenRouter: gets its own fields (`plugins`, `provider`), reports `usage.cost`, needs a key.
public struct OpenRouterProvider: ChatProvider {
    /// Route only to providers that honour every parameter sent (`--require-parameters`).
    public var requireParameters: Bool

    public init(requireParameters: Bool = false) { self.requireParameters = requireParameters }

    public var name: String { "openrouter" }
    public var title: String { "OpenRouter" }
    public var keySetting: String { "openrouter.api_key" }
    public func serves(baseURL: String) -> Bool { Endpoint.isOpenRouter(baseURL) }
    public var keyVariable: String { "OPENROUTER_API_KEY" }
    public var needsKey: Bool { true }
    public var usesOpenRouterCatalogue: Bool { true }

    public func adapt(_ body: inout JSONObject) {
        // Never let OpenRouter silently compress (truncate) a prompt.
        body["plugins"] = [["id": "context-compression", "enabled": false]]
        if requireParameters { body["provider"] = ["require_parameters": true] }
    }

    public var extraHeaders: [(String, String)] {
        [("HTTP-Referer", "https://github.com/jb-bench/jb"), ("X-Title", "jb")]
    }

    public func endpointID(baseURL: String) -> String {
        name + " " + Endpoint.normalized(baseURL) + (requireParameters ? " require_parameters" : "")
    }

    /// OpenRouter's documented per-key limit: `:free` model variants take at most 20 requests
    /// a minute (docs/jb-query.md, "Per-model limits").
    public static let freeRPM = 20.0

    public func rpmCap(model: String) -> Double? { model.hasSuffix(":free") ? Self.freeRPM : nil }
}

/// Any other OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp): standard fields only.
public struct OpenAICompatibleProvider: ChatProvider {
    public init() {}
    public var name: String { "openai-compatible" }
    public var title: String { "an OpenAI-compatible server" }
    public var keySetting: String { "query.api_key" }
    /// Never chosen by address: it is what every address not claimed by another provider gets.
    public func serves(baseURL: String) -> Bool { false }
    public var keyVariable: String { "OPENAI_API_KEY" }
    public var needsKey: Bool { false }
}

/// The providers jb knows, and how one is chosen.
public enum ChatProviders {
    /// Every provider; the last is the fallback for addresses no other claims.
    public static func all(requireParameters: Bool = false) -> [any ChatProvider] {
        [OpenRouterProvider(requireParameters: requireParameters), OpenAICompatibleProvider()]
    }

    /// The providers' names, as `--api` takes them.
    public static var names: [String] { all().map(\.name) }

    /// The provider `--api NAME` names (`openai` is short for `openai-compatible`).
    public static func named(_ name: String, requireParameters: Bool = false) throws -> any ChatProvider {
        let known = all(requireParameters: requireParameters)
        let wanted = name == "openai" ? "openai-compatible" : name
        guard let p = known.first(where: { $0.name == wanted }) else {
            throw JBError.usage("--api \(name): expected \(names.joined(separator: " or "))")
        }
        return p
    }

    /// The provider a base URL speaks when `--api` does not say: the one serving that address,
    /// else the standard dialect.
    public static func detect(baseURL: String, requireParameters: Bool = false) -> any ChatProvider {
        let known = all(requireParameters: requireParameters)
        return known.first { $0.serves(baseURL: baseURL) } ?? known[known.count - 1]
    }
}
