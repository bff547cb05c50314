import Foundation
import JBCore
import Testing
@testable import JBChat

@Suite struct ChatProviderTests {
    /// One rule decides "is this OpenRouter?": the host is openrouter.ai (or a subdomain).
    @Test func theBaseURLsHostChoosesTheProvider() {
        #expect(ChatProviders.detect(baseURL: Endpoint.openRouterBaseURL).name == "openrouter")
        #expect(ChatProviders.detect(baseURL: "HTTPS://OpenRouter.AI/api/v1/").name == "openrouter")
        #expect(ChatProviders.detect(baseURL: "https://eu.openrouter.ai/api/v1").name == "openrouter")
        for other in ["http://127.0.0.1:8080/v1", "https://openrouter.ai.example.com/v1", "https://api.openai.com/v1",
                      "http://localhost:11434/v1?openrouter.ai", "not a url"] {
            #expect(ChatProviders.detect(baseURL: other).name == "openai-compatible", "\(other)")
        }
    }

    @Test func apiNamesAProviderOrSaysWhichExist() throws {
        #expect(try ChatProviders.named("openai").name == "openai-compatible")
        #expect(try ChatProviders.named("openrouter").name == "openrouter")
        #expect(throws: JBError.usage("--api anthropic: expected openrouter or openai-compatible")) {
            try ChatProviders.named("anthropic")
        }
    }

    /// Cache keys of existing response caches must not change: the endpoint ids are frozen.
    @Test func endpointIDsAreThoseOfEarlierVersions() {
        #expect(OpenRouterProvider().endpointID(baseURL: "https://openrouter.ai/api/v1/") == "openrouter https://openrouter.ai/api/v1")
        #expect(OpenRouterProvider(requireParameters: true).endpointID(baseURL: "https://openrouter.ai/api/v1")
                == "openrouter https://openrouter.ai/api/v1 require_parameters")
        #expect(OpenAICompatibleProvider().endpointID(baseURL: "HTTP://LocalHost:8080/v1/") == "openai-compatible http://localhost:8080/v1")
    }

    @Test func eachProviderReadsItsOwnKey() {
        let settings = ["openrouter.api_key": "sk-or-from-config"]
        let env = ["OPENAI_API_KEY": "sk-openai-from-env", "OPENROUTER_API_KEY": "sk-or-from-env"]
        #expect(OpenRouterProvider().apiKey(setting: { settings[$0] }, environment: env) == "sk-or-from-config")
        #expect(OpenRouterProvider().apiKey(setting: { _ in nil }, environment: env) == "sk-or-from-env")
        #expect(OpenAICompatibleProvider().apiKey(setting: { settings[$0] }, environment: env) == "sk-openai-from-env",
                "OpenRouter's key is never sent to another server")
        #expect(OpenAICompatibleProvider().apiKey(setting: { _ in "" }, environment: [:]) == nil)
    }

    @Test func openRouterCapsFreeModelsAndAddsItsFields() {
        #expect(OpenRouterProvider().rpmCap(model: "google/gemma-4-31b-it:free") == 20)
        #expect(OpenRouterProvider().rpmCap(model: "google/gemma-4-31b-it") == nil)
        #expect(OpenAICompatibleProvider().rpmCap(model: "x:free") == nil)
        var body: JSONObject = [:]
        OpenAICompatibleProvider().adapt(&body)
        #expect(body.isEmpty)
        OpenRouterProvider().adapt(&body)
        #expect(body["plugins"] != nil && body["provider"] == nil)
    }
}

@Suite struct RetryPolicyTests {
    func failure(_ status: Int?, retryAfter: Double? = nil) -> AttemptFailure {
        AttemptFailure(status: status, message: "x", kind: AttemptFailure.kind(status: status), retryAfter: retryAfter)
    }

    @Test func retriesOnlyRetryableFailuresUpToTheLimit() {
        let p = RetryPolicy(maxRetries: 2, backoff: 1)
        #expect(p.retries(failure(429), attempt: 1) && p.retries(failure(503), attempt: 2) && p.retries(failure(nil), attempt: 1))
        #expect(!p.retries(failure(503), attempt: 3), "two retries: three attempts in all")
        #expect(!p.retries(failure(400), attempt: 1) && !p.retries(failure(401), attempt: 1))
    }

    @Test func waitsDoubleWithJitterAndRetryAfterWins() {
        let p = RetryPolicy(maxRetries: 10, backoff: 2)
        #expect(p.delay(after: failure(503), attempt: 1, jitter: 0) == 1)
        #expect(p.delay(after: failure(503), attempt: 1, jitter: 1) == 2)
        #expect(p.delay(after: failure(503), attempt: 3, jitter: 1) == 8)
        #expect(p.delay(after: failure(503), attempt: 9, jitter: 1) == RetryPolicy.maxBackoff)
        #expect(p.delay(after: failure(429, retryAfter: 7), attempt: 1, jitter: 1) == 7)
        #expect(p.delay(after: failure(429, retryAfter: 86_400), attempt: 1, jitter: 1) == RetryPolicy.maxRetryAfter)
        var drawn = false
        _ = p.delay(after: failure(429, retryAfter: 1), attempt: 1, jitter: { drawn = true; return 0 }())
        #expect(!drawn, "no jitter is drawn when Retry-After decides (a seeded generator stays in step)")
    }
}
