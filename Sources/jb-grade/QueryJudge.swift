import Foundation
import JBCore
import JBGrade
import JBHTTP
import JBQuery

/// A real LLM judge for `jb-grade --judge MODEL`: asks MODEL through jb-query's client
/// (OpenRouter by default, or any OpenAI-compatible server), at temperature 0, retrying
/// rate limits and server errors a few times.
struct QueryJudge: JudgeBackend {
    let model: String
    let api: ChatAPI
    let maxAttempts = 4

    /// A judge for `model` with the `openrouter.*` settings; nil for simulated models,
    /// which jb-grade builds itself.
    /// The key sent is OpenRouter's only to OpenRouter; another server gets `OPENAI_API_KEY`
    /// (or none).
    static func make(model: String, baseURL: String, openRouterKey: String?,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> QueryJudge? {
        if model.hasPrefix("sim/") { return nil }
        let flavor = APIFlavor.guess(baseURL: baseURL)
        var apiKey = openRouterKey
        if flavor == .openrouter {
            if (apiKey ?? "").isEmpty {
                throw JBError.usage("--judge \(model) asks OpenRouter, which needs OPENROUTER_API_KEY (environment, .env or config)")
            }
        } else {
            apiKey = environment["OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            if let apiKey { Redactor.shared.register(apiKey) }
        }
        return QueryJudge(model: model, api: ChatAPI(flavor: flavor, baseURL: baseURL, apiKey: apiKey,
                                                    client: makeDefaultHTTPClient(), timeout: 120, stream: false))
    }

    func complete(prompt: String) async throws -> String {
        var delay = 1.0
        for attempt in 1...maxAttempts {
            switch await api.attempt(model: model, messages: [ChatMessage(role: "user", content: prompt)],
                                     params: GenerationParams(temperature: 0, maxTokens: 16)) {
            case .success(let completion):
                return completion.text
            case .failure(let failure):
                // A malformed or truncated reply (status 200, body not a completion) is as
                // retryable as a 5xx: the kind says so, whatever the status.
                if failure.kind != .retryable || attempt == maxAttempts {
                    throw JBError.unavailable("judge \(model): \(failure.message)")
                }
                try await Task.sleep(nanoseconds: UInt64((failure.retryAfter ?? delay) * 1e9))
                delay *= 2
            }
        }
        throw JBError.unavailable("judge \(model): no answer")
    }
}
