import GRDB
import JBCore

/// One row of `benchmark_runs`: a run's configuration snapshot and headline figures, computed
/// from its rows in `benchmark_results`.
public struct RunSummary: Equatable, Sendable {
    public var runID: String
    public var startedAt: String?
    public var finishedAt: String?
    public var models: String?
    public var responses: Int
    public var errors: Int
    public var cached: Int
    public var graded: Int
    public var correct: Int
    public var accuracy: Double?
    public var gradeMode: String?
    public var costUSD: Double?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var totalTokens: Int?
    public var meanLatencyMS: Double?
    public var configuration: String?

    /// The run as a JSON Lines record (what `jb-store runs --json` writes).
    public var json: JSONObject {
        var o: JSONObject = [
            "run_id": .string(runID), "started_at": JSON(startedAt), "finished_at": JSON(finishedAt),
            "models": .array((models ?? "").split(separator: ",").map { .string(String($0)) }),
            "responses": JSON(responses), "errors": JSON(errors), "cached": JSON(cached),
            "graded": JSON(graded), "correct": JSON(correct), "accuracy": JSON(accuracy),
            "grade_mode": JSON(gradeMode), "cost_usd": JSON(costUSD), "prompt_tokens": JSON(promptTokens),
            "completion_tokens": JSON(completionTokens), "total_tokens": JSON(totalTokens),
            "mean_latency_ms": JSON(meanLatencyMS),
        ]
        if let configuration, let parsed = try? JSONParser.parse(configuration) {
            o["configuration"] = parsed
        }
        return o
    }

    init(runID: String, startedAt: String?, finishedAt: String?, models: String?, responses: Int, errors: Int,
         cached: Int, graded: Int, correct: Int, accuracy: Double?, gradeMode: String?, costUSD: Double?,
         promptTokens: Int?, completionTokens: Int?, totalTokens: Int?, meanLatencyMS: Double?, configuration: String?) {
        self.runID = runID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.models = models
        self.responses = responses
        self.errors = errors
        self.cached = cached
        self.graded = graded
        self.correct = correct
        self.accuracy = accuracy
        self.gradeMode = gradeMode
        self.costUSD = costUSD
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
        self.meanLatencyMS = meanLatencyMS
        self.configuration = configuration
    }

    init(row: Row) {
        runID = row["run_id"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        models = row["models"]
        responses = row["responses"]
        errors = row["errors"]
        cached = row["cached"]
        graded = row["graded"]
        correct = row["correct"]
        accuracy = row["accuracy"]
        gradeMode = row["grade_mode"]
        costUSD = row["cost_usd"]
        promptTokens = row["prompt_tokens"]
        completionTokens = row["completion_tokens"]
        totalTokens = row["total_tokens"]
        meanLatencyMS = row["mean_latency_ms"]
        configuration = row["configuration"]
    }

    /// Every run, oldest first (by start time, then id).
    static func all(_ db: Database) throws -> [RunSummary] {
        try Row.fetchAll(db, sql: "SELECT * FROM benchmark_runs ORDER BY started_at, run_id").map(RunSummary.init(row:))
    }

    /// Recomputes the run's row from its results. `environment` is recorded only when the
    /// run is new (the environment it was first loaded from).
    static func refresh(_ db: Database, runID: String, environment: String?, now: String? = nil) throws {
        try db.execute(sql: refreshSQL, arguments: ["run": runID, "environment": environment, "now": now])
    }

    static let refreshSQL = refreshStatement(.sqlite)

    /// The statement that recomputes a run's row of `benchmark_runs`, in either engine's SQL:
    /// parameters the run, the environment and the time.
    ///
    /// Headline figures count each response once (a response graded in two modes has two
    /// rows: `r` keeps the first by mode, found through the primary key; an ungraded row,
    /// whose mode '' sorts first, is kept without a look); the grade figures are those of the
    /// run's most used grade mode (`gr`: the run's graded rows, read once).
    static func refreshStatement(_ d: SQLDialect) -> String {
        let run = d.parameter(1, "run"), environment = d.parameter(2, "environment"), now = d.parameter(3, "now")
        let columns = """
            question_id, model, provider, template, template_hash, params, epoch, created_at, error_message, cached,
            cost_usd, prompt_tokens, completion_tokens, latency_ms
            """
        let configuration = d.jsonObject([
            ("models", d.jsonArray("model", of: "SELECT DISTINCT model FROM r", orderBy: "model")),
            ("providers", d.jsonArray("provider", of: "SELECT DISTINCT provider FROM r WHERE provider IS NOT NULL",
                                      orderBy: "provider")),
            ("templates", d.jsonArray(d.jsonObject([("template", "template"), ("template_hash", "template_hash")]),
                                      of: """
                                          SELECT DISTINCT template, template_hash FROM r
                                          WHERE template IS NOT NULL OR template_hash IS NOT NULL
                                          """, orderBy: "template, template_hash")),
            ("params", d.jsonArray(d.json("params"), of: "SELECT DISTINCT params FROM r WHERE params IS NOT NULL",
                                   orderBy: "params")),
            ("epochs", "(SELECT max(epoch) FROM r)"),
            ("grade_modes", d.jsonArray("grade_mode", of: "SELECT DISTINCT grade_mode FROM gr", orderBy: "grade_mode")),
            ("graders", d.jsonArray("grader", of: "SELECT DISTINCT grader FROM gr WHERE grader IS NOT NULL", orderBy: "grader")),
        ])
        return """
            WITH
            r AS (SELECT \(columns) FROM benchmark_results WHERE run_id = \(run) AND grade_mode = ''
                  UNION ALL
                  SELECT \(columns) FROM benchmark_results x
                  WHERE run_id = \(run) AND grade_mode <> ''
                    AND NOT EXISTS (SELECT 1 FROM benchmark_results y WHERE y.key = x.key AND y.grade_mode < x.grade_mode)),
            gr AS (SELECT grade_mode, correct, grader FROM benchmark_results WHERE run_id = \(run) AND grade_mode <> ''),
            a AS (SELECT min(created_at) AS started_at, max(created_at) AS finished_at, count(*) AS responses,
                         count(error_message) AS errors, count(CASE WHEN cached = 1 THEN 1 END) AS cached,
                         \(d.round12("sum(cost_usd)")) AS cost_usd, sum(prompt_tokens) AS prompt_tokens,
                         sum(completion_tokens) AS completion_tokens,
                         CASE WHEN count(prompt_tokens) + count(completion_tokens) = 0 THEN NULL
                              ELSE coalesce(sum(prompt_tokens), 0) + coalesce(sum(completion_tokens), 0) END AS total_tokens,
                         avg(CASE WHEN cached = 1 THEN NULL ELSE latency_ms END) AS mean_latency_ms,
                         count(DISTINCT question_id) AS sample_size
                  FROM r),
            g AS (SELECT grade_mode, count(*) AS graded, coalesce(sum(correct), 0) AS correct,
                         CAST(coalesce(sum(correct), 0) AS DOUBLE PRECISION) / count(*) AS accuracy
                  FROM gr GROUP BY grade_mode ORDER BY count(*) DESC, grade_mode LIMIT 1),
            c AS (SELECT \(d.jsonText(configuration)) AS configuration)
            INSERT INTO benchmark_runs (run_id, started_at, finished_at, models, responses, errors, cached,
                                        graded, correct, accuracy, grade_mode, cost_usd, prompt_tokens,
                                        completion_tokens, total_tokens, mean_latency_ms, configuration,
                                        environment, first_loaded_at, last_loaded_at, sample_size)
            SELECT \(run), a.started_at, a.finished_at, \(d.commaList("model", of: "SELECT DISTINCT model FROM r")),
                   a.responses, a.errors, a.cached, coalesce(g.graded, 0), coalesce(g.correct, 0), g.accuracy,
                   g.grade_mode, a.cost_usd, a.prompt_tokens, a.completion_tokens, a.total_tokens,
                   a.mean_latency_ms, c.configuration, \(environment), \(now), \(now), a.sample_size
            FROM a CROSS JOIN c LEFT JOIN g ON 1 = 1
            WHERE a.responses > 0
            ON CONFLICT (run_id) DO UPDATE SET
                started_at = excluded.started_at, finished_at = excluded.finished_at, models = excluded.models,
                responses = excluded.responses, errors = excluded.errors, cached = excluded.cached,
                graded = excluded.graded, correct = excluded.correct, accuracy = excluded.accuracy,
                grade_mode = excluded.grade_mode, cost_usd = excluded.cost_usd,
                prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
                total_tokens = excluded.total_tokens, mean_latency_ms = excluded.mean_latency_ms,
                configuration = excluded.configuration, sample_size = excluded.sample_size,
                environment = coalesce(benchmark_runs.environment, excluded.environment),
                first_loaded_at = coalesce(benchmark_runs.first_loaded_at, excluded.first_loaded_at),
                last_loaded_at = coalesce(excluded.last_loaded_at, benchmark_runs.last_loaded_at)
            """
    }
}
