import Foundation
import JBChat
import JBCore
import JBHTTP

/// Something that answers one attempt of a job: the HTTP API or the simulator.
protocol ModelBackend: Sendable {
    /// The record's `provider`.
    var providerName: String { get }
    /// Whether backoff waits really sleep (the simulator without `--sim-sleep` does not).
    var waitsForReal: Bool { get }
    func attempt(_ job: QueryJob, number: Int) async -> Result<Completion, AttemptFailure>
}

struct APIBackend: ModelBackend {
    var api: ChatClient
    var providerName: String { api.provider.name }
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

/// The backend of each model of a run: the simulator for `sim/…` ids, the HTTP API (one
/// client, shared) for the rest.
enum ModelBackends {
    static func make(config: QueryConfig, questions: [Question]) throws -> [String: any ModelBackend] {
        var out: [String: any ModelBackend] = [:]
        var api: ChatClient?
        let context = config.models.contains(where: ModelID.isSimulated) ? SimModel.Context(questions: questions) : nil
        for m in config.models {
            if ModelID.isSimulated(m) {
                let sim = try SimModel.parse(m, defaultErrorRate: config.simErrorRate)
                out[m] = SimBackend(model: sim, template: config.template.name, askConfidence: config.askConfidence,
                                    maxTokens: config.params.maxTokens, seed: config.seed, context: context!,
                                    sleep: config.simSleep, stream: config.stream)
            } else {
                if api == nil {
                    let provider = config.provider
                    if provider.needsKey && (config.apiKey ?? "").isEmpty {
                        throw JBError.usage("\(provider.keyVariable) is not set (environment, .env or config \(provider.keySetting)); simulated models (sim/good, sim/weak, …) need no key")
                    }
                    let client = config.client ?? makeDefaultHTTPClient(maxConnections: max(8, config.concurrency))
                    api = ChatClient(provider: provider, baseURL: config.baseURL, apiKey: config.apiKey, client: client,
                                     timeout: config.timeout, stream: config.stream)
                }
                out[m] = APIBackend(api: api!, params: config.params)
            }
        }
        return out
    }
}
