import Foundation
import JBCore

/// When a failed attempt is tried again, and after how long: the one policy of jb-query and
/// jb-grade's judge. Which failures are worth another attempt is `AttemptFailure.kind` (408,
/// 425, 429, 5xx, network errors, timeouts, broken bodies); the waits double from `backoff`
/// with jitter, at most 60 s, and a server's `Retry-After` (at most 600 s) replaces them.
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt (`--max-retries`, default 4).
    public var maxRetries: Int
    /// The first wait in seconds (`--backoff`, default 1).
    public var backoff: Double

    /// The longest wait backoff grows to, seconds.
    public static let maxBackoff = 60.0
    /// The longest `Retry-After` honoured, seconds.
    public static let maxRetryAfter = 600.0

    public init(maxRetries: Int = 4, backoff: Double = 1) {
        self.maxRetries = maxRetries
        self.backoff = backoff
    }

    /// True when attempt number `attempt` (1-based), which failed with `failure`, is followed
    /// by another.
    public func retries(_ failure: AttemptFailure, attempt: Int) -> Bool {
        failure.kind == .retryable && attempt <= maxRetries
    }

    /// The server's `Retry-After`, capped: how long every request to it should hold off.
    public func pause(_ failure: AttemptFailure) -> Double? {
        failure.retryAfter.map { min($0, Self.maxRetryAfter) }
    }

    /// Seconds to wait before the attempt after `attempt`: the server's `Retry-After`, else
    /// `backoff` doubled per attempt (at most 60 s) times `0.5 + 0.5 * jitter`, `jitter` being
    /// uniform in [0, 1) and drawn only when needed (a seeded generator stays in step).
    public func delay(after failure: AttemptFailure, attempt: Int, jitter: @autoclosure () -> Double) -> Double {
        if let pause = pause(failure) { return pause }
        let exponential = min(Self.maxBackoff, backoff * pow(2, Double(attempt - 1)))
        return exponential * (0.5 + 0.5 * jitter())
    }
}

extension ChatClient {
    /// Asks until an answer comes or `policy` gives up, waiting between attempts: the whole
    /// exchange for a caller with no pacing of its own (jb-grade's judge). jb-query runs its
    /// own loop over `attempt` (it paces, counts and budgets every attempt) with the same policy.
    public func complete(model: String, messages: [ChatMessage], params: GenerationParams,
                         policy: RetryPolicy) async -> Result<Completion, AttemptFailure> {
        var attempt = 0
        while true {
            attempt += 1
            let result = await self.attempt(model: model, messages: messages, params: params)
            guard case .failure(let f) = result, policy.retries(f, attempt: attempt) else { return result }
            let wait = policy.delay(after: f, attempt: attempt, jitter: Double.random(in: 0..<1))
            do { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) } catch { return result }
        }
    }
}
