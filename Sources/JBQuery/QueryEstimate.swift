import Foundation
import JBCore

/// The `--estimate` table: requests, estimated tokens and cost per model; sends nothing.
struct QueryEstimate {
    let config: QueryConfig
    let jobs: JobMaker
    let reporter: QueryReporter

    /// Typical reply length in tokens for the template (capped by `max_tokens`).
    static func typicalCompletionTokens(_ config: QueryConfig) -> Int {
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

    /// The table for `inputs`, as printed.
    func table(inputs: [String]) throws -> String {
        let typical = Self.typicalCompletionTokens(config)
        let (jobs, _) = try self.jobs.makeJobs(inputs: inputs, reporter: reporter)
        let existing = try config.outputPath.map { try ExistingOutput.prepare(path: $0, retryErrors: config.retryErrors, modify: false) } ?? ExistingOutput()
        let cache = try config.cachePath.map { try ResponseCache(path: $0) }
        var rows: [(String, Int, Int, Int, Int, String)] = []
        var totalCost: Decimal = 0
        var unknown = false
        var seen = Set<String>()
        for model in config.models {
            var n = 0, cached = 0, prompt = 0, completion = 0
            // Each request priced on its own: a long prompt may pass its model's long-prompt
            // threshold (the catalogue's `min_prompt_tokens`) where a short one does not.
            var price: Decimal? = config.cost(of: model, promptTokens: 0, completionTokens: 0).map { _ in 0 }
            for j in jobs where j.model == model {
                if existing.done.contains(j.key) || !seen.insert(j.key).inserted { continue }
                if !config.refresh, let cache, try cache.lookup(self.jobs.cacheKey(j)) != nil { cached += 1; continue }
                n += 1
                prompt += j.estimatedPromptTokens
                completion += typical
                if let sum = price {
                    price = config.cost(of: model, promptTokens: j.estimatedPromptTokens, completionTokens: typical).map { sum + $0 }
                }
            }
            let cost: String
            if let c = price {
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
        out += "(tokens estimated as characters/4 and a typical \(typical)-token reply for the \(config.template.name) template; nothing was sent)\n"
        return out
    }
}
