-- A database as jb-store's schema v1 left it: the v1 tables exactly as migration "v1" makes
-- them (copied from StoreSchema.v1), GRDB's migration table saying v1 is applied, and a few rows.
-- StoreSchemaTests opens it with the current jb-store, which must migrate it forward.
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

CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
INSERT INTO grdb_migrations VALUES ('v1');
INSERT INTO questions (id, show_number, air_date, round, category, value, daily_double, wager, clue, answer, media, difficulty, comments, notes, source, record) VALUES ('5e0f1b1c9d6f5a3e', 4680, '2004-12-31', 'Jeopardy!', 'HISTORY', 200, NULL, NULL, 'For the last 8 years of his life, Galileo was under house arrest for espousing this man''s theory', 'Copernicus', 0, 1, NULL, NULL, 'question', '{"air_date":"2004-12-31","answer":"Copernicus","category":"HISTORY","clue":"For the last 8 years of his life, Galileo was under house arrest for espousing this man''s theory","daily_double":null,"difficulty":1,"id":"5e0f1b1c9d6f5a3e","media":false,"round":"Jeopardy!","show_number":4680,"value":200}');
INSERT INTO questions (id, show_number, air_date, round, category, value, daily_double, wager, clue, answer, media, difficulty, comments, notes, source, record) VALUES ('0a1b2c3d4e5f6071', 4680, '2004-12-31', 'Jeopardy!', 'RIVERS', 400, 0, NULL, 'It flows north through Khartoum', 'the Nile', 0, 2, NULL, 'hand-made', 'response', '{"air_date":"2004-12-31","answer":"the Nile","category":"RIVERS","clue":"It flows north through Khartoum","daily_double":false,"difficulty":2,"id":"0a1b2c3d4e5f6071","media":false,"notes":"hand-made","round":"Jeopardy!","show_number":4680,"value":400}');
INSERT INTO benchmark_results (key, grade_mode, run_id, question_id, model, epoch, template, template_hash, params, provider, response_text, finish_reason, latency_ms, prompt_tokens, completion_tokens, cost_usd, cost_source, attempts, cached, error_status, error_code, error_message, created_at, correct, answered, method, score, extracted, question_form, grader, grade, record) VALUES ('k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1', 'jeopardy', 'run-v1', '5e0f1b1c9d6f5a3e', 'sim/good', 1, 'jeopardy', 'a1b2c3d4e5f60718', '{"max_tokens":64,"temperature":0}', 'sim', 'What is Copernicus?', 'stop', 120, 50, 5, 0.0001, 'sim', 1, 0, NULL, NULL, NULL, '2026-01-02T03:04:05Z', 1, 1, 'exact', 1, 'Copernicus', 1, 'jb-grade/1', '{"answered":true,"confidence":null,"correct":true,"extracted":"Copernicus","grader":"jb-grade/1","judge":null,"method":"exact","mode":"jeopardy","question_form":true,"score":1}', '{"air_date":"2004-12-31","answer":"Copernicus","attempts":1,"cached":false,"category":"HISTORY","clue":"For the last 8 years of his life, Galileo was under house arrest for espousing this man''s theory","cost_source":"sim","cost_usd":0.0001,"created_at":"2026-01-02T03:04:05Z","daily_double":null,"difficulty":1,"epoch":1,"error":null,"finish_reason":"stop","id":"5e0f1b1c9d6f5a3e","key":"k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1","latency_ms":120,"legacy_field":"kept","media":false,"model":"sim/good","params":{"max_tokens":64,"temperature":0},"provider":"sim","response_text":"What is Copernicus?","round":"Jeopardy!","run_id":"run-v1","show_number":4680,"template":"jeopardy","template_hash":"a1b2c3d4e5f60718","tokens":{"completion":5,"prompt":50},"ttft_ms":null,"upstream_provider":null,"value":200}');
INSERT INTO benchmark_results (key, grade_mode, run_id, question_id, model, epoch, template, template_hash, params, provider, response_text, finish_reason, latency_ms, prompt_tokens, completion_tokens, cost_usd, cost_source, attempts, cached, error_status, error_code, error_message, created_at, record) VALUES ('k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2', '', 'run-v1', '0a1b2c3d4e5f6071', 'sim/good', 1, 'jeopardy', 'a1b2c3d4e5f60718', '{"max_tokens":64,"temperature":0}', 'sim', NULL, NULL, 3000, NULL, NULL, NULL, 'sim', 1, 0, 503, 503, 'upstream unavailable', '2026-01-02T03:04:09Z', '{"air_date":"2004-12-31","answer":"the Nile","attempts":1,"cached":false,"category":"RIVERS","clue":"It flows north through Khartoum","cost_source":"sim","cost_usd":null,"created_at":"2026-01-02T03:04:09Z","daily_double":false,"difficulty":2,"epoch":1,"error":{"code":503,"message":"upstream unavailable","status":503},"finish_reason":null,"id":"0a1b2c3d4e5f6071","key":"k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2","latency_ms":3000,"media":false,"model":"sim/good","notes":"hand-made","params":{"max_tokens":64,"temperature":0},"provider":"sim","response_text":null,"round":"Jeopardy!","run_id":"run-v1","show_number":4680,"template":"jeopardy","template_hash":"a1b2c3d4e5f60718","tokens":{"completion":null,"prompt":null},"ttft_ms":null,"upstream_provider":null,"value":400}');
INSERT INTO model_performance (metric_key, kind, model, "group", n, answered, correct, accuracy, ci_low, ci_high, confidence, accuracy_answered, errors, refusals, record) VALUES ('m1', 'metric', 'sim/good', 'all', 2, 1, 1, 0.5, 0.0945, 0.9055, 0.95, 1, 1, 0, '{"accuracy":0.5,"accuracy_answered":1,"answered":1,"ci_high":0.9055,"ci_low":0.0945,"confidence":0.95,"correct":1,"errors":1,"group":"all","kind":"metric","model":"sim/good","n":2,"refusals":0}');
INSERT INTO benchmark_runs (run_id, started_at, finished_at, models, responses, errors, cached, graded, correct, accuracy, cost_usd, prompt_tokens, completion_tokens, total_tokens, mean_latency_ms) VALUES ('run-v1', '2026-01-02T03:04:05Z', '2026-01-02T03:04:09Z', 'sim/good', 2, 1, 0, 1, 1, 0.5, 0.0001, 50, 5, 55, 1560);
