import Foundation
import JBCore

/// How jb-models writes its answers.
public enum OutputFormat: Sendable, Equatable {
    /// Aligned columns for people (the default on a terminal).
    case table
    /// One JSON object per line (with `--json`, or when stdout is not a terminal).
    case jsonLines
}

/// Writes models, one model's details and the cache status, as a table or JSON Lines.
public struct ModelPrinter {
    /// The format.
    public let format: OutputFormat
    /// Where the lines go (stdout in the tool).
    public let writer: JSONLWriter

    /// A printer writing `format` to `writer`.
    public init(format: OutputFormat, writer: JSONLWriter) {
        self.format = format
        self.writer = writer
    }

    /// Writes a list of models: one record each, or a table with id, context, prices and name.
    public func list(_ models: [ModelInfo]) throws {
        guard format == .table else {
            for m in models { try writer.write(m.record) }
            return
        }
        guard !models.isEmpty else { return }
        var rows = [["ID", "CONTEXT", "PROMPT $/M", "COMPLETION $/M", "NAME"]]
        for m in models {
            rows.append([m.id, m.contextLength.map(ModelPrinter.grouped) ?? "-",
                         ModelPrinter.price(m.pricing.prompt), ModelPrinter.price(m.pricing.completion), m.name])
        }
        try table(rows, rightAligned: [1, 2, 3])
    }

    /// Writes everything known about one model: its record, or labelled lines.
    public func info(_ m: ModelInfo) throws {
        guard format == .table else {
            try writer.write(m.record)
            return
        }
        var lines: [(String, String)] = [("id", m.id), ("name", m.name), ("provider", m.provider)]
        if let s = m.canonicalSlug, s != m.id { lines.append(("canonical slug", s)) }
        if let a = m.aliasTarget { lines.append(("alias of", a)) }
        lines.append(("context length", m.contextLength.map { ModelPrinter.grouped($0) + " tokens" } ?? "unknown"))
        if let c = m.maxCompletionTokens { lines.append(("max completion", ModelPrinter.grouped(c) + " tokens")) }
        lines.append(("modality", m.modality ?? "unknown"))
        if !m.inputModalities.isEmpty { lines.append(("input", m.inputModalities.joined(separator: ", "))) }
        if !m.outputModalities.isEmpty { lines.append(("output", m.outputModalities.joined(separator: ", "))) }
        lines.append(("prompt price", ModelPrinter.perMillionText(m.pricing.prompt)))
        lines.append(("completion price", ModelPrinter.perMillionText(m.pricing.completion)))
        for key in m.pricing.prices.keys.sorted() where key != "prompt" && key != "completion" {
            let v = m.pricing.prices[key]!
            guard v != 0 else { continue }
            lines.append((key.replacingOccurrences(of: "_", with: " ") + " price", ModelPrinter.otherPriceText(key, v)))
        }
        for o in m.pricing.overrides {
            var when: [String] = []
            if let t = o.minPromptTokens { when.append("from \(ModelPrinter.grouped(t)) prompt tokens") }
            if let s = o.utcStart, let e = o.utcEnd { when.append("\(ModelPrinter.clock(s))–\(ModelPrinter.clock(e)) UTC") }
            let p = o.prices["prompt"].map { "prompt \(ModelPrinter.perMillionText($0))" }
            let c = o.prices["completion"].map { "completion \(ModelPrinter.perMillionText($0))" }
            lines.append(("price override", (when.isEmpty ? "always" : when.joined(separator: ", ")) + ": "
                          + [p, c].compactMap { $0 }.joined(separator: ", ")))
        }
        lines.append(("parameters", m.supportedParameters.isEmpty ? "none listed" : m.supportedParameters.joined(separator: ", ")))
        if let k = m.knowledgeCutoff { lines.append(("knowledge cutoff", k)) }
        if let e = m.expirationDate { lines.append(("expires", e)) }
        if let c = m.created { lines.append(("added", Timestamp.format(Date(timeIntervalSince1970: TimeInterval(c))))) }
        if !m.description.isEmpty { lines.append(("description", m.description.replacingOccurrences(of: "\n", with: " "))) }
        let width = lines.map(\.0.count).max() ?? 0
        for (label, value) in lines {
            // Values come from a remote catalogue: no control character reaches the terminal.
            try writer.writeLine(Array((label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + TerminalText.safe(value)).utf8))
        }
    }

    /// Writes the cache status: its record, or labelled lines.
    public func cacheStatus(_ s: CatalogCache.Status) throws {
        guard format == .table else {
            try writer.write(s.record)
            return
        }
        var lines: [(String, String)] = [("cache file", s.path)]
        if !s.exists {
            lines.append(("state", "absent (run jb-models refresh)"))
        } else if let problem = s.problem {
            lines.append(("state", "corrupt: \(problem) (run jb-models refresh or jb-models cache clear)"))
        } else if let entry = s.entry {
            let age = CatalogLoader.hours(s.ageSeconds ?? 0)
            lines.append(("state", s.fresh ? "fresh (\(age) old, fresh for \(CatalogLoader.hours(s.maxAge)))"
                                           : "stale (\(age) old, fresh for \(CatalogLoader.hours(s.maxAge)))"))
            lines.append(("fetched at", Timestamp.format(entry.fetchedAt)))
            lines.append(("base url", entry.baseURL))
            lines.append(("models", String(entry.catalog.count)))
            lines.append(("size", ModelPrinter.grouped(entry.byteCount) + " bytes"))
        }
        let width = lines.map(\.0.count).max() ?? 0
        for (label, value) in lines {
            // Values come from a remote catalogue: no control character reaches the terminal.
            try writer.writeLine(Array((label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + TerminalText.safe(value)).utf8))
        }
    }

    private func table(_ raw: [[String]], rightAligned: Set<Int>) throws {
        // Names and descriptions come from a remote catalogue: made safe for a terminal.
        let rows = raw.map { $0.map(TerminalText.safe) }
        let columns = rows[0].count
        var widths = [Int](repeating: 0, count: columns)
        for r in rows { for (k, cell) in r.enumerated() { widths[k] = max(widths[k], cell.count) } }
        for r in rows {
            var line = ""
            for (k, cell) in r.enumerated() {
                let pad = String(repeating: " ", count: widths[k] - cell.count)
                if k > 0 { line += "  " }
                if k == columns - 1 { line += cell } else { line += rightAligned.contains(k) ? pad + cell : cell + pad }
            }
            try writer.writeLine(Array(line.utf8))
        }
    }

    /// `HHMM` as `HH:MM`.
    static func clock(_ hhmm: Int) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return two(hhmm / 100) + ":" + two(hhmm % 100)
    }

    /// `128,000`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// A per-token price as USD per million tokens for the table: `0.15`, `15.00`, `variable`.
    static func price(_ perToken: Decimal?) -> String {
        guard let perToken else { return "-" }
        if perToken < 0 { return "variable" }
        return money(perToken * 1_000_000)
    }

    /// `$0.15 per million tokens`, `variable (router)`, `unknown`.
    static func perMillionText(_ perToken: Decimal?) -> String {
        guard let perToken else { return "unknown" }
        if perToken < 0 { return "variable (depends on the model the router picks)" }
        if perToken == 0 { return "free" }
        return "$" + money(perToken * 1_000_000) + " per million tokens"
    }

    /// Prices other than prompt/completion: per request, per image, per search, or per million tokens.
    static func otherPriceText(_ key: String, _ value: Decimal) -> String {
        if value < 0 { return "variable" }
        switch key {
        case "request": return "$" + money(value) + " per request"
        case "image": return "$" + money(value) + " per image"
        case "web_search": return "$" + money(value) + " per search"
        default: return "$" + money(value * 1_000_000) + " per million tokens"
        }
    }

    /// At least two decimals, at most six, trailing zeros beyond two dropped.
    static func money(_ d: Decimal) -> String {
        var s = String(format: "%.6f", NSDecimalNumber(decimal: d).doubleValue)
        while s.hasSuffix("0"), let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) > 3 { s.removeLast() }
        return s
    }
}
