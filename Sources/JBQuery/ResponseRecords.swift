import Foundation
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

    /// The input record and what identifies the request.
    func base(_ job: QueryJob) -> JSONObject {
        var r = job.input
        r.reserveCapacity(r.count + 18)
        r["model"] = .string(job.model)
        r["template"] = .string(templateName)
        r["template_hash"] = .string(templateHash)
        r["params"] = paramsJSON
        r["epoch"] = .int(Int64(job.epoch))
        r["key"] = .string(job.key)
        r["run_id"] = .string(runID)
        return r
    }

    /// An answer's fields as the response cache keeps them (and the record repeats).
    static func payload(_ c: Completion, provider: String, latencyMs: Int, cost: Decimal?, costSource: String,
                        createdAt: String) -> JSONObject {
        var payload: JSONObject = [
            "response_text": .string(c.text),
            "finish_reason": JSON(c.finishReason),
            "upstream_provider": JSON(c.upstreamProvider),
            "reported_model": JSON(c.reportedModel),
            "provider": .string(provider),
            "tokens": ["prompt": JSON(c.promptTokens), "completion": JSON(c.completionTokens)],
            "latency_ms": .int(Int64(latencyMs)),
            "ttft_ms": JSON(c.ttftMs),
            "created_at": .string(createdAt),
        ]
        payload["cost_usd"] = JSON(cost.map(\.doubleValue))
        payload["cost_source"] = .string(costSource)
        return payload
    }

    /// The record of an answer just got.
    func answer(_ job: QueryJob, payload: JSONObject, attempts: Int) -> JSONObject {
        var record = base(job)
        for (k, v) in payload { record[k] = v }
        record["attempts"] = .int(Int64(attempts))
        record["cached"] = false
        record["error"] = .null
        return record
    }

    /// The record of a request that failed for good.
    func error(_ job: QueryJob, _ f: AttemptFailure, provider: String, attempts: Int, latencyMs: Int,
               createdAt: String) -> JSONObject {
        var record = base(job)
        record["response_text"] = .null
        record["provider"] = .string(provider)
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
        record["created_at"] = .string(createdAt)
        return record
    }

    /// The record of an answer from the response cache: free, no attempts.
    func cacheHit(_ job: QueryJob, payload: JSONObject) -> JSONObject {
        var record = base(job)
        for k in ["response_text", "finish_reason", "upstream_provider", "reported_model", "provider", "tokens", "latency_ms",
                  "ttft_ms", "created_at"] {
            record[k] = payload[k] ?? .null
        }
        record["cost_usd"] = .double(0)
        record["cost_source"] = "cache"
        record["attempts"] = 0
        record["cached"] = true
        record["error"] = .null
        return record
    }
}
