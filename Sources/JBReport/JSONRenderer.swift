import JBCore

/// The JSON report: one pretty-printed document holding every metric record unchanged
/// (unknown fields included), grouped as the other formats show them, plus the examples and
/// run configuration. Keys are sorted, so the same input gives the same bytes.
public struct JSONRenderer {
    public init() {}

    /// The report as a JSON value.
    public func document(_ model: ReportModel) -> JSON {
        var doc: JSONObject = ["title": .string(model.title)]
        doc["confidence"] = JSON(model.confidence)
        doc["leaderboard"] = .array(model.leaderboard.enumerated().map { k, row in
            var o = row.record?.fields ?? ["kind": "metric", "model": .string(row.model), "group": "all"]
            o["rank"] = .int(Int64(k + 1))
            return .object(o)
        })
        var breakdowns: JSONObject = [:]
        for b in model.breakdowns {
            breakdowns[b.field] = .array(b.values.flatMap { v in b.models.compactMap { b.record(v, $0).map { JSON.object($0.fields) } } })
        }
        doc["breakdowns"] = .object(breakdowns)
        doc["comparisons"] = .array(model.comparisons.map { .object($0.fields) })
        doc["cutoffs"] = .array(model.cutoffs.map { .object($0.fields) })
        var calibration: JSONObject = [:]
        for (m, bins) in model.calibration {
            calibration[m] = .array(bins.map { .object(["confidence": JSON($0.confidence), "accuracy": JSON($0.accuracy), "n": JSON($0.n)]) })
        }
        doc["calibration"] = .object(calibration)
        let known: Set<String> = ["metric", "comparison", "cutoff"]
        let other = model.records.filter { !known.contains($0.kind) }
        if !other.isEmpty { doc["other_records"] = .array(other.map { .object($0.fields) }) }
        if let g = model.graded {
            doc["misses"] = .array(g.misses.map { .object($0.json) })
            doc["miss_counts"] = .object(g.missCounts.mapValues { .int(Int64($0)) })
            if !g.flipCounts.isEmpty {
                doc["flips"] = .array(g.flips.map { .object($0.json) })
                doc["flip_counts"] = .array(g.flipCounts.map {
                    .object(["model": .string($0.model), "compared": JSON($0.compared), "gained": JSON($0.gained), "lost": JSON($0.lost)])
                })
            }
        }
        if !model.run.isEmpty {
            doc["run"] = .object(Dictionary(model.run.map { ($0.key, JSON.string($0.value)) }, uniquingKeysWith: { a, _ in a }))
        }
        return .object(doc)
    }

    /// The report as pretty-printed JSON text.
    public func render(_ model: ReportModel) -> String {
        var out: [UInt8] = []
        JSONRenderer.pretty(document(model), indent: 0, into: &out)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Indented JSON with sorted keys; strings are escaped as in JSON Lines output, and `<`,
    /// `>` and `&` as `\u003c`… so the text is also safe to paste inside an HTML page.
    static func pretty(_ value: JSON, indent: Int, into out: inout [UInt8]) {
        let pad = [UInt8](repeating: 0x20, count: (indent + 1) * 2)
        let closePad = [UInt8](repeating: 0x20, count: indent * 2)
        switch value {
        case .array(let a) where !a.isEmpty:
            out.append(UInt8(ascii: "["))
            for (k, v) in a.enumerated() {
                out.append(contentsOf: (k == 0 ? "\n" : ",\n").utf8)
                out.append(contentsOf: pad)
                pretty(v, indent: indent + 1, into: &out)
            }
            out.append(0x0A)
            out.append(contentsOf: closePad)
            out.append(UInt8(ascii: "]"))
        case .object(let o) where !o.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (k, key) in o.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                out.append(contentsOf: (k == 0 ? "\n" : ",\n").utf8)
                out.append(contentsOf: pad)
                string(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                pretty(o[key]!, indent: indent + 1, into: &out)
            }
            out.append(0x0A)
            out.append(contentsOf: closePad)
            out.append(UInt8(ascii: "}"))
        case .string(let s):
            string(s, into: &out)
        default:
            JSONSerializer.write(value, into: &out)
        }
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        var raw: [UInt8] = []
        JSONSerializer.writeString(s, into: &raw)
        for b in raw {
            switch b {
            case UInt8(ascii: "<"): out.append(contentsOf: "\\u003c".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "\\u003e".utf8)
            case UInt8(ascii: "&"): out.append(contentsOf: "\\u0026".utf8)
            default: out.append(b)
            }
        }
    }
}
