import Foundation
import JBChat
import JBCore

#if canImport(Glibc)
import Glibc
#endif

/// Builds a run's response records (docs/records.md): the fields every record shares, and
/// those of an answer, an error and a cache hit.
struct ResponseRecords: Sendable {
    let templateName: String
    let templateHash: String
    /// The generation parameters as sent and recorded.
    let paramsJSON: JSON
    let runID: String

    init(jobs: JobMaker, runID: String) {
        templateName = jobs.config.template.name
        templateHash = jobs.templateHash
        paramsJSON = jobs.paramsJSON
        self.runID = runID
    }

    /// The response to `job`, its answer's fields still empty (an error's).
    func base(_ job: QueryJob, provider: String, createdAt: String) -> Response {
        Response(extra: job.input, model: job.model, template: templateName, templateHash: templateHash, params: paramsJSON,
                 epoch: job.epoch, key: job.key, runID: runID, provider: provider, createdAt: createdAt)
    }

    /// The answer's fields the response cache keeps (with its cost, which a cache hit does not pass on).
    static let cachedFields: [Response.Key] = [
        .responseText, .finishReason, .upstreamProvider, .reportedModel, .provider, .tokens, .latencyMS, .ttftMS, .createdAt,
    ]

    /// The record of an answer just got, and what the response cache keeps of it.
    func answer(_ job: QueryJob, _ c: Completion, provider: String, attempts: Int, latencyMs: Int, cost: Decimal?,
                costSource: String, createdAt: String) -> (record: JSONObject, payload: JSONObject) {
        var r = base(job, provider: provider, createdAt: createdAt)
        r.responseText = c.text
        r.finishReason = c.finishReason
        r.upstreamProvider = c.upstreamProvider
        r.reportedModel = c.reportedModel
        r.tokens = (c.promptTokens, c.completionTokens)
        r.latencyMS = latencyMs
        r.ttftMS = c.ttftMs
        r.costUSD = cost.map(\.doubleValue)
        r.costSource = costSource
        r.attempts = attempts
        return (r.object, r.object(ResponseRecords.cachedFields + [.costUSD, .costSource]))
    }

    /// The record of a request that failed for good.
    func error(_ job: QueryJob, _ f: AttemptFailure, provider: String, attempts: Int, latencyMs: Int,
               createdAt: String) -> JSONObject {
        var r = base(job, provider: provider, createdAt: createdAt)
        r.latencyMS = latencyMs
        r.attempts = attempts
        r.error = f.failure
        return r.object
    }

    /// The record of an answer from the response cache: free, no attempts.
    func cacheHit(_ job: QueryJob, payload: JSONObject) -> Response {
        var r = base(job, provider: "", createdAt: "")
        r.restore(ResponseRecords.cachedFields, from: payload)
        r.costUSD = 0
        r.costSource = "cache"
        r.cached = true
        return r
    }
}
