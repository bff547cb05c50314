/// The seed's column names beside jb's own, and the views under the older names, declared
/// once for both engines.
///
/// PostgreSQL's tables and views are made from this (`PostgresSchema`). SQLite's came with
/// migrations `v2` (views) and `v3` (columns), which never change once released;
/// `StoreSchemaTests` checks that what they made is exactly this, rendered for SQLite.
enum SeedSchema {
    /// A seed column's type.
    enum ColumnType: Sendable {
        case text, integer, real
        /// 1/0 in SQLite, a real boolean in PostgreSQL.
        case boolean
        /// JSON text in SQLite, `jsonb` in PostgreSQL (so `->`/`->>` work in both).
        case json

        func sql(_ d: SQLDialect) -> String {
            switch (self, d) {
            case (.text, .sqlite), (.json, .sqlite): return "TEXT"
            case (.integer, .sqlite), (.boolean, .sqlite): return "INTEGER"
            case (.real, .sqlite): return "REAL"
            case (.text, .postgres): return "text"
            case (.integer, .postgres): return "bigint"
            case (.real, .postgres): return "double precision"
            case (.boolean, .postgres): return "boolean"
            case (.json, .postgres): return "jsonb"
            }
        }
    }

    /// A seed column computed from the row's own columns: VIRTUAL in SQLite (no space, no
    /// load time), STORED in PostgreSQL (which has no virtual ones).
    struct Generated: Sendable {
        let table: String
        let name: String
        let type: ColumnType
        let sqlite: String
        let postgres: String

        init(_ table: String, _ name: String, _ type: ColumnType, _ expression: String, postgres: String? = nil) {
            self.table = table
            self.name = name
            self.type = type
            sqlite = expression
            self.postgres = postgres ?? expression
        }

        func expression(_ d: SQLDialect) -> String { d == .sqlite ? sqlite : postgres }

        /// The column's definition.
        func definition(_ d: SQLDialect) -> String {
            "\(name) \(type.sql(d)) GENERATED ALWAYS AS (\(expression(d))) \(d == .sqlite ? "VIRTUAL" : "STORED")"
        }
    }

    static let generated: [Generated] = [
        Generated("questions", "question_text", .text, "clue"),
        Generated("questions", "correct_answer", .text, "answer"),
        Generated("questions", "difficulty_level", .integer, "difficulty"),

        Generated("benchmark_runs", "id", .text, "run_id"),
        Generated("benchmark_runs", "name", .text, "run_id"),
        Generated("benchmark_runs", "status", .text, """
            CASE WHEN responses > 0 AND errors >= responses THEN 'failed'
                 WHEN graded >= responses AND responses > 0 THEN 'completed'
                 ELSE 'running' END
            """),
        Generated("benchmark_runs", "models_tested", .json, "json_extract(configuration, '$.models')",
                  postgres: "configuration::jsonb -> 'models'"),
        Generated("benchmark_runs", "created_at", .text, "started_at"),
        Generated("benchmark_runs", "completed_at", .text, "finished_at"),
        Generated("benchmark_runs", "benchmark_mode", .text, "grade_mode"),
        Generated("benchmark_runs", "config_snapshot", .json, "configuration", postgres: "configuration::jsonb"),
        Generated("benchmark_runs", "total_cost_usd", .real, "cost_usd"),
        Generated("benchmark_runs", "avg_response_time_ms", .real, "mean_latency_ms"),

        Generated("benchmark_results", "id", .text, "CASE WHEN grade_mode = '' THEN key ELSE key || '/' || grade_mode END"),
        Generated("benchmark_results", "benchmark_run_id", .text, "run_id"),
        Generated("benchmark_results", "model_name", .text, "model"),
        Generated("benchmark_results", "is_correct", .boolean, "correct <> 0"),
        Generated("benchmark_results", "confidence_score", .real, "confidence"),
        Generated("benchmark_results", "response_time_ms", .real, "latency_ms"),
        Generated("benchmark_results", "tokens_generated", .integer, "completion_tokens"),

        Generated("model_performance", "id", .text, "metric_key"),
        Generated("model_performance", "benchmark_run_id", .text, "run_id"),
        Generated("model_performance", "model_name", .text, "model"),
        Generated("model_performance", "accuracy_rate", .real, "accuracy"),
        Generated("model_performance", "avg_response_time_ms", .real, "json_extract(record, '$.latency_mean_ms')",
                  postgres: "jb_number(record::jsonb -> 'latency_mean_ms')"),
        Generated("model_performance", "total_cost_usd", .real, "json_extract(record, '$.cost_usd')",
                  postgres: "jb_number(record::jsonb -> 'cost_usd')"),
        Generated("model_performance", "confidence_accuracy_correlation", .real,
                  "json_extract(record, '$.confidence_correlation')",
                  postgres: "jb_number(record::jsonb -> 'confidence_correlation')"),
    ]

    /// The generated seed columns of `table`.
    static func generated(in table: String) -> [Generated] {
        generated.filter { $0.table == table }
    }

    /// The views under the older names: name and query.
    static func views(_ d: SQLDialect) -> [(name: String, query: String)] {
        let accuracy = d == .sqlite ? "avg(correct)" : "avg(correct)::double precision"
        let cost = d == .sqlite ? "total(cost_usd)" : "coalesce(sum(cost_usd), 0)"
        let errors = d == .sqlite ? "sum(error_message IS NOT NULL)" : "count(error_message)"
        return [
            ("benchmarks", """
                SELECT run_id AS id, run_id AS name, started_at AS created_at, finished_at AS completed_at,
                       models, configuration, environment, responses AS total_questions,
                       correct AS correct_answers, accuracy, cost_usd AS total_cost_usd,
                       total_tokens, mean_latency_ms
                FROM benchmark_runs
                """),
            ("benchmark_questions", """
                SELECT DISTINCT r.run_id AS benchmark_id, q.id AS question_id, q.show_number, q.air_date,
                       q.round, q.category, q.value, q.daily_double, q.clue, q.answer, q.difficulty
                FROM benchmark_results r JOIN questions q ON q.id = r.question_id
                """),
            ("model_responses", """
                SELECT key AS id, run_id AS benchmark_id, question_id, model AS model_name,
                       response_text, extracted AS extracted_answer, correct AS is_correct,
                       grade_mode, score AS match_score, confidence AS confidence_score,
                       latency_ms AS response_time_ms, prompt_tokens, completion_tokens,
                       prompt_tokens + completion_tokens AS tokens_used, cost_usd, error_message AS error,
                       created_at
                FROM benchmark_results
                """),
            ("model_performance_summary", """
                SELECT run_id AS benchmark_id, model AS model_name, grade_mode,
                       count(*) AS total_questions, count(correct) AS graded_questions,
                       coalesce(sum(correct), 0) AS correct_answers, \(accuracy) AS accuracy_rate,
                       avg(latency_ms) AS avg_response_time_ms, \(cost) AS total_cost_usd,
                       sum(prompt_tokens) + sum(completion_tokens) AS total_tokens,
                       \(errors) AS errors
                FROM benchmark_results
                GROUP BY run_id, model, grade_mode
                """),
        ]
    }
}
