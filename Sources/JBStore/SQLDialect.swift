/// SQLite's SQL or PostgreSQL's, for the statements jb-store runs in both engines: each
/// statement is written once, and only the parts the two spell differently (parameters, JSON
/// building, string aggregation, rounding) come from here.
enum SQLDialect {
    case sqlite, postgres

    /// Parameter `index` (1-based) named `name`: `:name` in SQLite, `$index::text` in
    /// PostgreSQL (whose parameters go as text).
    func parameter(_ index: Int, _ name: String) -> String {
        self == .sqlite ? ":\(name)" : "$\(index)::text"
    }

    /// A JSON object of `pairs` (key, SQL expression).
    func jsonObject(_ pairs: [(String, String)]) -> String {
        let body = pairs.map { "'\($0.0)', \($0.1)" }.joined(separator: ", ")
        return self == .sqlite ? "json_object(\(body))" : "json_build_object(\(body))"
    }

    /// A JSON value as the text stored in a column.
    func jsonText(_ expression: String) -> String {
        self == .sqlite ? expression : "(\(expression))::text"
    }

    /// A column holding JSON text, as a JSON value to nest in an array or object.
    func json(_ column: String) -> String {
        self == .sqlite ? "json(\(column))" : "\(column)::json"
    }

    /// A JSON array of `value` over the rows of the query `rows`, sorted by `order`; `[]`
    /// when there are none.
    func jsonArray(_ value: String, of rows: String, orderBy order: String) -> String {
        switch self {
        case .sqlite: return "(SELECT json_group_array(\(value)) FROM (\(rows) ORDER BY \(order)))"
        case .postgres: return "(SELECT coalesce(json_agg(\(value) ORDER BY \(order)), '[]') FROM (\(rows)) d)"
        }
    }

    /// The values of `value` over the rows of `rows`, sorted by it, joined by commas.
    func commaList(_ value: String, of rows: String) -> String {
        switch self {
        case .sqlite: return "(SELECT group_concat(\(value), ',') FROM (\(rows) ORDER BY \(value)))"
        case .postgres: return "(SELECT string_agg(\(value), ',' ORDER BY \(value)) FROM (\(rows)) d)"
        }
    }

    /// A floating-point sum rounded to 12 decimals (so sums of the same costs in another
    /// order agree).
    func round12(_ expression: String) -> String {
        self == .sqlite ? "round(\(expression), 12)" : "round((\(expression))::numeric, 12)::double precision"
    }

    /// `a` equals `b`, NULL equal to NULL.
    func same(_ a: String, _ b: String) -> String {
        self == .sqlite ? "\(a) IS \(b)" : "\(a) IS NOT DISTINCT FROM \(b)"
    }

    /// A JSON object with a member `key`: `value` for each row of `rows` (taken in the order
    /// of `order`); `{}` when there are none. The rows are named `s`.
    func jsonObject(key: String, value: String, of rows: String, orderBy order: String) -> String {
        switch self {
        case .sqlite: return "(SELECT json_group_object(\(key), \(value)) FROM (\(rows) ORDER BY \(order)) AS s)"
        case .postgres: return "coalesce((SELECT jsonb_object_agg(\(key), \(value)) FROM (\(rows)) AS s), '{}')"
        }
    }
}
