import Foundation
import JBChat
import JBCore
import JBGrade
import JBHTTP

/// A real LLM judge for `jb-grade --judge MODEL`: asks MODEL through the chat client
/// (OpenRouter by default, or any OpenAI-compatible server), at temperature 0, retrying as
/// jb-query does (`RetryPolicy`) but at most three times.
struct ChatJudge: JudgeBackend {
    let model: String
    let client: ChatClient
    /// jb-query's policy with three retries: a grey-band case is not worth a long wait.
    static let policy = RetryPolicy(maxRetries: 3, backoff: 1)

    /// A judge for `model` with the `openrouter.*` settings; nil for simulated models,
    /// which jb-grade builds itself.
    /// The key sent is the provider's own: OpenRouter's only to OpenRouter; another server
    /// gets `OPENAI_API_KEY` (or none).
    static func make(model: String, baseURL: String, setting: (String) -> String?,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ChatJudge? {
        if ModelID.isSimulated(model) { return nil }
        let provider = ChatProviders.detect(baseURL: baseURL)
        let apiKey = provider.apiKey(setting: setting, environment: environment)
        if provider.needsKey && apiKey == nil {
            throw JBError.usage("--judge \(model) asks \(provider.title), which needs \(provider.keyVariable) (environment, .env or config)")
        }
        return ChatJudge(model: model, client: ChatClient(provider: provider, baseURL: baseURL, apiKey: apiKey,
                                                          client: makeDefaultHTTPClient(), timeout: 120, stream: false))
    }

    func complete(prompt: String) async throws -> String {
        // A malformed or truncated reply (status 200, body not a completion) is as retryable
        // as a 5xx: the failure's kind says so, whatever the status.
        switch await client.complete(model: model, messages: [ChatMessage(role: "user", content: prompt)],
                                     params: GenerationParams(temperature: 0, maxTokens: 16), policy: Self.policy) {
        case .success(let completion): return completion.text
        case .failure(let failure): throw JBError.unavailable("judge \(model): \(failure.message)")
        }
    }
}
