import JBCore

/// The CSV report: one row per metric record (every record, every field), for spreadsheets
/// and data frames. Nested objects become dotted columns (`latency_ms.p50`); arrays are
/// written as JSON text. Text cells are escaped against formula injection.
public struct CSVRenderer {
    public init() {}

    /// Columns that come first when present, in this order.
    static let leading = ["kind", "model", "model_b", "group", "group_field", "group_value", "n", "answered", "correct",
                          "accuracy", "ci_low", "ci_high", "confidence", "accuracy_answered", "errors", "refusals"]

    /// The whole report as CSV text.
    public func render(_ model: ReportModel) -> String {
        var rows: [[String: JSON]] = []
        var keys = Set<String>()
        for r in model.records {
            var flat: [String: JSON] = [:]
            CSVRenderer.flatten(.object(r.fields), prefix: "", into: &flat)
            flat["kind"] = .string(r.kind)
            if flat["model"] == nil { flat["model"] = .string(r.model) }
            flat["group"] = .string(r.group)
            if flat["group_field"] == nil, let f = r.groupField, let v = r.groupValue {
                flat["group_field"] = .string(f)
                flat["group_value"] = .string(v)
            }
            keys.formUnion(flat.keys)
            rows.append(flat)
        }
        let columns = CSVRenderer.leading.filter(keys.contains)
            + keys.subtracting(CSVRenderer.leading).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var out = columns.map(TextEscaping.csv).joined(separator: ",") + "\n"
        for row in rows {
            out += columns.map { CSVRenderer.cell(row[$0]) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func flatten(_ value: JSON, prefix: String, into out: inout [String: JSON]) {
        if case .object(let o) = value, !(o.isEmpty && !prefix.isEmpty) {
            for (k, v) in o { flatten(v, prefix: prefix.isEmpty ? k : prefix + "." + k, into: &out) }
        } else {
            out[prefix] = value
        }
    }

    static func cell(_ value: JSON?) -> String {
        switch value {
        case nil, .null?: return ""
        case .bool(let b)?: return b ? "true" : "false"
        case .int?, .double?: return value!.compactText
        case .string(let s)?: return TextEscaping.csv(s)
        case let v?: return TextEscaping.csv(v.compactText)
        }
    }
}
