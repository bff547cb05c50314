import GRDB

/// The database schema, as a chain of GRDB migrations applied forward on every open.
///
/// A migration, once released, never changes: a database made by an older jb-store holds
/// exactly what that migration created, and the later ones take it from there. `v1` is kept
/// verbatim in `Tests/JBStoreTests/Fixtures/schema-v1.sql` to prove it.
public enum StoreSchema {
    /// The migration identifiers, oldest first.
    public static let versions = ["v1", "v2", "v3", "v4"]

    /// The migrator that brings any older jb-store database up to date. After migrating,
    /// StoreDatabase recomputes every run with today's summary (`refreshAllRuns`), so the
    /// migrations themselves stay frozen.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in try db.execute(sql: v1) }
        m.registerMigration("v2") { db in try db.execute(sql: v2) }
        m.registerMigration("v3") { db in try db.execute(sql: v3) }
        m.registerMigration("v4") { db in try db.execute(sql: v4) }
        return m
    }

    /// Recomputes every run's row of `benchmark_runs` and the per-model summaries of
    /// `model_performance` (after a migration added columns).
    static func refreshAllRuns(_ db: Database) throws {
        for run in try String.fetchAll(db, sql: "SELECT run_id FROM benchmark_runs") {
            try RunSummary.refresh(db, runID: run, environment: nil)
        }
        try db.execute(sql: refreshModelPerformance)
    }

    static let refreshModelPerformance = modelPerformanceStatement(.sqlite)

    /// Fills the seed's per-model JSON columns of `model_performance` on each model's overall
    /// (`group = 'all'`) metric row from its `category=…` and `difficulty=…` rows, in either
    /// engine's SQL.
    static func modelPerformanceStatement(_ d: SQLDialect) -> String {
        func groups(_ prefix: String) -> String {
            d.jsonObject(key: "substr(s.\"group\", \(prefix.count + 2))",
                         value: d.jsonObject([("accuracy", "s.accuracy"), ("n", "s.n")]),
                         of: """
                             SELECT "group", accuracy, n FROM model_performance
                             WHERE kind = 'metric' AND \(d.same("model", "m.model")) AND \(d.same("run_id", "m.run_id"))
                               AND "group" LIKE '\(prefix)=%'
                             """, orderBy: "\"group\"")
        }
        return """
            UPDATE model_performance AS m SET
                category_performance = \(groups("category")),
                difficulty_performance = \(groups("difficulty"))
            WHERE kind = 'metric' AND "group" = 'all'
            """
    }

    /// The first schema: the four tables.
    static let v1 = """
        CREATE TABLE questions (
            id TEXT PRIMARY KEY NOT NULL,
            show_number INTEGER,
            air_date TEXT,
            round TEXT,
            category TEXT,
            value INTEGER,
            daily_double INTEGER,
            wager INTEGER,
            clue TEXT,
            answer TEXT,
            media INTEGER,
            difficulty INTEGER,
            comments TEXT,
            notes TEXT,
            source TEXT NOT NULL,
            record TEXT NOT NULL
        );
        CREATE TABLE benchmark_results (
            key TEXT NOT NULL,
            grade_mode TEXT NOT NULL DEFAULT '',
            run_id TEXT NOT NULL DEFAULT '',
            question_id TEXT,
            model TEXT NOT NULL,
            epoch INTEGER,
            template TEXT,
            template_hash TEXT,
            params TEXT,
            provider TEXT,
            upstream_provider TEXT,
            response_text TEXT,
            finish_reason TEXT,
            latency_ms INTEGER,
            ttft_ms INTEGER,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            cost_usd REAL,
            cost_source TEXT,
            attempts INTEGER,
            cached INTEGER,
            error_status INTEGER,
            error_code,
            error_message TEXT,
            created_at TEXT,
            correct INTEGER,
            answered INTEGER,
            method TEXT,
            score REAL,
            extracted TEXT,
            question_form INTEGER,
            confidence REAL,
            grader TEXT,
            judge TEXT,
            record TEXT NOT NULL,
            grade TEXT,
            PRIMARY KEY (key, grade_mode)
        );
        CREATE INDEX benchmark_results_run ON benchmark_results (run_id, model);
        CREATE INDEX benchmark_results_question ON benchmark_results (question_id);
        CREATE TABLE model_performance (
            metric_key TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            model TEXT,
            "group" TEXT,
            run_id TEXT,
            n INTEGER,
            answered INTEGER,
            correct INTEGER,
            accuracy REAL,
            ci_low REAL,
            ci_high REAL,
            confidence REAL,
            accuracy_answered REAL,
            errors INTEGER,
            refusals INTEGER,
            record TEXT NOT NULL
        );
        CREATE INDEX model_performance_model ON model_performance (model, "group");
        CREATE TABLE benchmark_runs (
            run_id TEXT PRIMARY KEY NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            models TEXT,
            responses INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            cached INTEGER NOT NULL DEFAULT 0,
            graded INTEGER NOT NULL DEFAULT 0,
            correct INTEGER NOT NULL DEFAULT 0,
            accuracy REAL,
            cost_usd REAL,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            total_tokens INTEGER,
            mean_latency_ms REAL
        );
        """

    /// The run's configuration snapshot and environment, and views under the older names.
    static let v2 = """
        ALTER TABLE benchmark_runs ADD COLUMN grade_mode TEXT;
        ALTER TABLE benchmark_runs ADD COLUMN configuration TEXT;
        ALTER TABLE benchmark_runs ADD COLUMN environment TEXT;
        ALTER TABLE benchmark_runs ADD COLUMN first_loaded_at TEXT;
        ALTER TABLE benchmark_runs ADD COLUMN last_loaded_at TEXT;
        CREATE VIEW benchmarks AS
            SELECT run_id AS id, run_id AS name, started_at AS created_at, finished_at AS completed_at,
                   models, configuration, environment, responses AS total_questions,
                   correct AS correct_answers, accuracy, cost_usd AS total_cost_usd,
                   total_tokens, mean_latency_ms
            FROM benchmark_runs;
        CREATE VIEW benchmark_questions AS
            SELECT DISTINCT r.run_id AS benchmark_id, q.id AS question_id, q.show_number, q.air_date,
                   q.round, q.category, q.value, q.daily_double, q.clue, q.answer, q.difficulty
            FROM benchmark_results r JOIN questions q ON q.id = r.question_id;
        CREATE VIEW model_responses AS
            SELECT key AS id, run_id AS benchmark_id, question_id, model AS model_name,
                   response_text, extracted AS extracted_answer, correct AS is_correct,
                   grade_mode, score AS match_score, confidence AS confidence_score,
                   latency_ms AS response_time_ms, prompt_tokens, completion_tokens,
                   prompt_tokens + completion_tokens AS tokens_used, cost_usd, error_message AS error,
                   created_at
            FROM benchmark_results;
        CREATE VIEW model_performance_summary AS
            SELECT run_id AS benchmark_id, model AS model_name, grade_mode,
                   count(*) AS total_questions, count(correct) AS graded_questions,
                   coalesce(sum(correct), 0) AS correct_answers, avg(correct) AS accuracy_rate,
                   avg(latency_ms) AS avg_response_time_ms, total(cost_usd) AS total_cost_usd,
                   sum(prompt_tokens) + sum(completion_tokens) AS total_tokens,
                   sum(error_message IS NOT NULL) AS errors
            FROM benchmark_results
            GROUP BY run_id, model, grade_mode;
        """

    /// The seed schema's column names beside jb's own (docs/jb-store.md, "The seed's schema").
    ///
    /// Most are generated VIRTUAL columns: computed when read from the row's own columns, so
    /// they cost no space and no load time and can never disagree with jb's columns. The
    /// few that need other rows (`sample_size`, the per-category JSON) are ordinary columns
    /// that the loader recomputes with the run's summary. The legacy views are rebuilt over
    /// the seed's names.
    static let v3 = """
        ALTER TABLE questions ADD COLUMN question_text TEXT GENERATED ALWAYS AS (clue) VIRTUAL;
        ALTER TABLE questions ADD COLUMN correct_answer TEXT GENERATED ALWAYS AS (answer) VIRTUAL;
        ALTER TABLE questions ADD COLUMN difficulty_level INTEGER GENERATED ALWAYS AS (difficulty) VIRTUAL;

        ALTER TABLE benchmark_runs ADD COLUMN sample_size INTEGER;
        ALTER TABLE benchmark_runs ADD COLUMN id TEXT GENERATED ALWAYS AS (run_id) VIRTUAL;
        ALTER TABLE benchmark_runs ADD COLUMN name TEXT GENERATED ALWAYS AS (run_id) VIRTUAL;
        ALTER TABLE benchmark_runs ADD COLUMN status TEXT GENERATED ALWAYS AS (
            CASE WHEN responses > 0 AND errors >= responses THEN 'failed'
                 WHEN graded >= responses AND responses > 0 THEN 'completed'
                 ELSE 'running' END) VIRTUAL;
        ALTER TABLE benchmark_runs ADD COLUMN models_tested TEXT GENERATED ALWAYS AS (json_extract(configuration, '$.models')) VIRTUAL;
        ALTER TABLE benchmark_runs ADD COLUMN created_at TEXT GENERATED ALWAYS AS (started_at) VIRTUAL;
        ALTER TABLE benchmark_runs ADD COLUMN completed_at TEXT GENERATED ALWAYS AS (finished_at) VIRTUAL;
        ALTER TABLE benchmark_runs ADD COLUMN benchmark_mode TEXT GENERATED ALWAYS AS (grade_mode) VIRTUAL;
        ALTER TABLE benchmark_runs ADD COLUMN config_snapshot TEXT GENERATED ALWAYS AS (configuration) VIRTUAL;
        ALTER TABLE benchmark_runs ADD COLUMN total_cost_usd REAL GENERATED ALWAYS AS (cost_usd) VIRTUAL;
        ALTER TABLE benchmark_runs ADD COLUMN avg_response_time_ms REAL GENERATED ALWAYS AS (mean_latency_ms) VIRTUAL;

        ALTER TABLE benchmark_results ADD COLUMN id TEXT GENERATED ALWAYS AS (
            CASE WHEN grade_mode = '' THEN key ELSE key || '/' || grade_mode END) VIRTUAL;
        ALTER TABLE benchmark_results ADD COLUMN benchmark_run_id TEXT GENERATED ALWAYS AS (run_id) VIRTUAL;
        ALTER TABLE benchmark_results ADD COLUMN model_name TEXT GENERATED ALWAYS AS (model) VIRTUAL;
        ALTER TABLE benchmark_results ADD COLUMN is_correct INTEGER GENERATED ALWAYS AS (correct <> 0) VIRTUAL;
        ALTER TABLE benchmark_results ADD COLUMN confidence_score REAL GENERATED ALWAYS AS (confidence) VIRTUAL;
        ALTER TABLE benchmark_results ADD COLUMN response_time_ms REAL GENERATED ALWAYS AS (latency_ms) VIRTUAL;
        ALTER TABLE benchmark_results ADD COLUMN tokens_generated INTEGER GENERATED ALWAYS AS (completion_tokens) VIRTUAL;

        ALTER TABLE model_performance ADD COLUMN category_performance TEXT;
        ALTER TABLE model_performance ADD COLUMN difficulty_performance TEXT;
        ALTER TABLE model_performance ADD COLUMN id TEXT GENERATED ALWAYS AS (metric_key) VIRTUAL;
        ALTER TABLE model_performance ADD COLUMN benchmark_run_id TEXT GENERATED ALWAYS AS (run_id) VIRTUAL;
        ALTER TABLE model_performance ADD COLUMN model_name TEXT GENERATED ALWAYS AS (model) VIRTUAL;
        ALTER TABLE model_performance ADD COLUMN accuracy_rate REAL GENERATED ALWAYS AS (accuracy) VIRTUAL;
        ALTER TABLE model_performance ADD COLUMN avg_response_time_ms REAL GENERATED ALWAYS AS (
            json_extract(record, '$.latency_mean_ms')) VIRTUAL;
        ALTER TABLE model_performance ADD COLUMN total_cost_usd REAL GENERATED ALWAYS AS (json_extract(record, '$.cost_usd')) VIRTUAL;
        ALTER TABLE model_performance ADD COLUMN confidence_accuracy_correlation REAL GENERATED ALWAYS AS (
            json_extract(record, '$.confidence_correlation')) VIRTUAL;
        """

    /// The model the server said answered (`reported_model` of the response) and who decided
    /// the grade (`grade.decided_by`), as columns. Ordinary columns the loader fills (like
    /// jb's other columns, and in PostgreSQL too), so both engines load the same column list;
    /// rows already stored get them from their stored record here.
    static let v4 = """
        ALTER TABLE benchmark_results ADD COLUMN reported_model TEXT;
        ALTER TABLE benchmark_results ADD COLUMN decided_by TEXT;
        UPDATE benchmark_results SET reported_model = json_extract(record, '$.reported_model'),
                                     decided_by = json_extract(grade, '$.decided_by')
        WHERE json_extract(record, '$.reported_model') IS NOT NULL OR json_extract(grade, '$.decided_by') IS NOT NULL;
        """
}
