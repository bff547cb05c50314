import Foundation
import JBCore
import JBHTTP

#if canImport(Glibc)
import Glibc
#endif

/// One request to make: a question, a model and an epoch.
public struct QueryJob: Sendable {
    /// The input record, passed through unchanged.
    public var input: JSONObject
    public var question: Question
    public var model: String
    public var epoch: Int
    public var messages: [ChatMessage]
    /// The content key: SHA-256 of model, messages, params, template and epoch.
    public var key: String
    /// A rough prompt size (characters / 4), for estimates and budget reservations.
    public var estimatedPromptTokens: Int
}

/// The counts a run ends with.
public struct QuerySummary: Sendable, Equatable {
    public var requests = 0
    public var skipped = 0
    public var duplicates = 0
    public var answered = 0
    public var cached = 0
    /// Cache hits of a `--stream` run whose answer was asked without streaming (no `ttft_ms`).
    public var cachedWithoutTTFT = 0
    public var errors = 0
    public var retries = 0
    public var attempts = 0
    public var unknownCost = 0
    public var spent: Decimal = 0
    public var notSent = 0
}

/// Asks models every question of the input, writing one response record per question,
/// model and epoch, as each completes.
public final class QueryRunner: @unchecked Sendable {
    let config: QueryConfig
    let reporter: QueryReporter
    private let lock = NSLock()
    private var summary = QuerySummary()
    private var stopping = false
    private var interrupted = false
    private var fatal: AttemptFailure?
    private var fatalModel = ""
    private var budgetStop = false
    /// Answers by the model the server reported, for each model asked whose answers came
    /// from another (see `noteReportedModel`).
    private var otherModels: [String: [String: Int]] = [:]
    private var writeFailure: JBError?
    private var workTask: Task<Void, Never>?
    private var gate: ConcurrencyGate
    private let limiter: RateLimiter
    private let ledger: Ledger
    private var sink: RecordSink?
    /// The template's hash, computed once (it is in every key and record).
    private let templateHash: String
    /// The generation parameters as sent and recorded, built once.
    private let paramsJSON: JSON
    /// What besides the request decides a remote model's answer: the server (dialect and
    /// base URL) and, on OpenRouter, the routing constraint. Part of every cache key.
    private let endpointID: String

    public init(config: QueryConfig, reporter: QueryReporter = .silent) {
        self.config = config
        self.reporter = reporter
        gate = ConcurrencyGate(maximum: config.concurrency)
        limiter = RateLimiter(rpm: config.rpm)
        ledger = Ledger(budget: config.maxCost)
        templateHash = config.template.hash
        paramsJSON = .object(config.params.json)
        endpointID = config.flavor.rawValue + " " + Endpoint.normalized(config.baseURL)
            + (config.flavor == .openrouter && config.requireParameters ? " require_parameters" : "")
    }

    /// The response cache's key of a job: its content key (the record's `key`) and the
    /// endpoint that answers it, so one model id asked of two servers is two cache entries.
    func cacheKey(_ job: QueryJob) -> String {
        ContentHash.sha256Hex(job.key + "\u{1F}" + (job.model.hasPrefix("sim/") ? "sim" : endpointID))
    }

    // MARK: reading

    /// Reads the input records and makes the jobs, in input order.
    public func makeJobs(inputs: [String]) throws -> (jobs: [QueryJob], questions: [Question]) {
        let records = try readRecords(inputs: inputs)
        var jobs: [QueryJob] = []
        for r in records { jobs.append(contentsOf: makeJobs(for: r)) }
        return (jobs, records.map(\.question))
    }

    /// Reads and checks every input record (a bad one stops the run before anything is sent).
    func readRecords(inputs: [String]) throws -> [(input: JSONObject, question: Question)] {
        let reader = JSONLReader(paths: inputs)
        var records: [(input: JSONObject, question: Question)] = []
        var stale = 0
        while var o = try reader.next() {
            let q = try Question(json: o, fail: reader.error)
            if Self.removeLaterStageFields(&o) { stale += 1 }
            records.append((o, q))
        }
        if stale > 0 {
            reporter.warning("\(stale) input record\(stale == 1 ? " was a response or grade" : "s were responses or grades") already: "
                + "the fields of that earlier answer (grade, response_text, …) were removed before asking again, so no old verdict reaches the new records")
        }
        return records
    }

    /// The fields jb-query and the stages after it write (docs/records.md: response, grade).
    /// A record that has them is asked again as the question it holds: they are removed, so
    /// that an old `grade`, say, is never passed on as the new model's verdict.
    static let laterStageFields: [String] = [
        "grade", "model", "response_text", "template", "template_hash", "params", "epoch", "key", "run_id",
        "provider", "upstream_provider", "finish_reason", "latency_ms", "ttft_ms", "tokens", "cost_usd",
        "cost_source", "attempts", "cached", "error", "created_at", "reported_model",
    ]

    /// Removes `laterStageFields` from `o`; true when there were any.
    static func removeLaterStageFields(_ o: inout JSONObject) -> Bool {
        var removed = false
        for k in laterStageFields where o.removeValue(forKey: k) != nil { removed = true }
        return removed
    }

    /// The jobs of one record: each model and epoch, in that order.
    func makeJobs(for record: (input: JSONObject, question: Question)) -> [QueryJob] {
        let prepared = prepare(record)
        return (0..<jobsPerRecord).map { job(prepared, $0) }
    }

    /// Models × epochs: the jobs each record makes.
    var jobsPerRecord: Int { config.models.count * config.epochs }

    /// What every job of one record shares: its prompt, built once.
    struct PreparedRecord {
        var input: JSONObject
        var question: Question
        var messages: [ChatMessage]
        var messagesJSON: JSON
        var promptTokens: Int
        /// Equal for records whose every job would be the same request.
        var key: String
    }

    /// Builds the prompt of one record.
    func prepare(_ record: (input: JSONObject, question: Question)) -> PreparedRecord {
        let (o, q) = record
        let template = config.template
        let examples = template.shots > 0 ? (config.pool?.examples(for: q, k: template.shots, seed: config.seed) ?? []) : []
        let messages = template.messages(for: q, examples: examples)
        let promptTokens = messages.reduce(3) { $0 + 4 + ($1.content.utf8.count + 3) / 4 }
        let messagesJSON = JSON.array(messages.map(\.json))
        return PreparedRecord(input: o, question: q, messages: messages, messagesJSON: messagesJSON,
                              promptTokens: promptTokens, key: ContentHash.sha256Hex(JSONSerializer.string(messagesJSON)))
    }

    /// Job `index` of a prepared record (model `index / epochs`, epoch `index % epochs + 1`):
    /// made one at a time, so that memory does not grow with `--epochs`.
    func job(_ r: PreparedRecord, _ index: Int) -> QueryJob {
        let model = config.models[index / config.epochs]
        let epoch = index % config.epochs + 1
        let keyText = JSONSerializer.string(.object([
            "model": .string(model),
            "messages": r.messagesJSON,
            "params": paramsJSON,
            "template": .string(config.template.name),
            "template_hash": .string(templateHash),
            "epoch": .int(Int64(epoch)),
        ]))
        return QueryJob(input: r.input, question: r.question, model: model, epoch: epoch, messages: r.messages,
                        key: ContentHash.sha256Hex(keyText), estimatedPromptTokens: r.promptTokens)
    }

    // MARK: estimate

    /// Typical reply length in tokens for the template (capped by `max_tokens`).
    func typicalCompletionTokens() -> Int {
        var t: Int
        switch config.template.name {
        case "jeopardy", "few-shot": t = 10
        case "basic": t = 6
        case "cot": t = 110
        default: t = 40
        }
        if config.askConfidence { t += 8 }
        if let m = config.params.maxTokens { t = min(t, m) }
        return t
    }

    /// The `--estimate` table: requests, estimated tokens and cost per model; sends nothing.
    public func estimate(inputs: [String]) throws -> String {
        let (jobs, _) = try makeJobs(inputs: inputs)
        let existing = try config.outputPath.map { try ExistingOutput.prepare(path: $0, retryErrors: config.retryErrors, modify: false) } ?? ExistingOutput()
        let cache = try config.cachePath.map { try ResponseCache(path: $0) }
        var rows: [(String, Int, Int, Int, Int, String)] = []
        var totalCost: Decimal = 0
        var unknown = false
        var seen = Set<String>()
        for model in config.models {
            var n = 0, cached = 0, prompt = 0, completion = 0
            for j in jobs where j.model == model {
                if existing.done.contains(j.key) || !seen.insert(j.key).inserted { continue }
                if !config.refresh, let cache, try cache.lookup(cacheKey(j)) != nil { cached += 1; continue }
                n += 1
                prompt += j.estimatedPromptTokens
                completion += typicalCompletionTokens()
            }
            let cost: String
            if let p = price(for: model) {
                let c = p.cost(promptTokens: prompt, completionTokens: completion)
                totalCost += c
                cost = String(format: "%.6f", c.doubleValue)
            } else {
                unknown = true
                cost = "unknown"
            }
            rows.append((model, n, cached, prompt, completion, cost))
        }
        let width = max(5, config.models.map(\.count).max() ?? 5)
        func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
            let p = String(repeating: " ", count: max(0, w - s.count))
            return left ? s + p : p + s
        }
        var out = pad("model", width, left: true) + "  requests    cached  prompt_tokens  completion_tokens    cost_usd\n"
        for r in rows {
            out += pad(r.0, width, left: true) + "  " + pad("\(r.1)", 8) + "  " + pad("\(r.2)", 8) + "  "
                + pad("\(r.3)", 13) + "  " + pad("\(r.4)", 17) + "  " + pad(r.5, 10) + "\n"
        }
        let total = rows.reduce((0, 0, 0, 0)) { ($0.0 + $1.1, $0.1 + $1.2, $0.2 + $1.3, $0.3 + $1.4) }
        out += pad("total", width, left: true) + "  " + pad("\(total.0)", 8) + "  " + pad("\(total.1)", 8) + "  "
            + pad("\(total.2)", 13) + "  " + pad("\(total.3)", 17) + "  "
            + pad(String(format: "%.6f", totalCost.doubleValue) + (unknown ? "+" : ""), 10) + "\n"
        if unknown { out += "(+: some models have no known price; give --pricing FILE)\n" }
        if existing.spent > 0 || config.maxCost != nil {
            var line = String(format: "(already spent by the records in the -o file: $%.6f", existing.spent.doubleValue)
            if let b = config.maxCost {
                line += String(format: "; --max-cost $%.4f leaves $%.6f", b.doubleValue, max(0, (b - existing.spent).doubleValue))
            }
            out += line + ")\n"
        }
        out += "(tokens estimated as characters/4 and a typical \(typicalCompletionTokens())-token reply for the \(config.template.name) template; nothing was sent)\n"
        return out
    }

    func price(for model: String) -> ModelPrice? {
        if model.hasPrefix("sim/"), let s = try? SimModel.parse(model) { return s.price }
        return config.priceBook.price(for: model)
    }

    // MARK: running

    /// Runs every job not already in the output file; throws the run's ending condition
    /// (interrupt, budget, fatal API error) as a `JBError` after everything is flushed.
    @discardableResult
    public func run(inputs: [String]) async throws -> QuerySummary {
        let records = try readRecords(inputs: inputs)
        var existing = ExistingOutput()
        if let path = config.outputPath {
            existing = try ExistingOutput.prepare(path: path, retryErrors: config.retryErrors)
            if existing.repairedTail { reporter.warning("\(path): removed an incomplete last line left by a killed run") }
            if existing.removedErrors > 0 { reporter.info("\(path): asking \(counted(existing.removedErrors, "failed request")) again (--retry-errors)") }
            if existing.records > 0 {
                reporter.info("resuming: \(counted(existing.records, "record")) already in \(path) \(existing.records == 1 ? "is" : "are") not asked again")
            }
            if existing.spent > 0 {
                // The budget belongs to the run: what earlier invocations paid counts.
                ledger.addEarlier(existing.spent)
                if let budget = config.maxCost {
                    reporter.info(String(format: "budget: $%.6f of --max-cost $%.4f already spent by the records in %@; $%.6f left",
                                         existing.spent.doubleValue, budget.doubleValue, path,
                                         max(0, (budget - existing.spent).doubleValue)))
                }
            }
        }
        let earlier = existing.spent
        let runID = config.runID ?? existing.runID ?? makeRunID()
        // Jobs are made as requests go out, so the first is sent at once however long the
        // input; until the feed is exhausted, the total is an upper bound.
        let feed = JobFeed(records: records, done: existing.done, perRecord: jobsPerRecord,
                           prepare: { [unowned self] in self.prepare($0) }, job: { [unowned self] in self.job($0, $1) })
        summary.requests = records.count.multipliedReportingOverflow(by: jobsPerRecord).overflow
            ? Int.max : records.count * jobsPerRecord
        let questions = records.map(\.question)

        let backends = try makeBackends(questions: questions)
        if config.maxCost != nil {
            for m in config.models where price(for: m) == nil {
                throw JBError.usage("--max-cost needs the price of \(m); give --pricing FILE")
            }
        }
        let cache = try config.cachePath.map { try ResponseCache(path: $0) }
        sink = try RecordSink(path: config.outputPath)

        let interrupts = Interrupts(onFirst: { [weak self] in self?.beginStop(interrupt: true) },
                                    onSecond: { [weak self] in
                                        self?.sink?.freeze()
                                        _exit(130)
                                    })
        interrupts.install()
        defer { interrupts.uninstall() }

        let start = ContinuousClock.now
        let progressTask = reporter.progress.map { draw in
            Task.detached { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: 500_000_000)
                    guard let self, !Task.isCancelled else { return }
                    draw(self.progressLine(start: start))
                }
            }
        }
        let waitsForReal = backends.values.contains { $0.waitsForReal }
        let work = Task {
            if waitsForReal {
                // One feed and one set of workers per model, each model under its own limits.
                let epochs = self.config.epochs
                let lanes = self.config.models.enumerated().map { m, model in
                    Lane(model: model, feed: JobFeed(records: records, done: existing.done, perRecord: epochs,
                                                     prepare: { [unowned self] in self.prepare($0) },
                                                     job: { [unowned self] in self.job($0, m * epochs + $1) }),
                         limits: ModelLimit.resolve(model, in: self.config.modelLimits, openRouter: self.config.flavor == .openrouter),
                         globalConcurrency: self.config.concurrency)
                }
                await self.dispatch(lanes: lanes, backends: backends, cache: cache, runID: runID)
            } else {
                await self.dispatch(feed, backends: backends, cache: cache, runID: runID)
            }
        }
        lock.withLock { workTask = work }
        await work.value
        progressTask?.cancel()
        await progressTask?.value
        reporter.clearProgress()

        let s = lock.withLock { summary }
        if s.duplicates > 0 {
            reporter.warning("\(counted(s.duplicates, "request")) \(s.duplicates == 1 ? "repeats" : "repeat") an earlier one exactly (same question, model and epoch); asked once")
        }
        for (asked, reported) in lock.withLock({ otherModels }).sorted(by: { $0.key < $1.key }) {
            let list = reported.sorted { $0.key < $1.key }.map { "\"\($0.key)\" (\(counted($0.value, "answer")))" }
            reporter.warning("\(asked): the server reported another model for its answers: \(list.joined(separator: ", ")); the records keep it in reported_model")
        }
        if s.cachedWithoutTTFT > 0 {
            reporter.warning("--stream: \(counted(s.cachedWithoutTTFT, "answer")) came from the response cache, asked without streaming, so \(s.cachedWithoutTTFT == 1 ? "its" : "their") ttft_ms is null; --refresh asks again (and pays again) to measure time to first token")
        }
        reporter.info(summaryLine(s, elapsed: ContinuousClock.now - start))
        if let e = writeFailure {
            // Say what was kept and how to go on, once (the write error itself names the file
            // and the reason).
            if case .io(let path, let reason) = e {
                throw JBError.io(path: path, reason: reason + "; \(s.answered + s.errors) records were written before it" + resumeHint)
            }
            throw e
        }
        if let f = fatal {
            let what = f.status == 402 ? "no credits left" : (f.status == 401 ? "the API key was refused" : "cannot go on")
            let msg = "\(fatalModel): \(f.status.map { "HTTP \($0)" } ?? "error"): \(f.message) — \(what); stopped sending, \(counted(s.answered + s.errors, "record")) written; fix this and re-run with the same -o file to resume"
            throw f.status == 401 || f.status == 402 ? JBError.noPermission(msg) : JBError.unavailable(msg)
        }
        if interrupted {
            throw JBError.interrupted("interrupted: \(counted(s.answered + s.errors, "record")) written, \(counted(s.notSent, "request")) unanswered" + resumeHint)
        }
        if budgetStop {
            let before = earlier > 0 ? String(format: " ($%.6f of it by earlier invocations on this -o file)", earlier.doubleValue) : ""
            throw JBError.failed(String(format: "budget reached: $%.6f spent of --max-cost $%.4f", ledger.spent.doubleValue,
                                        (config.maxCost ?? 0).doubleValue) + before
                                 + "; \(counted(s.notSent, "request")) unanswered"
                                 + (config.outputPath.map { "; raise --max-cost and re-run with -o \($0) to go on" } ?? ""))
        }
        return s
    }

    private var resumeHint: String {
        // Inside `jb run` the run folder is the way to go on, whatever the stage's flags.
        if let dir = ProcessInfo.processInfo.environment["JB_RUN_DIR"], !dir.isEmpty {
            return "; continue with 'jb run --resume \(dir)'"
        }
        return config.outputPath.map { "; re-run with -o \($0) to resume" } ?? "; use -o FILE to make runs resumable"
    }

    func makeRunID() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let date = config.now()
        // With a fixed clock (`--clock`, SOURCE_DATE_EPOCH) the id depends on time and models
        // only, so the same command gives the same id; otherwise the process id keeps two
        // runs started in the same second apart.
        let process = config.clockIsFixed ? "" : "\u{1F}\(ProcessInfo.processInfo.processIdentifier)"
        let suffix = ContentHash.shortHex("\(date.timeIntervalSince1970)\u{1F}\(config.models)" + process, length: 6)
        return f.string(from: date) + "-" + suffix
    }

    func makeBackends(questions: [Question]) throws -> [String: any ModelBackend] {
        var out: [String: any ModelBackend] = [:]
        var api: ChatAPI?
        let context = config.models.contains { $0.hasPrefix("sim/") } ? SimModel.Context(questions: questions) : nil
        for m in config.models {
            if m.hasPrefix("sim/") {
                let sim = try SimModel.parse(m, defaultErrorRate: config.simErrorRate)
                out[m] = SimBackend(model: sim, template: config.template.name, askConfidence: config.askConfidence,
                                    maxTokens: config.params.maxTokens, seed: config.seed, context: context!,
                                    sleep: config.simSleep, stream: config.stream)
            } else {
                if api == nil {
                    if config.flavor == .openrouter && (config.apiKey ?? "").isEmpty {
                        throw JBError.usage("OPENROUTER_API_KEY is not set (environment, .env or config openrouter.api_key); simulated models (sim/good, sim/weak, …) need no key")
                    }
                    let client = config.client ?? makeDefaultHTTPClient(maxConnections: max(8, config.concurrency))
                    api = ChatAPI(flavor: config.flavor, baseURL: config.baseURL, apiKey: config.apiKey, client: client,
                                  timeout: config.timeout, stream: config.stream, requireParameters: config.requireParameters)
                }
                out[m] = APIBackend(api: api!, params: config.params)
            }
        }
        return out
    }

    func beginStop(interrupt: Bool) {
        let first: Bool = lock.withLock {
            let was = stopping
            stopping = true
            if interrupt { interrupted = true }
            return !was || interrupt
        }
        guard first else { return }
        gate.close()
        if interrupt {
            reporter.clearProgress()
            reporter.warning("stopping: no new requests; waiting up to \(ChatAPI.seconds(config.grace)) for those in flight (press Ctrl-C again to quit at once)")
            let grace = config.grace
            Task.detached { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(grace * 1e9))
                self?.lock.withLock { self?.workTask }?.cancel()
            }
        }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// Asks every job of the feed: as many workers as `--concurrency`, each taking the next job,
    /// a slot of the gate, and asking; so a reply is followed by the next request on the same
    /// task, with no hand-over to a dispatcher. The simulator without `--sim-sleep` never
    /// waits: then one worker answers in input order, which keeps the output byte-identical
    /// from run to run.
    private func dispatch(_ feed: JobFeed, backends: [String: any ModelBackend], cache: ResponseCache?, runID: String) async {
        let workers = backends.values.contains { $0.waitsForReal } ? config.concurrency : 1
        // A discarding group frees each task as it ends.
        await withDiscardingTaskGroup { group in
            for _ in 0..<max(1, workers) {
                group.addTask { await self.work(feed, backends: backends, cache: cache, runID: runID) }
            }
        }
        // What was never sent: the rest of the feed (the workers counted the jobs in hand),
        // counted without making them: a stop is prompt however many are left.
        let n = feed.abandon()
        lock.withLock { summary.notSent = summary.notSent.saturatingAdd(n) }
    }

    /// Asks every model's jobs at once, each model through its own lane: its own workers (as
    /// many as its concurrency), its own pacing, and the shared global gate and pacing. A
    /// model waiting for its own rpm holds no global slot, so the others run at full speed.
    private func dispatch(lanes: [Lane], backends: [String: any ModelBackend], cache: ResponseCache?, runID: String) async {
        await withDiscardingTaskGroup { group in
            for lane in lanes {
                for _ in 0..<lane.workers {
                    group.addTask { await self.work(lane.feed, backends: backends, cache: cache, runID: runID, lane: lane) }
                }
            }
        }
        // What was never sent, counted without making it (see the single-feed dispatch).
        let n = lanes.reduce(0) { $0.saturatingAdd($1.feed.abandon()) }
        lock.withLock { summary.notSent = summary.notSent.saturatingAdd(n) }
    }

    /// One worker: jobs from the feed until it is empty or the run stops.
    private func work(_ feed: JobFeed, backends: [String: any ModelBackend], cache: ResponseCache?, runID: String,
                      lane: Lane? = nil) async {
        func unsent() { lock.withLock { summary.notSent += 1 } }
        while true {
            if isStopping || Task.isCancelled { return }
            guard let job = nextJob(feed) else { return }
            if let cache, !config.refresh {
                do {
                    if let payload = try cache.lookup(cacheKey(job)) {
                        writeCacheHit(job, payload: payload, runID: runID)
                        continue
                    }
                } catch let e as JBError {
                    reporter.warning(e.description + "; going on without the cache")
                } catch {}
            }
            let reservation = reservationCost(job)
            var reserved = ledger.reserve(reservation)
            // Over budget with requests in flight: their real costs may leave room.
            while !reserved && ledger.hasReservations && !isStopping && !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 10_000_000)
                reserved = ledger.reserve(reservation)
            }
            if !reserved {
                if !isStopping { lock.withLock { budgetStop = true } }
                beginStop(interrupt: false)
                return unsent()
            }
            // The model's own pace first, holding no global slot while it waits.
            if let laneLimiter = lane?.limiter {
                do { try await laneLimiter.acquire() } catch {
                    ledger.settle(reserved: reservation, actual: 0)
                    return unsent()
                }
            }
            guard await gate.acquire() else {
                ledger.settle(reserved: reservation, actual: 0)
                return unsent()
            }
            if isStopping || Task.isCancelled {
                gate.release()
                ledger.settle(reserved: reservation, actual: 0)
                return unsent()
            }
            await perform(job, backend: backends[job.model]!, cache: cache, runID: runID, reservation: reservation,
                          laneLimiter: lane?.limiter)
            gate.release()
        }
    }

    /// The next job to send, counting those skipped (already in the output) or repeated.
    private func nextJob(_ feed: JobFeed) -> QueryJob? {
        let (job, skipped, duplicates) = feed.next()
        if skipped + duplicates > 0 {
            lock.withLock {
                summary.skipped += skipped
                summary.duplicates += duplicates
                summary.requests -= skipped + duplicates
            }
        }
        return job
    }

    /// The most a request may cost: its prompt at two bytes a token (real tokenizers
    /// average about four) and `max_tokens` (1024 when unset) of reply.
    func reservationCost(_ job: QueryJob) -> Decimal {
        guard config.maxCost != nil, let p = price(for: job.model) else { return 0 }
        return p.cost(promptTokens: job.estimatedPromptTokens * 2 + 16,
                      completionTokens: config.params.maxTokens ?? 1024)
    }

    private func perform(_ job: QueryJob, backend: any ModelBackend, cache: ResponseCache?, runID: String,
                         reservation: Decimal, laneLimiter: RateLimiter? = nil) async {
        let start = ContinuousClock.now
        var attempt = 0
        var simulatedMs = 0
        var rng = SplitMix64(seed: ContentHash.uint64("backoff\u{1F}\(job.key)"))
        while true {
            if Task.isCancelled { return abandon(reservation) }
            do {
                // The first attempt's slot of the model's own pace was taken before the global gate.
                if attempt > 0, let laneLimiter { try await laneLimiter.acquire() }
                try await limiter.acquire()
            } catch { return abandon(reservation) }
            attempt += 1
            lock.withLock { summary.attempts += 1 }
            let result = await backend.attempt(job, number: attempt)
            if Task.isCancelled { return abandon(reservation) }
            switch result {
            case .success(let c):
                gate.succeeded()
                let latency = c.simulatedLatencyMs.map { simulatedMs + $0 } ?? Self.milliseconds(ContinuousClock.now - start)
                finishAnswer(job, c, backend: backend, attempts: attempt, latencyMs: latency, cache: cache,
                             runID: runID, reservation: reservation)
                return
            case .failure(let f):
                simulatedMs += f.simulatedLatencyMs ?? 0
                if f.kind == .fatal {
                    lock.withLock {
                        if fatal == nil { fatal = f; fatalModel = job.model }
                    }
                    beginStop(interrupt: false)
                    return abandon(reservation)
                }
                if f.status == 429 { gate.rateLimited() }
                if f.kind == .retryable && attempt <= config.maxRetries {
                    if isStopping { return abandon(reservation) }
                    lock.withLock { summary.retries += 1 }
                    let exp = min(60, config.backoff * pow(2, Double(attempt - 1)))
                    let delay = f.retryAfter.map { min($0, 600) } ?? exp * (0.5 + 0.5 * rng.unit())
                    if let ra = f.retryAfter {
                        // Each model is paused alone: one provider's 429 does not hold up the rest.
                        if let laneLimiter { laneLimiter.pause(seconds: min(ra, 600)) } else { limiter.pause(seconds: min(ra, 600)) }
                    }
                    simulatedMs += Int(delay * 1000)
                    if backend.waitsForReal {
                        do { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) } catch { return abandon(reservation) }
                    }
                    continue
                }
                let latency = backend.waitsForReal ? Self.milliseconds(ContinuousClock.now - start) : simulatedMs
                finishError(job, f, backend: backend, attempts: attempt, latencyMs: latency, runID: runID, reservation: reservation)
                return
            }
        }
    }

    private func abandon(_ reservation: Decimal) {
        ledger.settle(reserved: reservation, actual: 0)
        lock.withLock { summary.notSent += 1 }
    }

    static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, built by hand: a formatter per record cost more CPU than the
    /// rest of the record.
    func timestamp() -> String {
        var t = time_t(config.now().timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday))T\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec))Z"
    }

    private func finishAnswer(_ job: QueryJob, _ c: Completion, backend: any ModelBackend, attempts: Int, latencyMs: Int,
                              cache: ResponseCache?, runID: String, reservation: Decimal) {
        var cost: Decimal?
        var source = "none"
        if backend.providerName == "sim", let p = price(for: job.model) {
            cost = p.cost(promptTokens: c.promptTokens ?? 0, completionTokens: c.completionTokens ?? 0)
            source = "sim"
        } else if let api = c.apiCost {
            cost = Decimal(string: String(api), locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(api)
            source = "api"
        } else if let p = price(for: job.model), let pt = c.promptTokens, let ct = c.completionTokens {
            cost = p.cost(promptTokens: pt, completionTokens: ct)
            source = "pricing"
        }
        ledger.settle(reserved: reservation, actual: cost ?? reservation)
        let createdAt = timestamp()
        var payload: JSONObject = [
            "response_text": .string(c.text),
            "finish_reason": JSON(c.finishReason),
            "upstream_provider": JSON(c.upstreamProvider),
            "reported_model": JSON(c.reportedModel),
            "provider": .string(backend.providerName),
            "tokens": ["prompt": JSON(c.promptTokens), "completion": JSON(c.completionTokens)],
            "latency_ms": .int(Int64(latencyMs)),
            "ttft_ms": JSON(c.ttftMs),
            "created_at": .string(createdAt),
        ]
        payload["cost_usd"] = JSON(cost.map(\.doubleValue))
        payload["cost_source"] = .string(source)
        // The cache first: if the process dies before the line is written, the paid answer
        // is still there for the next run.
        if let cache {
            do { try cache.store(key: cacheKey(job), model: job.model, payload: payload, createdAt: createdAt) } catch let e as JBError {
                reporter.warning(e.description)
            } catch {}
        }
        var record = baseRecord(job, runID: runID)
        for (k, v) in payload { record[k] = v }
        record["attempts"] = .int(Int64(attempts))
        record["cached"] = false
        record["error"] = .null
        noteReportedModel(asked: job.model, reported: c.reportedModel)
        lock.withLock {
            summary.answered += 1
            if let cost { summary.spent += cost } else { summary.unknownCost += 1 }
        }
        write(record)
    }

    private func finishError(_ job: QueryJob, _ f: AttemptFailure, backend: any ModelBackend, attempts: Int,
                             latencyMs: Int, runID: String, reservation: Decimal) {
        ledger.settle(reserved: reservation, actual: 0)
        var record = baseRecord(job, runID: runID)
        record["response_text"] = .null
        record["provider"] = .string(backend.providerName)
        record["upstream_provider"] = .null
        record["reported_model"] = .null
        record["finish_reason"] = .null
        record["latency_ms"] = .int(Int64(latencyMs))
        record["ttft_ms"] = .null
        record["tokens"] = ["prompt": nil, "completion": nil]
        record["cost_usd"] = .null
        record["cost_source"] = "none"
        record["attempts"] = .int(Int64(attempts))
        record["cached"] = false
        record["error"] = f.json
        record["created_at"] = .string(timestamp())
        lock.withLock { summary.errors += 1 }
        write(record)
    }

    private func writeCacheHit(_ job: QueryJob, payload: JSONObject, runID: String) {
        var record = baseRecord(job, runID: runID)
        for k in ["response_text", "finish_reason", "upstream_provider", "reported_model", "provider", "tokens", "latency_ms",
                  "ttft_ms", "created_at"] {
            record[k] = payload[k] ?? .null
        }
        noteReportedModel(asked: job.model, reported: payload["reported_model"]?.stringValue)
        let noTTFT = config.stream && (payload["ttft_ms"] ?? .null).isNull && !job.model.hasPrefix("sim/")
        record["cost_usd"] = .double(0)
        record["cost_source"] = "cache"
        record["attempts"] = 0
        record["cached"] = true
        record["error"] = .null
        lock.withLock {
            summary.answered += 1
            summary.cached += 1
            if noTTFT { summary.cachedWithoutTTFT += 1 }
        }
        write(record)
    }

    /// Counts an answer whose reported model is not the one asked for. A dated or numbered
    /// version of it (`openai/gpt-4o-mini-2024-07-18` for `openai/gpt-4o-mini`) or the id
    /// without an OpenRouter variant (`…:free`, `…:nitro`) is the one asked for.
    private func noteReportedModel(asked: String, reported: String?) {
        guard let reported, !reported.isEmpty, !QueryRunner.sameModel(asked: asked, reported: reported) else { return }
        lock.withLock { otherModels[asked, default: [:]][reported, default: 0] += 1 }
    }

    static func sameModel(asked: String, reported: String) -> Bool {
        var ids = [asked]
        if let colon = asked.lastIndex(of: ":"), asked.contains("/") { ids.append(String(asked[..<colon])) }
        // A version suffix starts with a digit: `-2024-07-18`, `-001`; `-mini` is another model.
        return ids.contains { reported == $0 || (reported.hasPrefix($0 + "-") && reported.dropFirst($0.count + 1).first?.isNumber == true) }
    }

    private func baseRecord(_ job: QueryJob, runID: String) -> JSONObject {
        var r = job.input
        r.reserveCapacity(r.count + 18)
        r["model"] = .string(job.model)
        r["template"] = .string(config.template.name)
        r["template_hash"] = .string(templateHash)
        r["params"] = paramsJSON
        r["epoch"] = .int(Int64(job.epoch))
        r["key"] = .string(job.key)
        r["run_id"] = .string(runID)
        return r
    }

    private func write(_ record: JSONObject) {
        do {
            try sink?.write(record)
        } catch let e as JBError {
            lock.withLock { if writeFailure == nil { writeFailure = e } }
            beginStop(interrupt: false)
        } catch {}
    }

    // MARK: progress

    func progressLine(start: ContinuousClock.Instant) -> String {
        let s = lock.withLock { summary }
        let done = s.answered + s.errors
        let elapsed = Double(Self.milliseconds(ContinuousClock.now - start)) / 1000
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var eta = "–"
        if rate > 0 && done < s.requests {
            let left = Double(s.requests - done) / rate
            eta = left >= 60 ? "\(Int(left) / 60)m\(String(format: "%02d", Int(left) % 60))s" : "\(Int(left))s"
        }
        return String(format: "%d/%d · %.1f/s · ETA %@ · %@ · %@ · %@", done, s.requests, rate, eta,
                      counted(s.errors, "error"), counted(s.retries, "retry", "retries"), Self.costText(s))
    }

    /// What was spent: dollars, "cost unknown" when no answer had a known cost (a local
    /// server reports none), or dollars plus how many answers are not in the sum.
    static func costText(_ s: QuerySummary) -> String {
        let paid = s.answered - s.cached
        if s.unknownCost > 0 && s.unknownCost >= paid && s.spent == 0 { return "cost unknown" }
        let dollars = String(format: "$%.4f", s.spent.doubleValue)
        return s.unknownCost > 0 ? dollars + " + \(counted(s.unknownCost, "answer")) of unknown cost" : dollars
    }

    func summaryLine(_ s: QuerySummary, elapsed: Duration) -> String {
        let secs = Double(Self.milliseconds(elapsed)) / 1000
        var line = "\(counted(s.requests, "request")): \(s.answered) answered"
        if s.cached > 0 { line += " (\(s.cached) from cache)" }
        line += ", \(counted(s.errors, "error")), \(counted(s.retries, "retry", "retries"))"
        if s.notSent > 0 { line += ", \(s.notSent) unanswered" }
        let paid = s.answered - s.cached
        if s.unknownCost > 0 && s.unknownCost >= paid && s.spent == 0 {
            line += ", cost unknown (the server reports none; give --pricing FILE)"
        } else {
            line += String(format: ", $%.4f spent", s.spent.doubleValue)
            if s.unknownCost > 0 { line += " (+ \(counted(s.unknownCost, "answer")) of unknown cost)" }
        }
        line += String(format: ", %.1f s", secs)
        if s.skipped > 0 { line += "; \(s.skipped) already done" }
        return line
    }
}

/// One model's share of a run: its jobs, its workers and its own pacing.
struct Lane: Sendable {
    var model: String
    var feed: JobFeed
    /// Workers: the model's own concurrency, at most the global one.
    var workers: Int
    /// The model's own pace (unlimited without an rpm): a `Retry-After` pauses this model only.
    var limiter: RateLimiter?

    init(model: String, feed: JobFeed, limits: (concurrency: Int?, rpm: Double?), globalConcurrency: Int) {
        self.model = model
        self.feed = feed
        workers = max(1, min(limits.concurrency ?? globalConcurrency, globalConcurrency))
        limiter = RateLimiter(rpm: limits.rpm)
    }
}

/// The jobs of a run in input order, made one record at a time as they are asked for (by any
/// number of workers); jobs already in the output file, and exact repeats, are left out (and
/// counted).
final class JobFeed: @unchecked Sendable {
    private let lock = NSLock()
    private let records: [(input: JSONObject, question: Question)]
    private let done: Set<String>
    private let perRecord: Int
    private let prepare: ((input: JSONObject, question: Question)) -> QueryRunner.PreparedRecord
    private let job: (QueryRunner.PreparedRecord, Int) -> QueryJob
    /// Prompts already fed: a record whose prompt repeats an earlier one repeats all its
    /// requests (one key per record, not per request, so memory does not grow with epochs).
    private var seenPrompts: Set<String> = []
    private var nextRecord = 0
    private var current: QueryRunner.PreparedRecord?
    private var nextIndex = 0

    init(records: [(input: JSONObject, question: Question)], done: Set<String>, perRecord: Int,
         prepare: @escaping ((input: JSONObject, question: Question)) -> QueryRunner.PreparedRecord,
         job: @escaping (QueryRunner.PreparedRecord, Int) -> QueryJob) {
        self.records = records
        self.done = done
        self.perRecord = perRecord
        self.prepare = prepare
        self.job = job
    }

    /// The next job, and how many were skipped (already in the output) and repeated on the
    /// way to it.
    func next() -> (QueryJob?, skipped: Int, duplicates: Int) {
        lock.lock()
        defer { lock.unlock() }
        var skipped = 0, duplicates = 0
        while true {
            guard let r = current else {
                guard nextRecord < records.count else { return (nil, skipped, duplicates) }
                let p = prepare(records[nextRecord])
                nextRecord += 1
                if seenPrompts.insert(p.key).inserted {
                    current = p
                    nextIndex = 0
                } else if done.isEmpty {
                    duplicates += perRecord
                } else {
                    let inOutput = (0..<perRecord).reduce(0) { $0 + (done.contains(job(p, $1).key) ? 1 : 0) }
                    skipped += inOutput
                    duplicates += perRecord - inOutput
                }
                continue
            }
            if nextIndex >= perRecord {
                current = nil
                continue
            }
            let j = job(r, nextIndex)
            nextIndex += 1
            if done.contains(j.key) { skipped += 1; continue }
            return (j, skipped, duplicates)
        }
    }

    /// Ends the feed and returns how many jobs it still held, without making them (an upper
    /// bound when some of them are in the output already).
    func abandon() -> Int {
        lock.lock()
        defer { lock.unlock() }
        var n = current == nil ? 0 : perRecord - nextIndex
        let left = records.count - nextRecord
        let (rest, overflow) = left.multipliedReportingOverflow(by: perRecord)
        n = overflow ? Int.max : n.saturatingAdd(rest)
        current = nil
        nextRecord = records.count
        return n
    }
}

/// Something that answers one attempt of a job: the HTTP API or the simulator.
protocol ModelBackend: Sendable {
    /// The record's `provider`.
    var providerName: String { get }
    /// Whether backoff waits really sleep (the simulator without `--sim-sleep` does not).
    var waitsForReal: Bool { get }
    func attempt(_ job: QueryJob, number: Int) async -> Result<Completion, AttemptFailure>
}

struct APIBackend: ModelBackend {
    var api: ChatAPI
    var providerName: String { api.flavor.rawValue }
    var waitsForReal: Bool { true }
    func attempt(_ job: QueryJob, number: Int) async -> Result<Completion, AttemptFailure> {
        await api.attempt(model: job.model, messages: job.messages, params: paramsOf(job))
    }
    var params: GenerationParams
    func paramsOf(_ job: QueryJob) -> GenerationParams { params }
}

struct SimBackend: ModelBackend {
    var model: SimModel
    var template: String
    var askConfidence: Bool
    var maxTokens: Int?
    var seed: UInt64
    var context: SimModel.Context
    var sleep: Bool
    var stream: Bool
    var providerName: String { "sim" }
    var waitsForReal: Bool { sleep }

    func attempt(_ job: QueryJob, number: Int) async -> Result<Completion, AttemptFailure> {
        let r = model.reply(question: job.question, messages: job.messages, template: template, askConfidence: askConfidence,
                            maxTokens: maxTokens, seed: seed, key: job.key, attempt: number, context: context)
        switch r {
        case .answer(let text, let finish, let p, let c, let latency, let ttft):
            if sleep { try? await Task.sleep(nanoseconds: UInt64(latency) * 1_000_000) }
            return .success(Completion(text: text, finishReason: finish, upstreamProvider: "sim", reportedModel: job.model, promptTokens: p,
                                       completionTokens: c, apiCost: nil, ttftMs: stream ? ttft : nil, simulatedLatencyMs: latency))
        case .failure(let status, let message, let retryAfter, let latency):
            if sleep { try? await Task.sleep(nanoseconds: UInt64(min(latency, 2000)) * 1_000_000) }
            var f = AttemptFailure(status: status, code: JSON(status), message: message,
                                   kind: AttemptFailure.kind(status: status), retryAfter: retryAfter)
            f.simulatedLatencyMs = latency
            return .failure(f)
        }
    }
}
