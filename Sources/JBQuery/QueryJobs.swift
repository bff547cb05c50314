import Foundation
import JBChat
import JBCore

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

/// An input record and the question it holds.
typealias InputRecord = (input: JSONObject, question: Question)

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

/// Turns input records into jobs: reads and checks them, builds each prompt once, and gives
/// each job its content key and its response-cache key.
struct JobMaker: Sendable {
    let config: QueryConfig
    /// The template's hash, computed once (it is in every key and record).
    let templateHash: String
    /// The generation parameters as sent and recorded, built once.
    let paramsJSON: JSON
    /// What besides the request decides a remote model's answer: the server (dialect and
    /// base URL) and, on OpenRouter, the routing constraint. Part of every cache key.
    let endpointID: String

    init(config: QueryConfig) {
        self.config = config
        templateHash = config.template.hash
        paramsJSON = .object(config.params.json)
        endpointID = config.provider.endpointID(baseURL: config.baseURL)
    }

    /// Models × epochs: the jobs each record makes.
    var perRecord: Int { config.models.count * config.epochs }

    /// The response cache's key of a job: its content key (the record's `key`) and the
    /// endpoint that answers it, so one model id asked of two servers is two cache entries.
    func cacheKey(_ job: QueryJob) -> String {
        ContentHash.sha256Hex(job.key + "\u{1F}" + (ModelID.isSimulated(job.model) ? "sim" : endpointID))
    }

    /// Reads the input records and makes the jobs, in input order.
    func makeJobs(inputs: [String], reporter: QueryReporter) throws -> (jobs: [QueryJob], questions: [Question]) {
        let records = try readRecords(inputs: inputs, reporter: reporter)
        var jobs: [QueryJob] = []
        for r in records { jobs.append(contentsOf: makeJobs(for: r)) }
        return (jobs, records.map(\.question))
    }

    /// Reads and checks every input record (a bad one stops the run before anything is sent).
    func readRecords(inputs: [String], reporter: QueryReporter) throws -> [InputRecord] {
        let reader = JSONLReader(paths: inputs)
        var records: [InputRecord] = []
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
    static let laterStageFields: [String] = [Grade.recordKey] + Response.Key.names

    /// Removes `laterStageFields` from `o`; true when there were any.
    static func removeLaterStageFields(_ o: inout JSONObject) -> Bool {
        var removed = false
        for k in laterStageFields where o.removeValue(forKey: k) != nil { removed = true }
        return removed
    }

    /// The jobs of one record: each model and epoch, in that order.
    func makeJobs(for record: InputRecord) -> [QueryJob] {
        let prepared = prepare(record)
        return (0..<perRecord).map { job(prepared, $0) }
    }

    /// Builds the prompt of one record.
    func prepare(_ record: InputRecord) -> PreparedRecord {
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
    private let records: [InputRecord]
    private let done: Set<String>
    private let perRecord: Int
    private let prepare: (InputRecord) -> PreparedRecord
    private let job: (PreparedRecord, Int) -> QueryJob
    /// Prompts already fed: a record whose prompt repeats an earlier one repeats all its
    /// requests (one key per record, not per request, so memory does not grow with epochs).
    private var seenPrompts: Set<String> = []
    private var nextRecord = 0
    private var current: PreparedRecord?
    private var nextIndex = 0

    init(records: [InputRecord], done: Set<String>, perRecord: Int,
         prepare: @escaping (InputRecord) -> PreparedRecord,
         job: @escaping (PreparedRecord, Int) -> QueryJob) {
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

