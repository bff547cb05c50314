import Foundation
import JBChat
import JBCore

/// jb-query's settings, each declared once: flag, config key, environment variable, default,
/// help and the values it accepts. The endpoint and OpenRouter key are the shared
/// `openrouter.base_url` and `openrouter.api_key` (JBCLI's `CommonSetting`). Seconds and
/// counts are bounded here, so no value can overflow the milliseconds and nanoseconds they
/// become further on.
public enum QuerySetting {
    public static let apiKey = Setting<String?>(
        "query.api_key", default: nil, secret: true)
    public static let concurrency = Setting<Int>(
        "query.concurrency", flag: "concurrency", default: 8, in: 1...10_000, help: "Requests in flight at once (default {default}).")
    public static let rpm = Setting<Double?>(
        "query.rpm", flag: "rpm", default: nil, help: "At most R requests per minute, paced evenly (and R/10 in any 6 s).",
        expected: "expected more than 0 (and at most 10^9)", accepts: { $0.map { $0 > 0 && $0 <= 1e9 } ?? true })
    public static let maxRetries = Setting<Int>(
        "query.max_retries", flag: "max-retries", default: RetryPolicy().maxRetries, in: 0...100,
        help: "Retries per request on 408/429/5xx/network errors (default {default}).")
    public static let api = Setting<String?>(
        "query.api", flag: "api", default: nil,
        help: "API dialect: openrouter or openai-compatible (default: openrouter when the base URL is openrouter.ai, else openai-compatible).",
        expected: "expected " + ChatProviders.names.joined(separator: " or "),
        accepts: { $0.map { (try? ChatProviders.named($0)) != nil } ?? true })
    public static let timeout = Setting<Double>(
        "query.timeout", flag: "timeout", default: 120, help: "Seconds one attempt may take (default {default}).",
        expected: "expected seconds, more than 0 and at most 86400", accepts: { $0 > 0 && $0 <= 86_400 })
    public static let backoff = Setting<Double>(
        "query.backoff", flag: "backoff", default: RetryPolicy().backoff, in: 0...3_600,
        help: "First retry delay in seconds, doubled each retry, with jitter (default {default}).",
        expected: "expected seconds from 0 to 3600")
    public static let grace = Setting<Double>(
        "query.grace", flag: "grace", default: 10, in: 0...86_400,
        help: "Seconds to wait for requests in flight after Ctrl-C (default {default}).", expected: "expected seconds from 0 to 86400")
    public static let cache = Setting<String?>(
        "query.cache", flag: "cache", default: nil,
        help: "Response cache file (default $XDG_CACHE_HOME/jb/responses.sqlite), or a postgres:// URL to share one cache between machines.")
    public static let pricing = Setting<String?>(
        "query.pricing", flag: "pricing", default: nil,
        help: "Prices file: {\"model\": {\"prompt\": USD/token, \"completion\": USD/token}} or an OpenRouter /models response.")
    public static let maxCost = Setting<Decimal?>(
        "query.max_cost", flag: "max-cost", default: nil, help: "Stop before the spend could pass USD (resumable).",
        expected: "expected an amount in USD, e.g. 2.50", accepts: { $0.map { $0 >= 0 } ?? true })
}
