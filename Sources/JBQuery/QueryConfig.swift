import Foundation
import JBChat
import JBCore
import JBHTTP

/// Everything a jb-query run needs, gathered from flags and configuration.
public struct QueryConfig: Sendable {
    /// Model ids, in the order given; `sim/…` ids use the simulator.
    public var models: [String] = []
    public var template: PromptTemplate = PromptTemplate.builtIn("jeopardy")!
    /// Few-shot examples come from here.
    public var pool: ExamplePool?
    public var params = GenerationParams()
    /// Repeats per question and model.
    public var epochs = 1
    /// Seeds the few-shot choice and the simulator (the `--seed` parameter, else 0).
    public var seed: UInt64 = 0
    public var askConfidence = false

    /// The server's dialect (`--api`, else detected from the base URL).
    public var provider: any ChatProvider = OpenRouterProvider()
    public var baseURL = Endpoint.openRouterBaseURL
    public var apiKey: String?

    public var concurrency = QuerySetting.concurrency.defaultValue
    public var rpm: Double?
    /// Each model's (or provider's, `openai/*`) own limits, beside the global ones.
    public var modelLimits: [ModelLimit] = []
    /// When a failed attempt is tried again (`--max-retries`, `--backoff`).
    public var retry = RetryPolicy()
    /// Seconds one attempt may take.
    public var timeout = QuerySetting.timeout.defaultValue
    public var stream = false

    /// `-o FILE`: append, skipping keys already there. Nil writes to stdout.
    public var outputPath: String?
    public var retryErrors = false
    /// The response cache file; nil disables the cache.
    public var cachePath: String?
    public var refresh = false

    public var priceBook: any PriceBook = ChainedPriceBook([])
    public var maxCost: Decimal?
    public var runID: String?
    /// Seconds to wait for requests in flight after SIGINT/SIGTERM.
    public var grace = QuerySetting.grace.defaultValue

    /// The simulator waits its simulated latency for real.
    public var simSleep = false
    /// Per-attempt transient error rate of simulated models without their own `err=`.
    public var simErrorRate = 0.0

    /// The clock for `created_at` (fixed by `SOURCE_DATE_EPOCH` for reproducible output).
    public var now: @Sendable () -> Date = { Date() }
    /// True when `now` is fixed (`--clock`, SOURCE_DATE_EPOCH): the default run id is then
    /// reproducible too.
    public var clockIsFixed = false
    /// The HTTP client; nil makes the default.
    public var client: (any StreamingHTTPClient)?

    public init() {}
}

/// Where jb-query's messages go (the executable passes its stderr diagnostics).
public struct QueryReporter: Sendable {
    public var warning: @Sendable (String) -> Void
    public var info: @Sendable (String) -> Void
    /// Draws the transient progress line; nil when stderr is not a terminal.
    public var progress: (@Sendable (String) -> Void)?
    public var clearProgress: @Sendable () -> Void

    public init(warning: @escaping @Sendable (String) -> Void, info: @escaping @Sendable (String) -> Void,
                progress: (@Sendable (String) -> Void)?, clearProgress: @escaping @Sendable () -> Void) {
        self.warning = warning
        self.info = info
        self.progress = progress
        self.clearProgress = clearProgress
    }

    /// Says nothing (tests).
    public static let silent = QueryReporter(warning: { _ in }, info: { _ in }, progress: nil, clearProgress: {})
}

/// One model's own limits (`--model-concurrency MODEL=N`, `--model-rpm MODEL=R`): they apply
/// to that model's requests beside the global `--concurrency` and `--rpm`, so one slow or
/// rate-limited provider cannot hold up the others.
public struct ModelLimit: Sendable, Equatable {
    /// A model id, or `PROVIDER/*` for every model of a provider.
    public var pattern: String
    public var concurrency: Int?
    public var rpm: Double?

    public init(pattern: String, concurrency: Int? = nil, rpm: Double? = nil) {
        self.pattern = pattern
        self.concurrency = concurrency
        self.rpm = rpm
    }

    /// True when the limit is for `model`.
    public func matches(_ model: String) -> Bool {
        if pattern.hasSuffix("/*") { return model.hasPrefix(pattern.dropLast()) }
        return pattern == model
    }

    /// The limits that apply to `model`: an exact id wins over a provider pattern; the
    /// provider may cap the rate (OpenRouter holds a `:free` model to 20 a minute).
    public static func resolve(_ model: String, in limits: [ModelLimit], provider: any ChatProvider) -> (concurrency: Int?, rpm: Double?) {
        let exact = limits.filter { $0.pattern == model }
        let byPattern = limits.filter { $0.pattern != model && $0.matches(model) }
        let concurrency = exact.compactMap(\.concurrency).last ?? byPattern.compactMap(\.concurrency).last
        var rpm = exact.compactMap(\.rpm).last ?? byPattern.compactMap(\.rpm).last
        if let cap = provider.rpmCap(model: model) { rpm = min(rpm ?? cap, cap) }
        return (concurrency, rpm)
    }
}
