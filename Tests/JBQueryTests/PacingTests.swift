import Foundation
import JBChat
import Testing
@testable import JBQuery

@Suite struct PacingTests {
    @Test func rateLimiterPacesEvenly() async throws {
        let limiter = RateLimiter(rpm: 1200)  // one every 50 ms
        let start = ContinuousClock.now
        var times: [Duration] = []
        for _ in 0..<6 {
            try await limiter.acquire()
            times.append(ContinuousClock.now - start)
        }
        // Slot k comes no earlier than k intervals after the start (a busy machine can only
        // make the task that records the time late, never early).
        for k in 0..<times.count { #expect(times[k] >= .milliseconds(50 * k)) }
    }

    @Test func retryAfterPausesEveryone() async throws {
        let limiter = RateLimiter(rpm: nil)
        limiter.pause(seconds: 0.2)
        let start = ContinuousClock.now
        try await limiter.acquire()
        #expect(ContinuousClock.now - start >= .milliseconds(190))
    }

    @Test func gateCutsOn429AndRegrows() async {
        let gate = ConcurrencyGate(maximum: 16)
        gate.rateLimited()
        #expect(gate.limit == 8)
        gate.rateLimited()  // within a second: ignored
        #expect(gate.limit == 8)
        for _ in 0..<8 { gate.succeeded() }
        #expect(gate.limit == 9)
    }

    @Test func gateBlocksAtTheLimitAndCloses() async {
        let gate = ConcurrencyGate(maximum: 2)
        #expect(await gate.acquire())
        #expect(await gate.acquire())
        async let third = gate.acquire()
        try? await Task.sleep(nanoseconds: 20_000_000)
        gate.close()
        #expect(await third == false)
    }

    @Test func ledgerRefusesWhatCouldPassTheBudget() {
        let l = Ledger(budget: 1)
        #expect(l.reserve(Decimal(string: "0.6")!))
        #expect(!l.reserve(Decimal(string: "0.6")!))
        l.settle(reserved: Decimal(string: "0.6")!, actual: Decimal(string: "0.1")!)
        #expect(l.reserve(Decimal(string: "0.6")!))
        #expect(l.spent == Decimal(string: "0.1")!)
    }
}

@Suite struct ModelLimitTests {
    @Test func exactIdsWinOverProvidersAndFreeModelsArePaced() {
        let limits = [ModelLimit(pattern: "openai/*", concurrency: 2, rpm: 100), ModelLimit(pattern: "openai/gpt-4o-mini", rpm: 30)]
        #expect(ModelLimit.resolve("openai/gpt-4o-mini", in: limits, provider: OpenRouterProvider()) == (2, 30))
        #expect(ModelLimit.resolve("openai/gpt-4o", in: limits, provider: OpenRouterProvider()) == (2, 100))
        #expect(ModelLimit.resolve("google/gemma-4-31b-it", in: limits, provider: OpenRouterProvider()) == (nil, nil))
        // OpenRouter's documented limit for :free variants: 20 requests a minute, at most.
        #expect(ModelLimit.resolve("google/gemma-4-31b-it:free", in: [], provider: OpenRouterProvider()) == (nil, 20))
        #expect(ModelLimit.resolve("google/gemma-4-31b-it:free", in: [ModelLimit(pattern: "google/*", rpm: 60)], provider: OpenRouterProvider()) == (nil, 20))
        #expect(ModelLimit.resolve("google/gemma-4-31b-it:free", in: [ModelLimit(pattern: "google/*", rpm: 6)], provider: OpenRouterProvider()) == (nil, 6))
        #expect(ModelLimit.resolve("x:free", in: [], provider: OpenAICompatibleProvider()) == (nil, nil))
    }
}
