import Foundation
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

    public var flavor: APIFlavor = .openrouter
    public var baseURL = "https://openrouter.ai/api/v1"
    public var apiKey: String?
    public var requireParameters = false

    public var concurrency = 8
    public var rpm: Double?
    public var maxRetries = 4
    /// Seconds one attempt may take.
    public var timeout = 120.0
    /// First retry delay in seconds; doubles each retry (with jitter), at most 60 s.
    public var backoff = 1.0
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
    public var grace = 10.0

    /// The simulator waits its simulated latency for real.
    public var simSleep = false
    /// Per-attempt transient error rate of simulated models without their own `err=`.
    public var simErrorRate = 0.0

    /// The clock for `created_at` (fixed by `SOURCE_DATE_EPOCH` for reproducible output).
    public var now: @Sendable () -> Date = { Date() }
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
