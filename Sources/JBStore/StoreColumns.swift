import JBCore

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

    /// Where a loaded column's value comes from: a record field (the column is named after
    /// its key, so a field's name is written once, in its record type) or the store itself.
    enum Source {
        /// A field of the question.
        case question(Question.Key)
        /// A field jb-query adds.
        case response(Response.Key)
        /// A count in the response's `tokens` object (`prompt_tokens`).
        case tokens(Response.TokensKey)
        /// A field of the response's `error` object (`error_status`).
        case error(Response.ErrorKey)
        /// A field of the grade object.
        case grade(Grade.Key)
        /// The result's key, the stored record's text, its grade's text, or a column that is
        /// not a typed record field (a question's `comments`, a metric's fields).
        case key, record, gradeRecord, other

        /// The column's name for a record field.
        var name: String? {
            switch self {
            case .question(let k): return k.rawValue
            case .response(let k): return k.rawValue
            case .tokens(let k): return k.rawValue + "_" + Response.Key.tokens.rawValue
            case .error(let k): return Response.Key.error.rawValue + "_" + k.rawValue
            case .grade(let k): return k.rawValue
            case .key, .record, .gradeRecord, .other: return nil
            }
        }
    }

    /// A column's name, type and source.
    struct Column {
        let name: String
        let type: ColumnType
        let source: Source
        /// NOT NULL DEFAULT 0 (a count).
        var count = false
        /// A column named after its record field.
        init(_ source: Source, _ type: ColumnType) {
            self.name = source.name ?? ""
            self.type = type
            self.source = source
        }
        /// A column with a name of its own.
        init(_ name: String, _ type: ColumnType, _ source: Source = .other, count: Bool = false) {
            self.name = name
            self.type = type
            self.source = source
            self.count = count
        }
    }

    /// `questions`: the question's fields (`id` is the key), then `source` and `record`.
    static let questions: [Column] = [
        Column(.question(.id), .text), Column(.question(.showNumber), .integer), Column(.question(.airDate), .text),
        Column(.question(.round), .text), Column(.question(.category), .text), Column(.question(.value), .integer),
        Column(.question(.dailyDouble), .integer), Column(.question(.wager), .integer), Column(.question(.clue), .text),
        Column(.question(.answer), .text), Column(.question(.media), .integer), Column(.question(.difficulty), .integer),
        Column("comments", .text), Column("notes", .text), Column("source", .text), Column("record", .text),
    ]

    /// `benchmark_results`: (`key`, `grade_mode`) is the key; `record` and `grade` come last.
    static let results: [Column] = [
        Column("key", .text, .key), Column("grade_mode", .text, .grade(.mode)), Column(.response(.runID), .text),
        Column("question_id", .text, .question(.id)), Column(.response(.model), .text), Column(.response(.epoch), .integer),
        Column(.response(.template), .text), Column(.response(.templateHash), .text), Column(.response(.params), .text),
        Column(.response(.provider), .text), Column(.response(.upstreamProvider), .text), Column(.response(.responseText), .text),
        Column(.response(.finishReason), .text), Column(.response(.latencyMS), .milliseconds),
        Column(.response(.ttftMS), .milliseconds), Column(.tokens(.prompt), .integer), Column(.tokens(.completion), .integer),
        Column(.response(.costUSD), .real), Column(.response(.costSource), .text), Column(.response(.attempts), .integer),
        Column(.response(.cached), .integer), Column(.error(.status), .integer), Column(.error(.code), .scalar),
        Column(.error(.message), .text), Column(.response(.createdAt), .text), Column(.grade(.correct), .integer),
        Column(.grade(.answered), .integer), Column(.grade(.method), .text), Column(.grade(.score), .real),
        Column(.grade(.extracted), .text), Column(.grade(.questionForm), .integer), Column(.grade(.confidence), .real),
        Column(.grade(.grader), .text), Column(.grade(.judge), .text), Column(.response(.reportedModel), .text),
        Column(.grade(.decidedBy), .text), Column("record", .text, .record), Column("grade", .text, .gradeRecord),
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
