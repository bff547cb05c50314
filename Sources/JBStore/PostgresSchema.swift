import JBCore
import JBPostgres

/// The PostgreSQL schema: the SQLite schema's tables, columns (jb's and the seed's) and
/// views, in PostgreSQL's dialect, plus a `seq` column that keeps the order records were
/// first loaded in (SQLite's rowid). A new database is made whole at the latest version;
/// one made by an older jb-store gets the `migrations` it lacks. `jb_schema_migrations`
/// names the SQLite versions it matches. The columns come from `StoreColumns` and
/// `SeedSchema`, the statements shared with SQLite from `SQLDialect`.
enum PostgresSchema {
    static func columns(_ columns: [StoreColumns.Column], key: String) -> String {
        columns.map { c in
            "\"\(c.name)\" \(c.type.postgres)\(c.name == key ? " NOT NULL" : c.count ? " NOT NULL DEFAULT 0" : "")"
        }.joined(separator: ",\n    ")
    }

    static let questionNames = StoreColumns.questions.map(\.name)
    static let resultNames = StoreColumns.results.map(\.name)
    static let metricNames = StoreColumns.metrics.map(\.name)

    /// Makes the schema when the database has none (under an advisory lock, so machines
    /// starting together make it once), and refuses a schema made by a newer jb-store.
    static func prepare(_ c: PGConnection, create: Bool, name: String) throws {
        // pg_class read with the statement's snapshot, not the name cache: a session that
        // waited for another to make the tables has not yet heard of them in its cache.
        func exists() throws -> Bool {
            try c.execute("""
                SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class k JOIN pg_catalog.pg_namespace n ON n.oid = k.relnamespace
                               WHERE k.relname = 'jb_schema_migrations' AND n.nspname = ANY (current_schemas(false)))
                """).scalar == "t"
        }
        if try !exists() {
            guard create else {
                throw JBError.cannotOpen(path: name, reason: "no jb-store tables in this database (load records into it first)")
            }
            try c.transaction {
                try c.execute("SELECT pg_advisory_xact_lock(7413, -1)")
                if try !exists() { try c.script(ddl) }
            }
        }
        var applied = try c.execute("SELECT identifier FROM jb_schema_migrations").rows.compactMap { $0[0] }
        if applied.contains(where: { !StoreSchema.versions.contains($0) }) {
            throw JBError.cannotOpen(path: name, reason: "the database was made by a newer jb-store; upgrade jb-store to use it")
        }
        let missing = migrations.filter { !applied.contains($0.version) }
        if !missing.isEmpty {
            try c.transaction {
                try c.execute("SELECT pg_advisory_xact_lock(7413, -1)")
                applied = try c.execute("SELECT identifier FROM jb_schema_migrations").rows.compactMap { $0[0] }
                for m in missing where !applied.contains(m.version) {
                    try c.script(m.sql)
                    try c.execute("INSERT INTO jb_schema_migrations VALUES ($1)", [m.version])
                }
            }
        }
        if create { try c.transaction { try ensureIndexes(c) } }
    }

    /// What a database made by an older jb-store lacks, by the SQLite version it matches
    /// (`ddl` makes a new database whole, at the latest version).
    static let migrations: [(version: String, sql: String)] = [
        ("v4", """
            ALTER TABLE benchmark_results ADD COLUMN IF NOT EXISTS reported_model text;
            ALTER TABLE benchmark_results ADD COLUMN IF NOT EXISTS decided_by text;
            UPDATE benchmark_results SET reported_model = record::jsonb ->> 'reported_model',
                                         decided_by = grade::jsonb ->> 'decided_by'
            WHERE record::jsonb ? 'reported_model' OR grade::jsonb ? 'decided_by'
            """),
    ]

    /// The indexes a load into an empty `benchmark_results` drops and makes again at its end
    /// (cheaper than updating them row by row).
    static let secondaryIndexes: [(name: String, create: String)] = [
        ("benchmark_results_run", "CREATE INDEX IF NOT EXISTS benchmark_results_run ON benchmark_results (run_id, model)"),
        ("benchmark_results_question", "CREATE INDEX IF NOT EXISTS benchmark_results_question ON benchmark_results (question_id)"),
        ("benchmark_results_seq", "CREATE INDEX IF NOT EXISTS benchmark_results_seq ON benchmark_results (seq)"),
    ]

    /// Makes the secondary indexes a killed load left out (in a transaction). Looks first, so
    /// that when they are there (nearly always) no lock is taken on the table other loads write
    /// to; the advisory lock (held to the end of the transaction, and by a load dropping them)
    /// keeps two loads from making the same index at once.
    static func ensureIndexes(_ c: PGConnection) throws {
        try c.execute("SELECT pg_advisory_xact_lock(7413, -2)")
        let present = Set(try c.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'benchmark_results' AND schemaname = ANY (current_schemas(false))"
        ).rows.compactMap { $0[0] })
        let missing = secondaryIndexes.filter { !present.contains($0.name) }
        if !missing.isEmpty { try c.script(missing.map(\.create).joined(separator: ";\n")) }
    }

    static var ddl: String {
        let q = columns(StoreColumns.questions, key: "id")
        let r = columns(StoreColumns.results, key: "key")
        let m = columns(StoreColumns.metrics, key: "metric_key")
        func seed(_ table: String) -> String {
            SeedSchema.generated(in: table).map { $0.definition(.postgres) + ",\n" }.joined()
        }
        return """
        CREATE TABLE jb_schema_migrations (identifier text PRIMARY KEY);
        CREATE FUNCTION jb_number(v jsonb) RETURNS double precision LANGUAGE plpgsql IMMUTABLE AS $f$
        BEGIN
            IF jsonb_typeof(v) = 'number' THEN RETURN v::text::double precision; END IF;
            RETURN NULL;
        EXCEPTION WHEN others THEN RETURN NULL;
        END $f$;

        CREATE TABLE questions (
            \(q),
            seq bigint GENERATED BY DEFAULT AS IDENTITY,
            \(seed("questions"))
            PRIMARY KEY (id)
        );
        CREATE INDEX questions_seq ON questions (seq);

        CREATE TABLE benchmark_results (
            \(r),
            seq bigint GENERATED BY DEFAULT AS IDENTITY,
            \(seed("benchmark_results"))
            PRIMARY KEY (key, grade_mode)
        );
        \(secondaryIndexes.map(\.create).joined(separator: ";\n        "));

        CREATE TABLE model_performance (
            \(m),
            seq bigint GENERATED BY DEFAULT AS IDENTITY,
            category_performance jsonb,
            difficulty_performance jsonb,
            \(seed("model_performance"))
            PRIMARY KEY (metric_key)
        );
        CREATE INDEX model_performance_model ON model_performance (model, "group");

        CREATE TABLE benchmark_runs (
            \(columns(StoreColumns.runs, key: "run_id")),
            PRIMARY KEY (run_id),
            \(seed("benchmark_runs").dropLast(2))
        );

        \(SeedSchema.views(.postgres).map { "CREATE VIEW \($0.name) AS\n\($0.query);\n" }.joined())

        INSERT INTO jb_schema_migrations VALUES \(StoreSchema.versions.map { "('\($0)')" }.joined(separator: ", "));
        """
    }

    static func quoted(_ names: some Sequence<String>) -> String {
        names.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    /// Session-private staging tables, emptied by every commit.
    static var staging: String {
        """
        CREATE TEMP TABLE IF NOT EXISTS jb_stage_q ON COMMIT DELETE ROWS AS
            SELECT 0::bigint AS ord, \(quoted(questionNames)) FROM questions WITH NO DATA;
        CREATE TEMP TABLE IF NOT EXISTS jb_stage_r ON COMMIT DELETE ROWS AS
            SELECT 0::bigint AS ord, \(quoted(resultNames)) FROM benchmark_results WITH NO DATA;
        CREATE TEMP TABLE IF NOT EXISTS jb_stage_m ON COMMIT DELETE ROWS AS
            SELECT 0::bigint AS ord, \(quoted(metricNames)) FROM model_performance WITH NO DATA;
        """
    }

    static func assignments(_ names: [String], from source: String) -> String {
        "(\(quoted(names))) = (\(names.map { "\(source).\"\($0)\"" }.joined(separator: ", ")))"
    }

    /// Inserts the staged questions; a question record replaces a stored question that
    /// differs or came from a response. Returns (added, updated) among question records.
    /// A response's question already stored is left out before the insert: a conflict
    /// would lock (and so write) the stored row only to change nothing.
    static var mergeQuestions: String {
        """
        WITH m AS (
            INSERT INTO questions AS t (\(quoted(questionNames)))
            SELECT \(quoted(questionNames)) FROM jb_stage_q s
            WHERE s.source = 'question' OR NOT EXISTS (SELECT 1 FROM questions q WHERE q.id = s.id)
            ORDER BY ord
            ON CONFLICT (id) DO UPDATE SET \(assignments(Array(questionNames.dropFirst()), from: "excluded"))
            WHERE excluded.source = 'question' AND (t.source <> 'question' OR t.record IS DISTINCT FROM excluded.record)
            RETURNING (xmax::text = '0') AS inserted, t.source)
        SELECT count(*) FILTER (WHERE inserted AND source = 'question'),
               count(*) FILTER (WHERE NOT inserted AND source = 'question') FROM m
        """
    }

    /// A stored ungraded response becomes its first grade of the batch, keeping its place.
    static var upgradeResults: String {
        """
        WITH s AS (SELECT DISTINCT ON (key) * FROM jb_stage_r WHERE grade_mode <> '' ORDER BY key, ord),
        u AS (UPDATE benchmark_results AS t SET \(assignments(Array(resultNames.dropFirst()), from: "s"))
              FROM s
              WHERE t.key = s.key AND t.grade_mode = ''
                AND NOT EXISTS (SELECT 1 FROM benchmark_results z WHERE z.key = s.key AND z.grade_mode = s.grade_mode)
              RETURNING 1)
        SELECT count(*) FROM u
        """
    }

    static func mergeResults(graded: Bool) -> String {
        let filter = graded ? "s.grade_mode <> ''"
            : "s.grade_mode = '' AND NOT EXISTS (SELECT 1 FROM benchmark_results b WHERE b.key = s.key AND b.grade_mode <> '')"
        return """
        WITH m AS (
            INSERT INTO benchmark_results AS t (seq, \(quoted(resultNames)))
            SELECT ord, \(quoted(resultNames)) FROM jb_stage_r s WHERE \(filter) ORDER BY ord
            ON CONFLICT (key, grade_mode) DO UPDATE SET \(assignments(Array(resultNames.dropFirst(2)), from: "excluded"))
            WHERE t.record IS DISTINCT FROM excluded.record OR t.grade IS DISTINCT FROM excluded.grade
            RETURNING (xmax::text = '0') AS inserted)
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM m
        """
    }
    static let mergeGrades = mergeResults(graded: true)
    static let mergeResponses = mergeResults(graded: false)

    /// An ungraded row whose response has a grade now (two writers at once) goes: the
    /// grade carries the response.
    static let dropGradedResponses = """
        DELETE FROM benchmark_results AS t
        WHERE t.grade_mode = '' AND t.key IN (SELECT key FROM jb_stage_r)
          AND EXISTS (SELECT 1 FROM benchmark_results z WHERE z.key = t.key AND z.grade_mode <> '')
        """

    static var mergeMetrics: String {
        """
        WITH m AS (
            INSERT INTO model_performance AS t (\(quoted(metricNames)))
            SELECT \(quoted(metricNames)) FROM jb_stage_m ORDER BY ord
            ON CONFLICT (metric_key) DO UPDATE SET \(assignments(Array(metricNames.dropFirst()), from: "excluded"))
            WHERE t.record IS DISTINCT FROM excluded.record
            RETURNING (xmax::text = '0') AS inserted)
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM m
        """
    }

    /// `RunSummary`'s statement in PostgreSQL's SQL: $1 the run, $2 the environment, $3 the time.
    static let refreshRun = RunSummary.refreshStatement(.postgres)

    /// `StoreSchema`'s statement in PostgreSQL's SQL.
    static let refreshModelPerformance = StoreSchema.modelPerformanceStatement(.postgres)
}
