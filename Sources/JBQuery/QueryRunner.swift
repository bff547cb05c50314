import Foundation
import JBChat
import JBCore
import JBHTTP

#if canImport(Glibc)
import Glibc
#endif

/// Asks models every question of the input, writing one response record per question,
/// model and epoch, as each completes: the orchestration (workers, pacing, budget, stopping,
/// the attempt loop). Jobs come from `JobMaker`, answers from a `ModelBackend`, records from
/// `ResponseRecords`, the estimate from `QueryEstimate`.
public final class QueryRunner: @unchecked Sendable {
    let config: QueryConfig
    let reporter: QueryReporter
    let jobs: JobMaker
    private let lock = NSLock()
    private var summary = QuerySummary()
    private var stopping = false
    private var interrupted = false
    private var fatal: AttemptFailure?
    private var fatalModel = ""
    private var budgetStop = false
    private let reportedModels = ReportedModels()
    private var writeFailure: JBError?
    private var workTask: Task<Void, Never>?
    private var gate: ConcurrencyGate
    private let limiter: RateLimiter
    private let ledger: Ledger
    private var sink: RecordSink?

    public init(config: QueryConfig, reporter: QueryReporter = .silent) {
        self.config = config
        self.reporter = reporter
        jobs = JobMaker(config: config)
        gate = ConcurrencyGate(maximum: config.concurrency)
        limiter = RateLimiter(rpm: config.rpm)
        ledger = Ledger(budget: config.maxCost)
    }

    /// The `--estimate` table: requests, estimated tokens and cost per model; sends nothing.
    public func estimate(inputs: [String]) throws -> String {
        try QueryEstimate(config: config, jobs: jobs, reporter: reporter).table(inputs: inputs)
    }

    // MARK: running

    /// Runs every job not already in the output file; throws the run's ending condition
    /// (interrupt, budget, fatal API error) as a `JBError` after everything is flushed.
    @discardableResult
    public func run(inputs: [String]) async throws -> QuerySummary {
        let inputRecords = try jobs.readRecords(inputs: inputs, reporter: reporter)
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
        let jobs = self.jobs
        let records = ResponseRecords(jobs: jobs, runID: config.runID ?? existing.runID ?? makeRunID())
        // Jobs are made as requests go out, so the first is sent at once however long the
        // input; until the feed is exhausted, the total is an upper bound.
        let feed = JobFeed(records: inputRecords, done: existing.done, perRecord: jobs.perRecord,
                           prepare: { jobs.prepare($0) }, job: { jobs.job($0, $1) })
        summary.requests = inputRecords.count.multipliedReportingOverflow(by: jobs.perRecord).overflow
            ? Int.max : inputRecords.count * jobs.perRecord
        let questions = inputRecords.map(\.question)

        let backends = try ModelBackends.make(config: config, questions: questions)
        if config.maxCost != nil {
            for m in config.models where config.cost(of: m, promptTokens: 0, completionTokens: 0) == nil {
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
                    draw(self.lock.withLock { self.summary }.progressLine(elapsed: ContinuousClock.now - start))
                }
            }
        }
        let waitsForReal = backends.values.contains { $0.waitsForReal }
        let work = Task {
            if waitsForReal {
                // One feed and one set of workers per model, each model under its own limits.
                let epochs = self.config.epochs
                let lanes = self.config.models.enumerated().map { m, model in
                    Lane(model: model, feed: JobFeed(records: inputRecords, done: existing.done, perRecord: epochs,
                                                     prepare: { jobs.prepare($0) },
                                                     job: { jobs.job($0, m * epochs + $1) }),
                         limits: ModelLimit.resolve(model, in: self.config.modelLimits, provider: self.config.provider),
                         globalConcurrency: self.config.concurrency)
                }
                await self.dispatch(lanes: lanes, backends: backends, cache: cache, records: records)
            } else {
                await self.dispatch(feed, backends: backends, cache: cache, records: records)
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
        for warning in reportedModels.warnings { reporter.warning(warning) }
        if s.cachedWithoutTTFT > 0 {
            reporter.warning("--stream: \(counted(s.cachedWithoutTTFT, "answer")) came from the response cache, asked without streaming, so \(s.cachedWithoutTTFT == 1 ? "its" : "their") ttft_ms is null; --refresh asks again (and pays again) to measure time to first token")
        }
        reporter.info(s.line(elapsed: ContinuousClock.now - start))
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
        let date = config.now()
        // With a fixed clock (`--clock`, SOURCE_DATE_EPOCH) the id depends on time and models
        // only, so the same command gives the same id; otherwise the process id keeps two
        // runs started in the same second apart.
        let process = config.clockIsFixed ? "" : "\u{1F}\(ProcessInfo.processInfo.processIdentifier)"
        let suffix = ContentHash.shortHex("\(date.timeIntervalSince1970)\u{1F}\(config.models)" + process, length: 6)
        return Timestamp.compactISO(date) + "-" + suffix
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
            reporter.warning("stopping: no new requests; waiting up to \(ChatClient.seconds(config.grace)) for those in flight (press Ctrl-C again to quit at once)")
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
    private func dispatch(_ feed: JobFeed, backends: [String: any ModelBackend], cache: ResponseCache?, records: ResponseRecords) async {
        let workers = backends.values.contains { $0.waitsForReal } ? config.concurrency : 1
        // A discarding group frees each task as it ends.
        await withDiscardingTaskGroup { group in
            for _ in 0..<max(1, workers) {
                group.addTask { await self.work(feed, backends: backends, cache: cache, records: records) }
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
    private func dispatch(lanes: [Lane], backends: [String: any ModelBackend], cache: ResponseCache?, records: ResponseRecords) async {
        await withDiscardingTaskGroup { group in
            for lane in lanes {
                for _ in 0..<lane.workers {
                    group.addTask { await self.work(lane.feed, backends: backends, cache: cache, records: records, lane: lane) }
                }
            }
        }
        // What was never sent, counted without making it (see the single-feed dispatch).
        let n = lanes.reduce(0) { $0.saturatingAdd($1.feed.abandon()) }
        lock.withLock { summary.notSent = summary.notSent.saturatingAdd(n) }
    }

    /// One worker: jobs from the feed until it is empty or the run stops.
    private func work(_ feed: JobFeed, backends: [String: any ModelBackend], cache: ResponseCache?, records: ResponseRecords,
                      lane: Lane? = nil) async {
        func unsent() { lock.withLock { summary.notSent += 1 } }
        while true {
            if isStopping || Task.isCancelled { return }
            guard let job = nextJob(feed) else { return }
            if let cache, !config.refresh {
                do {
                    if let payload = try cache.lookup(jobs.cacheKey(job)) {
                        writeCacheHit(job, payload: payload, records: records)
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
            await perform(job, backend: backends[job.model]!, cache: cache, records: records, reservation: reservation,
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
        guard config.maxCost != nil else { return 0 }
        return config.cost(of: job.model, promptTokens: job.estimatedPromptTokens * 2 + 16,
                           completionTokens: config.params.maxTokens ?? 1024) ?? 0
    }

    private func perform(_ job: QueryJob, backend: any ModelBackend, cache: ResponseCache?, records: ResponseRecords,
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
                let latency = c.simulatedLatencyMs.map { simulatedMs + $0 } ?? (ContinuousClock.now - start).wholeMilliseconds
                finishAnswer(job, c, backend: backend, attempts: attempt, latencyMs: latency, cache: cache,
                             records: records, reservation: reservation)
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
                if config.retry.retries(f, attempt: attempt) {
                    if isStopping { return abandon(reservation) }
                    lock.withLock { summary.retries += 1 }
                    let delay = config.retry.delay(after: f, attempt: attempt, jitter: rng.unit())
                    if let pause = config.retry.pause(f) {
                        // Each model is paused alone: one provider's 429 does not hold up the rest.
                        if let laneLimiter { laneLimiter.pause(seconds: pause) } else { limiter.pause(seconds: pause) }
                    }
                    simulatedMs += Int(delay * 1000)
                    if backend.waitsForReal {
                        do { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) } catch { return abandon(reservation) }
                    }
                    continue
                }
                let latency = backend.waitsForReal ? (ContinuousClock.now - start).wholeMilliseconds : simulatedMs
                finishError(job, f, backend: backend, attempts: attempt, latencyMs: latency, records: records, reservation: reservation)
                return
            }
        }
    }

    private func abandon(_ reservation: Decimal) {
        ledger.settle(reserved: reservation, actual: 0)
        lock.withLock { summary.notSent += 1 }
    }

    private func finishAnswer(_ job: QueryJob, _ c: Completion, backend: any ModelBackend, attempts: Int, latencyMs: Int,
                              cache: ResponseCache?, records: ResponseRecords, reservation: Decimal) {
        var cost: Decimal?
        var source = "none"
        if let sim = backend as? SimBackend {
            // The simulated model's price, parsed once with its backend (not per answer).
            cost = sim.model.price.cost(promptTokens: c.promptTokens ?? 0, completionTokens: c.completionTokens ?? 0)
            source = "sim"
        } else if let api = c.apiCost {
            cost = Decimal(string: String(api), locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(api)
            source = "api"
        } else if let pt = c.promptTokens, let ct = c.completionTokens,
                  let priced = config.cost(of: job.model, promptTokens: pt, completionTokens: ct) {
            cost = priced
            source = "pricing"
        }
        ledger.settle(reserved: reservation, actual: cost ?? reservation)
        let createdAt = Timestamp.format(config.now())
        let (record, payload) = records.answer(job, c, provider: backend.providerName, attempts: attempts, latencyMs: latencyMs,
                                               cost: cost, costSource: source, createdAt: createdAt)
        // The cache first: if the process dies before the line is written, the paid answer
        // is still there for the next run.
        if let cache {
            do { try cache.store(key: jobs.cacheKey(job), model: job.model, payload: payload, createdAt: createdAt) } catch let e as JBError {
                reporter.warning(e.description)
            } catch {}
        }
        reportedModels.note(asked: job.model, reported: c.reportedModel)
        lock.withLock {
            summary.answered += 1
            if let cost { summary.spent += cost } else { summary.unknownCost += 1 }
        }
        write(record)
    }

    private func finishError(_ job: QueryJob, _ f: AttemptFailure, backend: any ModelBackend, attempts: Int,
                             latencyMs: Int, records: ResponseRecords, reservation: Decimal) {
        ledger.settle(reserved: reservation, actual: 0)
        let record = records.error(job, f, provider: backend.providerName, attempts: attempts, latencyMs: latencyMs,
                                   createdAt: Timestamp.format(config.now()))
        lock.withLock { summary.errors += 1 }
        write(record)
    }

    private func writeCacheHit(_ job: QueryJob, payload: JSONObject, records: ResponseRecords) {
        let response = records.cacheHit(job, payload: payload)
        reportedModels.note(asked: job.model, reported: response.reportedModel)
        let noTTFT = config.stream && response.ttftMS == nil && !ModelID.isSimulated(job.model)
        lock.withLock {
            summary.answered += 1
            summary.cached += 1
            if noTTFT { summary.cachedWithoutTTFT += 1 }
        }
        write(response.object)
    }

    private func write(_ record: JSONObject) {
        do {
            try sink?.write(record)
        } catch let e as JBError {
            lock.withLock { if writeFailure == nil { writeFailure = e } }
            beginStop(interrupt: false)
        } catch {}
    }
}
