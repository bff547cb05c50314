import Foundation
import JBCore
import JBHTTP
import JBTestSupport
import Testing
@testable import JBChat

@Suite struct ChatClientTests {
    @Test(.enabled(if: SharedData.file("fixtures/openrouter/chat/nonstream-sonnet4-via-google.response.json") != nil, "needs ../shared/fixtures/openrouter/chat/nonstream-sonnet4-via-google.response.json"))
    func readsRealNonStreamingBodiesWithLeadingWhitespace() throws {
        let url = try #require(SharedData.file("fixtures/openrouter/chat/nonstream-sonnet4-via-google.response.json"))
        let body = try Data(contentsOf: url)
        #expect(body.first == 0x0A || body.first == 0x20)
        let c = try ChatClient.parse(status: 200, headers: [:], body: body).get()
        #expect(c.finishReason == "stop")
        #expect(c.upstreamProvider == "Google")
        #expect(c.promptTokens == 19 && c.completionTokens == 93)
        #expect(c.apiCost == 0.001452)
        #expect(!c.text.isEmpty)
    }

    @Test(.enabled(if: SharedData.file("fixtures/openrouter/errors/400-provider-error-anthropic.response.json") != nil, "needs ../shared/fixtures/openrouter/errors/400-provider-error-anthropic.response.json"))
    func readsRealErrorBodies() throws {
        let url = try #require(SharedData.file("fixtures/openrouter/errors/400-provider-error-anthropic.response.json"))
        let f = try #require(ChatClient.parse(status: 400, headers: [:], body: try Data(contentsOf: url)).failure)
        #expect(f.status == 400 && f.code == 400 && f.kind == .permanent)
        #expect(f.message == "Provider returned error")
    }

    @Test func errorCodesMayBeNumbersStringsOrMissing() {
        let s = ChatClient.parse(status: 429, headers: ["retry-after": "7"], body: Data(#"{"error":{"code":"429","type":"rate_limit_error","message":"slow down"}}"#.utf8)).failure!
        #expect(s.code == "429" && s.kind == .retryable && s.retryAfter == 7)
        let m = ChatClient.parse(status: 404, headers: [:], body: Data(#"{"error":{"message":"No endpoints","error_type":"not_found","availability":{"code":"no_endpoints","retryable":false}}}"#.utf8)).failure!
        #expect(m.code == .null && m.status == 404 && m.kind == .permanent)
        let v = ChatClient.parse(status: 400, headers: [:], body: Data(#"{"object":"error","message":"flat vLLM error","type":"BadRequestError","code":400}"#.utf8)).failure!
        #expect(v.message == "flat vLLM error")
    }

    @Test func errorsInside200BodiesAreFailures() {
        let top = ChatClient.parse(status: 200, headers: [:], body: Data(#"  {"error":{"code":429,"message":"Rate limit"},"choices":[]}"#.utf8)).failure!
        #expect(top.status == 429 && top.kind == .retryable)
        let inChoice = ChatClient.parse(status: 200, headers: [:], body: Data(#"{"choices":[{"finish_reason":"error","error":{"code":"server_error","message":"x"},"message":{"content":"part"}}]}"#.utf8)).failure!
        #expect(inChoice.code == "server_error" && inChoice.kind == .retryable)
        #expect(ChatClient.parse(status: 200, headers: [:], body: Data("{\"choi".utf8)).failure?.kind == .retryable)
    }

    @Test func statusKinds() {
        #expect(AttemptFailure.kind(status: 401) == .fatal)
        #expect(AttemptFailure.kind(status: 402) == .fatal)
        for s in [400, 403, 404, 413, 422] { #expect(AttemptFailure.kind(status: s) == .permanent) }
        for s in [408, 429, 500, 502, 503, 524, 529] { #expect(AttemptFailure.kind(status: s) == .retryable) }
        #expect(AttemptFailure.kind(status: nil) == .retryable)
    }

    @Test func dailyFreeModelCapIsFatal() {
        let f = ChatClient.parse(status: 429, headers: [:], body: Data(#"{"error":{"code":429,"message":"Rate limit exceeded: free-models-per-day"}}"#.utf8)).failure!
        #expect(f.kind == .fatal)
    }

    @Test func bodiesPerDialect() {
        let client = CurlHTTPClient()
        let msgs = [ChatMessage(role: "user", content: "hi")]
        let params = GenerationParams(temperature: 0, maxTokens: 8)
        let or = ChatClient(provider: OpenRouterProvider(requireParameters: true), baseURL: "https://openrouter.ai/api/v1/",
                            apiKey: "k", client: client, timeout: 1, stream: true).body(model: "m", messages: msgs, params: params)
        #expect(or["plugins"] != nil && or["provider"] == ["require_parameters": true] && or["stream"] == true)
        #expect(or["stream_options"] == ["include_usage": true])
        let oa = ChatClient(provider: OpenAICompatibleProvider(), baseURL: "http://localhost:11434/v1", apiKey: nil,
                            client: client, timeout: 1, stream: false).body(model: "m", messages: msgs, params: params)
        #expect(Set(oa.keys) == ["model", "messages", "temperature", "max_tokens"])
    }

    @Test func retryAfterForms() {
        #expect(ChatClient.parseRetryAfter("3") == 3)
        #expect(ChatClient.parseRetryAfter(" 1.5 ") == 1.5)
        #expect(ChatClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == 0)
        #expect(ChatClient.parseRetryAfter("soon") == nil)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
