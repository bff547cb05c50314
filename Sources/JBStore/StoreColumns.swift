/// jb's own columns, table by table, each with its type: the one declaration that both
/// engines' load statements, PostgreSQL's tables and staging tables, and COPY's value
/// conversion are made from (the seed's columns are in `SeedSchema`).
///
/// SQLite's tables were made by `StoreSchema`'s migrations, which never change once released;
/// `StoreSchemaTests` checks that a migrated file has exactly these columns with these types,
/// and `PostgresStoreTests` that both engines have the same tables, views and columns.
enum StoreColumns {
    /// A column's type, named for the values it holds.
    enum ColumnType {
        /// Whole numbers (booleans as 0/1).
        case integer
        /// Numbers that may have a fraction.
        case real
        /// Text (JSON text too).
        case text
        /// Milliseconds: whole numbers as a rule, a fraction kept when one comes. SQLite's
        /// INTEGER affinity keeps a fraction as a real; PostgreSQL's bigint would not.
        case milliseconds
        /// Any JSON scalar (`error.code`: a string or a number): no affinity in SQLite, text
        /// in PostgreSQL.
        case scalar

        /// The type as SQLite declares it (`PRAGMA table_info`).
        var sqlite: String {
            switch self {
            case .integer, .milliseconds: return "INTEGER"
            case .real: return "REAL"
            case .text: return "TEXT"
            case .scalar: return ""
            }
        }

        /// The type in PostgreSQL.
        var postgres: String {
            switch self {
            case .integer: return "bigint"
            case .real, .milliseconds: return "double precision"
            case .text, .scalar: return "text"
            }
        }
    }

    /// A column's name and type.
    struct Column {
        let name: String
        let type: ColumnType
        /// NOT NULL DEFAULT 0 (a count).
        var count = false
        init(_ name: String, _ type: ColumnType, count: Bool = false) {
            self.name = name
            self.type = type
            self.count = count
        }
    }

    /// `questions`: the question's fields (`id` is the key), then `source` and `record`.
    static let questions: [Column] = [
        Column("id", .text), Column("show_number", .integer), Column("air_date", .text), Column("round", .text),
        Column("category", .text), Column("value", .integer), Column("daily_double", .integer), Column("wager", .integer),
        Column("clue", .text), Column("answer", .text), Column("media", .integer), Column("difficulty", .integer),
        Column("comments", .text), Column("notes", .text), Column("source", .text), Column("record", .text),
    ]

    /// `benchmark_results`: (`key`, `grade_mode`) is the key; `record` and `grade` come last.
    static let results: [Column] = [
        Column("key", .text), Column("grade_mode", .text), Column("run_id", .text), Column("question_id", .text),
        Column("model", .text), Column("epoch", .integer), Column("template", .text), Column("template_hash", .text),
        Column("params", .text), Column("provider", .text), Column("upstream_provider", .text),
        Column("response_text", .text), Column("finish_reason", .text), Column("latency_ms", .milliseconds),
        Column("ttft_ms", .milliseconds), Column("prompt_tokens", .integer), Column("completion_tokens", .integer),
        Column("cost_usd", .real), Column("cost_source", .text), Column("attempts", .integer), Column("cached", .integer),
        Column("error_status", .integer), Column("error_code", .scalar), Column("error_message", .text),
        Column("created_at", .text), Column("correct", .integer), Column("answered", .integer), Column("method", .text),
        Column("score", .real), Column("extracted", .text), Column("question_form", .integer), Column("confidence", .real),
        Column("grader", .text), Column("judge", .text), Column("reported_model", .text), Column("decided_by", .text),
        Column("record", .text), Column("grade", .text),
    ]

    /// `model_performance`: `metric_key` is the key, `record` comes last.
    static let metrics: [Column] = [
        Column("metric_key", .text), Column("kind", .text), Column("model", .text), Column("group", .text),
        Column("run_id", .text), Column("n", .integer), Column("answered", .integer), Column("correct", .integer),
        Column("accuracy", .real), Column("ci_low", .real), Column("ci_high", .real), Column("confidence", .real),
        Column("accuracy_answered", .real), Column("errors", .integer), Column("refusals", .integer),
        Column("record", .text),
    ]

    /// `benchmark_runs`: a run's summary (`run_id` is the key), recomputed from its results.
    static let runs: [Column] = [
        Column("run_id", .text), Column("started_at", .text), Column("finished_at", .text), Column("models", .text),
        Column("responses", .integer, count: true), Column("errors", .integer, count: true),
        Column("cached", .integer, count: true), Column("graded", .integer, count: true),
        Column("correct", .integer, count: true), Column("accuracy", .real), Column("cost_usd", .real),
        Column("prompt_tokens", .integer), Column("completion_tokens", .integer), Column("total_tokens", .integer),
        Column("mean_latency_ms", .real), Column("grade_mode", .text), Column("configuration", .text),
        Column("environment", .text), Column("first_loaded_at", .text), Column("last_loaded_at", .text),
        Column("sample_size", .integer),
    ]
}
