import ArgumentParser
import Foundation
import JBCLI
import JBChat
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
    @Option(name: Self.endpoint.name, help: Self.endpoint.argumentHelp) var baseURL: String?
    @Option(name: QuerySetting.api.name, help: QuerySetting.api.argumentHelp) var api: String?
    @Flag(name: .customLong("require-parameters"), help: "OpenRouter: route only to providers that honour every parameter sent.")
    var requireParameters = false
    @Option(name: QuerySetting.concurrency.name, help: QuerySetting.concurrency.argumentHelp) var concurrency: Int?
    @Option(name: QuerySetting.rpm.name, help: QuerySetting.rpm.argumentHelp) var rpm: Double?
    @Option(name: .customLong("model-concurrency"), help: "MODEL=N: at most N of this model's requests in flight (repeatable; MODEL may be PROVIDER/*).")
    var modelConcurrency: [String] = []
    @Option(name: .customLong("model-rpm"), help: "MODEL=R: at most R of this model's requests per minute (repeatable; MODEL may be PROVIDER/*). OpenRouter :free models default to 20.")
    var modelRPM: [String] = []
    @Option(name: QuerySetting.maxRetries.name, help: QuerySetting.maxRetries.argumentHelp) var maxRetries: Int?
    @Option(name: QuerySetting.timeout.name, help: QuerySetting.timeout.argumentHelp) var timeout: Double?
    @Option(name: QuerySetting.backoff.name, help: QuerySetting.backoff.argumentHelp) var backoff: Double?
    @Flag(help: "Stream replies (server-sent events); records time to first token.") var stream = false
    @Option(name: .shortAndLong, help: "Append records to FILE, skipping requests already in it (resume).") var output: String?
    @Flag(name: .customLong("retry-errors"), help: "With -o: ask again the requests recorded there as errors.") var retryErrors = false
    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the response cache.") var noCache = false
    @Flag(help: "Ask again even when the cache has an answer (and replace it).") var refresh = false
    @Option(name: QuerySetting.cache.name, help: QuerySetting.cache.argumentHelp) var cache: String?
    @Option(name: QuerySetting.pricing.name, help: QuerySetting.pricing.argumentHelp) var pricing: String?
    @Option(name: QuerySetting.maxCost.name, help: QuerySetting.maxCost.argumentHelp) var maxCost: String?
    @Flag(help: "Print requests, estimated tokens and cost per model; send nothing.") var estimate = false
    @Option(name: .customLong("run-id"), help: "Run id for the records (default: the -o file's, else a new one).") var runID: String?
    @Option(name: QuerySetting.grace.name, help: QuerySetting.grace.argumentHelp) var grace: Double?
    @Option(help: "Fix created_at (and the default run id) to this ISO 8601 time, for reproducible output; SOURCE_DATE_EPOCH does the same.")
    var clock: String?
    @Flag(name: .customLong("sim-sleep"), help: "sim/ models wait their simulated latency for real.") var simSleep = false
    @Option(name: .customLong("sim-error-rate"), help: "Transient error rate per attempt of sim/ models (default 0).") var simErrorRate: Double?
}

extension TransportOptions {
    /// The endpoint: the shared setting, with what `--base-url` means here.
    static let endpoint = CommonSetting.openRouterBaseURL.with(
        help: "OpenRouter or any OpenAI-compatible base URL (default $OPENROUTER_BASE_URL or {default}).")

    /// The settings jb-query reads, in `--print-config` order.
    static let settings: [any AnySetting] = [
        CommonSetting.openRouterKey, endpoint, QuerySetting.apiKey, QuerySetting.concurrency, QuerySetting.rpm,
        QuerySetting.maxRetries, QuerySetting.api, QuerySetting.timeout, QuerySetting.backoff, QuerySetting.grace,
        QuerySetting.cache, QuerySetting.pricing, QuerySetting.maxCost,
    ]

    /// The flags' values by setting.
    var given: [(key: String, text: String?)] {
        [Self.endpoint.given(baseURL), QuerySetting.concurrency.given(concurrency), QuerySetting.rpm.given(rpm),
         QuerySetting.maxRetries.given(maxRetries), QuerySetting.api.given(api), QuerySetting.timeout.given(timeout),
         QuerySetting.backoff.given(backoff), QuerySetting.grace.given(grace), QuerySetting.cache.given(cache),
         QuerySetting.pricing.given(pricing), QuerySetting.maxCost.given(text: maxCost)]
    }
}

/// How flags and settings become a `QueryConfig`.
enum QueryConfigReader {
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

        c.baseURL = try s.value(TransportOptions.endpoint)
        if let api = try s.value(QuerySetting.api) {
            c.provider = try ChatProviders.named(api, requireParameters: t.requireParameters)
        } else {
            // The URL decides, wherever it came from (flag, OPENROUTER_BASE_URL, config).
            c.provider = ChatProviders.detect(baseURL: c.baseURL, requireParameters: t.requireParameters)
        }
        c.apiKey = c.provider.apiKey(setting: { s.entry($0)?.value }, environment: ProcessInfo.processInfo.environment)
        c.concurrency = try s.value(QuerySetting.concurrency)
        c.rpm = try s.value(QuerySetting.rpm)
        c.modelLimits = try QueryConfigReader.modelLimits(concurrency: t.modelConcurrency, rpm: t.modelRPM)
        c.retry = RetryPolicy(maxRetries: try s.value(QuerySetting.maxRetries), backoff: try s.value(QuerySetting.backoff))
        c.timeout = try s.value(QuerySetting.timeout)
        c.grace = try s.value(QuerySetting.grace)
        c.stream = t.stream
        c.outputPath = t.output == "-" ? nil : t.output
        c.retryErrors = t.retryErrors
        if t.retryErrors && c.outputPath == nil { throw JBError.usage("--retry-errors needs -o FILE (the file whose errors to ask again)") }
        if t.noCache && t.refresh { throw JBError.usage("--refresh and --no-cache together: choose one") }
        c.cachePath = t.noCache ? nil : (try s.value(QuerySetting.cache) ?? ResponseCache.defaultPath())
        c.refresh = t.refresh
        if let path = try s.value(QuerySetting.pricing) { c.priceBook = try PricingFile(path: path) }
        c.maxCost = try s.value(QuerySetting.maxCost)
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
