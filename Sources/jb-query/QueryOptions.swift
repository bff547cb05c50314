import ArgumentParser
import Foundation
import JBCLI
import JBCore
import JBQuery

/// Which models, and how to ask them.
struct PromptOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: "A model id to ask (repeatable), e.g. openai/gpt-4o-mini or sim/good.")
    var model: [String] = []
    @Option(help: "Comma-separated model ids.") var models: String?
    @Option(help: "Prompt template: jeopardy, cot, few-shot, basic, or a template FILE with {{category}} {{clue}} {{value}} {{round}} {{air_date}}.")
    var template = "jeopardy"
    @Option(help: "Few-shot examples per question.") var shots = 3
    @Option(help: "Question records (JSON Lines) few-shot examples are drawn from.") var pool: String?
    @Option(help: "Replace the template's system message ('' for none).") var system: String?
    @Flag(name: .customLong("ask-confidence"), help: "Ask the model to state its confidence on a last line.")
    var askConfidence = false
    @Option(help: "Sampling temperature (sent and recorded).") var temperature: Double?
    @Option(name: .customLong("max-tokens"), help: "Maximum reply tokens (sent and recorded).") var maxTokens: Int?
    @Option(help: "Sampling seed (sent and recorded); also seeds few-shot choice and sim/ models.") var seed: Int?
    @Option(name: .customLong("top-p"), help: "Nucleus sampling top_p (sent and recorded).") var topP: Double?
    @Option(help: "Ask each question this many times (epoch 1…N).") var epochs = 1

    var modelIDs: [String] {
        var out: [String] = []
        for m in model + (models?.split(separator: ",").map(String.init) ?? []) {
            let t = m.trimmingASCIISpace()
            if !t.isEmpty && !out.contains(t) { out.append(t) }
        }
        return out
    }
}

/// Where to send requests, how fast, and what it may cost.
struct TransportOptions: ParsableArguments {
    @Option(name: .customLong("base-url"), help: "OpenRouter or any OpenAI-compatible base URL (default $OPENROUTER_BASE_URL or https://openrouter.ai/api/v1).")
    var baseURL: String?
    @Option(help: "API dialect: openrouter or openai-compatible (default: openrouter when the base URL is openrouter.ai, else openai-compatible).")
    var api: String?
    @Flag(name: .customLong("require-parameters"), help: "OpenRouter: route only to providers that honour every parameter sent.")
    var requireParameters = false
    @Option(help: "Requests in flight at once (default 8).") var concurrency: Int?
    @Option(help: "At most R requests per minute, paced evenly (and R/10 in any 6 s).") var rpm: Double?
    @Option(name: .customLong("model-concurrency"), help: "MODEL=N: at most N of this model's requests in flight (repeatable; MODEL may be PROVIDER/*).")
    var modelConcurrency: [String] = []
    @Option(name: .customLong("model-rpm"), help: "MODEL=R: at most R of this model's requests per minute (repeatable; MODEL may be PROVIDER/*). OpenRouter :free models default to 20.")
    var modelRPM: [String] = []
    @Option(name: .customLong("max-retries"), help: "Retries per request on 408/429/5xx/network errors (default 4).") var maxRetries: Int?
    @Option(help: "Seconds one attempt may take (default 120).") var timeout: Double?
    @Option(help: "First retry delay in seconds, doubled each retry, with jitter (default 1).") var backoff: Double?
    @Flag(help: "Stream replies (server-sent events); records time to first token.") var stream = false
    @Option(name: .shortAndLong, help: "Append records to FILE, skipping requests already in it (resume).") var output: String?
    @Flag(name: .customLong("retry-errors"), help: "With -o: ask again the requests recorded there as errors.") var retryErrors = false
    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the response cache.") var noCache = false
    @Flag(help: "Ask again even when the cache has an answer (and replace it).") var refresh = false
    @Option(help: "Response cache file (default $XDG_CACHE_HOME/jb/responses.sqlite), or a postgres:// URL to share one cache between machines.") var cache: String?
    @Option(help: "Prices file: {\"model\": {\"prompt\": USD/token, \"completion\": USD/token}} or an OpenRouter /models response.")
    var pricing: String?
    @Option(name: .customLong("max-cost"), help: "Stop before the spend could pass USD (resumable).") var maxCost: String?
    @Flag(help: "Print requests, estimated tokens and cost per model; send nothing.") var estimate = false
    @Option(name: .customLong("run-id"), help: "Run id for the records (default: the -o file's, else a new one).") var runID: String?
    @Option(help: "Seconds to wait for requests in flight after Ctrl-C (default 10).") var grace: Double?
    @Option(help: "Fix created_at (and the default run id) to this ISO 8601 time, for reproducible output; SOURCE_DATE_EPOCH does the same.")
    var clock: String?
    @Flag(name: .customLong("sim-sleep"), help: "sim/ models wait their simulated latency for real.") var simSleep = false
    @Option(name: .customLong("sim-error-rate"), help: "Transient error rate per attempt of sim/ models (default 0).") var simErrorRate: Double?
}

/// jb-query's configuration keys, and how flags and settings become a `QueryConfig`.
enum QuerySettings {
    static let keys: [ConfigKey] = [
        CommonKeys.openRouterKey,
        CommonKeys.openRouterBaseURL,
        ConfigKey("query.api_key", secret: true, help: "API key for an OpenAI-compatible server (else $OPENAI_API_KEY)"),
        ConfigKey("query.concurrency", default: "8", help: "requests in flight"),
        ConfigKey("query.rpm", help: "requests per minute"),
        ConfigKey("query.max_retries", default: "4", help: "retries per request"),
        ConfigKey("query.api", help: "API dialect: openrouter or openai-compatible (default: from the base URL); openrouter for a proxy of OpenRouter"),
        ConfigKey("query.timeout", default: "120", help: "seconds per attempt"),
        ConfigKey("query.backoff", default: "1", help: "first retry delay, seconds"),
        ConfigKey("query.grace", default: "10", help: "seconds to wait for requests in flight after Ctrl-C"),
        ConfigKey("query.cache", help: "response cache file, or a postgres:// URL"),
        ConfigKey("query.pricing", help: "prices file"),
        ConfigKey("query.max_cost", help: "budget in USD"),
    ]

    static func flags(_ t: TransportOptions) -> [String: String?] {
        [
            "openrouter.base_url": t.baseURL,
            "query.concurrency": t.concurrency.map(String.init),
            "query.rpm": t.rpm.map { "\($0)" },
            "query.max_retries": t.maxRetries.map(String.init),
            "query.api": t.api,
            "query.timeout": t.timeout.map { "\($0)" },
            "query.backoff": t.backoff.map { "\($0)" },
            "query.grace": t.grace.map { "\($0)" },
            "query.cache": t.cache,
            "query.pricing": t.pricing,
            "query.max_cost": t.maxCost,
        ]
    }

    /// `--model-concurrency MODEL=N` and `--model-rpm MODEL=R`, checked.
    static func modelLimits(concurrency: [String], rpm: [String]) throws -> [ModelLimit] {
        func split(_ text: String, _ flag: String) throws -> (String, String) {
            guard let eq = text.lastIndex(of: "="), eq != text.startIndex else {
                throw JBError.usage("\(flag) \(text): expected MODEL=VALUE, e.g. \(flag) openai/gpt-4o-mini=\(flag == "--model-rpm" ? "60" : "4")")
            }
            return (String(text[..<eq]).trimmingASCIISpace(), String(text[text.index(after: eq)...]).trimmingASCIISpace())
        }
        var out: [ModelLimit] = []
        for text in concurrency {
            let (model, value) = try split(text, "--model-concurrency")
            guard let n = Int(value), (1...10_000).contains(n) else { throw JBError.usage("--model-concurrency \(text): expected a whole number from 1 to 10000") }
            out.append(ModelLimit(pattern: model, concurrency: n))
        }
        for text in rpm {
            let (model, value) = try split(text, "--model-rpm")
            guard let r = Double(value), r.isFinite, r > 0, r <= 1e9 else { throw JBError.usage("--model-rpm \(text): expected a number of requests per minute, more than 0") }
            out.append(ModelLimit(pattern: model, rpm: r))
        }
        return out
    }

    static func config(prompt p: PromptOptions, transport t: TransportOptions, settings s: Settings) throws -> QueryConfig {
        var c = QueryConfig()
        // The same model named twice would ask every question twice: once is meant.
        var named = Set<String>()
        c.models = p.modelIDs.filter { named.insert($0).inserted }
        if c.models.isEmpty { throw JBError.usage("no model: give --model ID (e.g. --model sim/good or --model openai/gpt-4o-mini)") }
        guard (1...10_000_000).contains(p.epochs) else { throw JBError.usage("--epochs \(p.epochs): expected 1 to 10000000") }
        guard p.shots >= 0 else { throw JBError.usage("--shots \(p.shots): expected 0 or more") }
        c.epochs = p.epochs
        var template: PromptTemplate
        if let t = PromptTemplate.builtIn(p.template, shots: p.shots) {
            template = t
        } else if p.template.contains("/") || p.template.contains(".") {
            template = try PromptTemplate.file(p.template)
        } else {
            throw JBError.usage("--template \(p.template): expected \(PromptTemplate.builtInNames.joined(separator: ", ")) or a template file")
        }
        if template.shots > 0 {
            guard let pool = p.pool else { throw JBError.usage("--template few-shot needs --pool FILE (question records to draw examples from)") }
            c.pool = try ExamplePool(path: pool)
        }
        c.template = template.adjusted(system: p.system, askConfidence: p.askConfidence)
        c.askConfidence = p.askConfidence
        c.params = GenerationParams(temperature: p.temperature, maxTokens: p.maxTokens, seed: p.seed, topP: p.topP)
        if let m = p.maxTokens, m < 1 { throw JBError.usage("--max-tokens \(m): expected 1 or more") }
        if let v = p.temperature, !(0...2).contains(v) { throw JBError.usage("--temperature \(v): expected a number from 0 to 2") }
        if let v = p.topP, !(0...1).contains(v) { throw JBError.usage("--top-p \(v): expected a number from 0 to 1") }
        c.seed = p.seed.map { UInt64(bitPattern: Int64($0)) } ?? 0

        c.baseURL = s.string("openrouter.base_url") ?? Endpoint.openRouterBaseURL
        if let api = s.string("query.api") {
            guard let f = APIFlavor(rawValue: api == "openai" ? "openai-compatible" : api) else {
                throw JBError.usage("--api \(api): expected openrouter or openai-compatible")
            }
            c.flavor = f
        } else {
            // The URL decides, wherever it came from (flag, OPENROUTER_BASE_URL, config).
            c.flavor = APIFlavor.guess(baseURL: c.baseURL)
        }
        if c.flavor == .openrouter {
            c.apiKey = s.string("openrouter.api_key")
        } else {
            c.apiKey = s.string("query.api_key") ?? ProcessInfo.processInfo.environment["OPENAI_API_KEY"]
            if let k = c.apiKey { Redactor.shared.register(k) }
        }
        c.requireParameters = t.requireParameters
        c.concurrency = try s.int("query.concurrency") ?? 8
        guard (1...10_000).contains(c.concurrency) else { throw JBError.usage("--concurrency \(c.concurrency): expected 1 to 10000") }
        c.rpm = try s.double("query.rpm")
        if let r = c.rpm, !(r > 0 && r <= 1e9) { throw JBError.usage("--rpm \(r): expected more than 0 (and at most 10^9)") }
        c.modelLimits = try QuerySettings.modelLimits(concurrency: t.modelConcurrency, rpm: t.modelRPM)
        c.maxRetries = try s.int("query.max_retries") ?? 4
        guard (0...100).contains(c.maxRetries) else { throw JBError.usage("--max-retries \(c.maxRetries): expected 0 to 100") }
        // Seconds become integer milliseconds and nanoseconds further on: bounded here, so
        // that no value given on the command line can overflow them.
        c.timeout = try s.double("query.timeout") ?? 120
        guard c.timeout > 0 && c.timeout <= 86_400 else { throw JBError.usage("--timeout \(c.timeout): expected seconds, more than 0 and at most 86400") }
        c.backoff = try s.double("query.backoff") ?? 1
        guard (0...3_600).contains(c.backoff) else { throw JBError.usage("--backoff \(c.backoff): expected seconds from 0 to 3600") }
        c.grace = try s.double("query.grace") ?? 10
        guard (0...86_400).contains(c.grace) else { throw JBError.usage("--grace \(c.grace): expected seconds from 0 to 86400") }
        c.stream = t.stream
        c.outputPath = t.output == "-" ? nil : t.output
        c.retryErrors = t.retryErrors
        if t.retryErrors && c.outputPath == nil { throw JBError.usage("--retry-errors needs -o FILE (the file whose errors to ask again)") }
        if t.noCache && t.refresh { throw JBError.usage("--refresh and --no-cache together: choose one") }
        c.cachePath = t.noCache ? nil : (s.string("query.cache") ?? ResponseCache.defaultPath())
        c.refresh = t.refresh
        if let path = s.string("query.pricing") { c.priceBook = try PricingFile(path: path) }
        if let text = s.string("query.max_cost") {
            guard let d = Decimal(string: text.trimmingASCIISpace()), d >= 0 else {
                throw JBError.usage("--max-cost \(text): expected an amount in USD, e.g. 2.50")
            }
            c.maxCost = d
        }
        c.runID = t.runID
        c.simSleep = t.simSleep
        c.simErrorRate = t.simErrorRate ?? 0
        if !(0...1).contains(c.simErrorRate) { throw JBError.usage("--sim-error-rate \(c.simErrorRate): expected 0 to 1") }
        if let text = t.clock {
            guard let fixed = ISO8601DateFormatter().date(from: text) else {
                throw JBError.usage("--clock \(text): expected an ISO 8601 time such as 2026-01-01T00:00:00Z")
            }
            c.now = { fixed }
            c.clockIsFixed = true
        } else if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) {
            let fixed = Date(timeIntervalSince1970: epoch)
            c.now = { fixed }
            c.clockIsFixed = true
        }
        return c
    }
}
