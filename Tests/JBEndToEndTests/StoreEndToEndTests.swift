import Foundation
import JBCore
import JBTestSupport
import Testing

/// jb-store as a user runs it: load, export, runs and backup on real files.
@Suite(.tools) struct StoreEndToEndTests {
    /// `n` response records of two models in one run, every third graded.
    static func records(_ n: Int, run: String = "run-e2e") -> [JSONObject] {
        (1...n).map { k in
            var r: JSONObject = [
                "id": .string(String(format: "%016x", k)), "show_number": nil, "air_date": "1999-09-09",
                "round": "Double Jeopardy!", "category": "SCIENCE & NATURE", "value": 800, "daily_double": false,
                "difficulty": 2, "media": false, "clue": .string("Clue \(k): \"quoted\", tab\tand ümlaut"),
                "answer": "the moon", "model": .string(k % 2 == 0 ? "sim/good" : "sim/bad"),
                "response_text": .string("What is the moon? #\(k)"), "template": "jeopardy",
                "template_hash": "00112233aabbccdd", "params": ["temperature": 0.7, "seed": 7], "epoch": 1,
                "key": .string(ContentHash.sha256Hex("e2e \(run) \(k)")), "run_id": .string(run), "provider": "sim",
                "upstream_provider": nil, "finish_reason": "stop", "latency_ms": .int(Int64(k)), "ttft_ms": nil,
                "tokens": ["prompt": 30, "completion": 8], "cost_usd": 1.5e-05, "cost_source": "sim",
                "attempts": 1, "cached": false, "error": nil, "created_at": "2026-03-04T05:06:07Z",
                "x_unknown": ["deep": [nil, true, 1e300]],
            ]
            if k % 3 == 0 {
                r["grade"] = ["correct": .bool(k % 2 == 0), "answered": true, "mode": "jeopardy", "method": "exact",
                              "score": 0.875, "extracted": "the moon", "question_form": true, "confidence": nil,
                              "grader": "jb-grade/1", "judge": nil]
            }
            return r
        }
    }

    static func text(_ records: [JSONObject]) -> String {
        records.map { JSONSerializer.string(.object($0)) + "\n" }.joined()
    }

    func database() -> String {
        ToolRunner.makeTemporaryDirectory().appendingPathComponent("results.db").path
    }

    @Test func aLoadThenAnExportGivesBackEveryField() throws {
        let db = database()
        let records = Self.records(40)
        let questions: [JSONObject] = [["id": "q1", "round": "Jeopardy!", "category": "A", "clue": "c", "answer": "a",
                                        "air_date": nil, "show_number": 1, "value": 200, "daily_double": nil,
                                        "media": false, "difficulty": 1, "mine": "kept"]]
        let metrics: [JSONObject] = [["kind": "metric", "model": "sim/good", "group": "category=A", "n": 3,
                                      "accuracy": 0.3333333333333333, "ci_low": nil, "extra_stat": [1, 2]]]
        let input = Self.text(questions + records + metrics)
        let load = try ToolRunner.run("jb-store", ["load", db], input: input)
        #expect(load.status == 0, "\(load)")
        #expect(load.stdout.isEmpty)
        #expect(load.stderr == "jb-store: \(db): 42 records read (1 question, 27 responses, 13 grades, 1 metric): 42 added, 0 updated, 0 unchanged\n")

        let graded = records.filter { $0["grade"] != nil }
        let responses = records.map { $0.filter { $0.key != "grade" } }
        for (kind, expected) in [("questions", questions + responses.map { r in r.filter { ["id", "show_number", "air_date", "round", "category", "value", "daily_double", "wager", "clue", "answer", "media", "difficulty", "comments", "notes"].contains($0.key) } }),
                                 ("responses", responses), ("grades", graded), ("metrics", metrics)] {
            let out = try ToolRunner.run("jb-store", ["export", db, kind])
            #expect(out.status == 0, "\(out)")
            #expect(out.output == Self.text(expected), "\(kind)")
        }
        let good = try ToolRunner.run("jb-store", ["export", db, "responses", "--model", "sim/good", "--run", "run-e2e"])
        #expect(good.output == Self.text(responses.filter { $0["model"] == "sim/good" }))
        let none = try ToolRunner.run("jb-store", ["export", db, "grades", "--run", "other"])
        #expect(none.status == 0 && none.stdout.isEmpty)
    }

    @Test func loadingTheSameFileTwiceAddsNothing() throws {
        let db = database()
        let input = Self.text(Self.records(25))
        #expect(try ToolRunner.run("jb-store", ["load", db], input: input).status == 0)
        let runs = try ToolRunner.run("jb-store", ["runs", db])
        let again = try ToolRunner.run("jb-store", ["load", "--tee", db], input: input)
        #expect(again.status == 0)
        #expect(again.output == input)
        #expect(again.stderr == "jb-store: \(db): 25 records read (17 responses, 8 grades): 0 added, 0 updated, 25 unchanged\n")
        #expect(try ToolRunner.run("jb-store", ["runs", db]).output == runs.output)
        #expect(try ToolRunner.run("jb-store", ["export", db, "responses"]).lines.count == 25)
    }

    @Test func runsListsTheHeadlineFigures() throws {
        let db = database()
        #expect(try ToolRunner.run("jb-store", ["load", "-q", db], input: Self.text(Self.records(12) + Self.records(3, run: "b"))).status == 0)
        let runs = try ToolRunner.run("jb-store", ["runs", db])
        #expect(runs.status == 0, "\(runs)")
        // Checked by hand: run b has 3 responses, one graded (k = 3, wrong); run-e2e has 12,
        // four graded (k = 3, 6, 9, 12), right when k is even.
        let config = #"{"epochs":1,"grade_modes":["jeopardy"],"graders":["jb-grade/1"],"models":["sim/bad","sim/good"],"params":[{"seed":7,"temperature":0.7}],"providers":["sim"],"templates":[{"template":"jeopardy","template_hash":"00112233aabbccdd"}]}"#
        #expect(runs.lines == [
            #"{"accuracy":0,"cached":0,"completion_tokens":24,"configuration":"# + config + #","correct":0,"cost_usd":4.5e-05,"errors":0,"finished_at":"2026-03-04T05:06:07Z","grade_mode":"jeopardy","graded":1,"mean_latency_ms":2,"models":["sim/bad","sim/good"],"prompt_tokens":90,"responses":3,"run_id":"b","started_at":"2026-03-04T05:06:07Z","total_tokens":114}"#,
            #"{"accuracy":0.5,"cached":0,"completion_tokens":96,"configuration":"# + config + #","correct":2,"cost_usd":0.00018,"errors":0,"finished_at":"2026-03-04T05:06:07Z","grade_mode":"jeopardy","graded":4,"mean_latency_ms":6.5,"models":["sim/bad","sim/good"],"prompt_tokens":360,"responses":12,"run_id":"run-e2e","started_at":"2026-03-04T05:06:07Z","total_tokens":456}"#,
        ])
    }

    /// A reader running while a load commits batch after batch always sees whole batches and
    /// never fails; the load never waits for it.
    @Test func aConcurrentLoadAndReadSeeConsistentData() throws {
        let db = database()
        let total = 12_000, batch = 500
        // From a file: a pipe that runs dry has what was read committed at once, which would
        // make transactions smaller than a batch.
        let input = ToolRunner.makeTemporaryDirectory().appendingPathComponent("in.jsonl")
        try Data(Self.text(Self.records(total).map { $0.filter { $0.key != "grade" } }).utf8).write(to: input)
        // Create the database first so the reader never races the creation.
        #expect(try ToolRunner.run("jb-store", ["load", db], input: "").status == 0)
        let outcome = LoadOutcome()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            outcome.result = try? ToolRunner.run("jb-store", ["load", "--batch-size", "\(batch)", "--commit-interval", "3600", db, input.path])
            done.signal()
        }
        var seen: [Int] = []
        var finished = false
        while !finished && seen.count < 500 {
            finished = done.wait(timeout: .now()) == .success
            let read = try ToolRunner.run("jb-store", ["export", db, "responses"])
            #expect(read.status == 0, "\(read)")
            seen.append(read.lines.count)
        }
        if !finished { done.wait() }
        let loaded = try #require(outcome.result)
        #expect(loaded.status == 0, "\(loaded)")
        #expect(seen.allSatisfy { $0 % batch == 0 }, "a reader saw part of a batch: \(seen)")
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(seen.last == total)
        #expect(seen.contains { $0 > 0 && $0 < total }, "no read ran during the load: \(seen)")
    }

    /// A file that is not a database: a clear error, and with --tee the input still flows on.
    @Test func aCorruptDatabaseLosesNoInput() throws {
        let db = database()
        try Data(String(repeating: "garbage that is not SQLite\n", count: 100).utf8).write(to: URL(fileURLWithPath: db))
        let input = Self.text(Self.records(3))
        let load = try ToolRunner.run("jb-store", ["load", "--tee", db], input: input)
        #expect(load.status == 73, "\(load)")
        #expect(load.output == input)
        #expect(load.stderr == "jb-store: \(db): error: cannot create: not a valid SQLite database (file is corrupt or of another kind); none of the 3 records read are stored\n")
        let export = try ToolRunner.run("jb-store", ["export", db, "responses"])
        #expect(export.status == 66)
        #expect(export.stderr == "jb-store: \(db): error: cannot open: not a valid SQLite database (file is corrupt or of another kind)\n")
    }

    @Test func backupCopiesALiveDatabase() throws {
        let db = database()
        #expect(try ToolRunner.run("jb-store", ["load", db], input: Self.text(Self.records(30))).status == 0)
        let copy = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("copy.db").path
        let backup = try ToolRunner.run("jb-store", ["backup", db, copy])
        #expect(backup.status == 0, "\(backup)")
        #expect(backup.stderr == "jb-store: \(db): backed up to \(copy)\n")
        for kind in ["questions", "responses", "grades", "metrics"] {
            #expect(try ToolRunner.run("jb-store", ["export", copy, kind]).output
                    == ToolRunner.run("jb-store", ["export", db, kind]).output)
        }
    }
}

/// The result of a tool run on another thread.
private final class LoadOutcome: @unchecked Sendable {
    var result: RunResult?
}

extension StoreEndToEndTests {
    @Test func aBadLineStopsTheLoadWithItsLineNumber() throws {
        let db = database()
        let input = Self.text(Self.records(2)) + "{\"model\": \"sim/good\",\n" + Self.text(Self.records(1))
        let load = try ToolRunner.run("jb-store", ["load", "--tee", db], input: input)
        #expect(load.status == 65, "\(load)")
        #expect(load.output == input)
        #expect(load.stderr == "jb-store: <stdin>:3: error: not valid JSON: expected a quoted key at column 22 (2 records before it stored)\n")
        #expect(try ToolRunner.run("jb-store", ["export", db, "responses"]).lines.count == 2)
    }
}
