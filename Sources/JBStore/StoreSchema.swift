import GRDB

/// The database schema, as a chain of GRDB migrations applied forward on every open.
///
/// A migration, once released, never changes: a database made by an older jb-store holds
/// exactly what that migration created, and the later ones take it from there. `v1` is kept
/// verbatim in `Tests/JBStoreTests/Fixtures/schema-v1.sql` to prove it.
public enum StoreSchema {
    /// The migration identifiers, oldest first.
    public static let versions = ["v1", "v2"]

    /// The migrator that brings any older jb-store database up to date. After migrating,
    /// StoreDatabase recomputes every run with today's summary (`refreshAllRuns`), so the
    /// migrations themselves stay frozen.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in try db.execute(sql: v1) }
        m.registerMigration("v2") { db in try db.execute(sql: v2) }
        return m
    }

    /// Recomputes every run's row of `benchmark_runs` (after a migration added columns).
    static func refreshAllRuns(_ db: Database) throws {
        for run in try String.fetchAll(db, sql: "SELECT run_id FROM benchmark_runs") {
            try RunSummary.refresh(db, runID: run, environment: nil)
        }
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
}
