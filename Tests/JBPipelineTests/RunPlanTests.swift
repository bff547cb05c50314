import JBPipeline
import Testing

@Suite struct RunPlanTests {
    /// A locator that finds nothing beside jb, so names stay as written.
    let planner = Planner(locator: ToolLocator(jbDirectory: nil, path: "/usr/bin:/bin"))

    let pipeline = Pipeline(name: "demo", seed: 7, stages: [
        Stage(name: "ingest", tool: "jb-ingest", args: [.word("examples/questions.csv")]),
        Stage(name: "sample", tool: "jb-sample", args: [.flag("n", .text("30"))]),
        Stage(name: "query", tool: "jb-query", args: [.flag("model", .list(["sim/good", "sim/weak"]))]),
        Stage(name: "grade", tool: "jb-grade", args: [.flag("mode", .text("lenient"))]),
        Stage(name: "diff", tool: "jb-grade", args: [.word("diff"), .word("old.jsonl"), .word("{{grade}}")]),
        Stage(name: "again", tool: "jb-grade", args: [.flag("seed", .off)], input: "{{query}}"),
    ], report: Report(formats: ["terminal", "html"], input: "{{grade}}", args: [.flag("run", .text("{{run}}/run.json"))]),
       sink: Sink(db: "results.db", load: ["grade"], args: [.flag("batch_size", .text("10"))]))

    @Test func commandsSeedsRunIDAndFiles() {
        let plan = planner.plan(pipeline, runDirectory: "runs/demo/1", id: "1")
        #expect(plan.stages.map(\.output) == ["runs/demo/1/01-ingest.jsonl", "runs/demo/1/02-sample.jsonl", "runs/demo/1/03-query.jsonl",
                                               "runs/demo/1/04-grade.jsonl", "runs/demo/1/05-diff.jsonl", "runs/demo/1/06-again.jsonl"])
        #expect(plan.stages[1].arguments == ["-n", "30", "--seed", "7"])
        #expect(plan.stages[1].seed == 7)
        #expect(plan.stages[2].arguments == ["--model", "sim/good", "--model", "sim/weak", "--seed", "7", "--run-id", "1"])
        #expect(plan.stages[3].seed == nil)
        #expect(plan.stages[4].arguments == ["diff", "old.jsonl", "runs/demo/1/04-grade.jsonl"])
        #expect(plan.stages[5].input == "runs/demo/1/03-query.jsonl")
        #expect(plan.stages.map(\.waitsForPrevious) == [false, false, false, false, true, true])
        #expect(plan.reports == [
            PlannedReport(format: "terminal", arguments: ["--format", "terminal", "-o", "runs/demo/1/report.txt", "--run", "runs/demo/1/run.json", "runs/demo/1/04-grade.jsonl"], output: "runs/demo/1/report.txt"),
            PlannedReport(format: "html", arguments: ["--format", "html", "-o", "runs/demo/1/report.html", "--run", "runs/demo/1/run.json", "runs/demo/1/04-grade.jsonl"], output: "runs/demo/1/report.html"),
        ])
        #expect(plan.sink == PlannedSink(db: "results.db", arguments: ["load", "results.db", "--batch-size", "10", "runs/demo/1/04-grade.jsonl"],
                                         inputs: ["runs/demo/1/04-grade.jsonl"]))
    }

    @Test func segmentsFollowPipesAndWaits() {
        let plan = planner.plan(pipeline, runDirectory: "r", id: "1")
        let segments = plan.segments()
        #expect(segments.map { $0.map(\.index) } == [[0, 1, 2, 3], [4], [5]])
        #expect(segments[0].map(\.input) == [.none, .pipe, .pipe, .pipe])
        #expect(segments[0].map(\.output) == [.tee("r/01-ingest.jsonl"), .tee("r/02-sample.jsonl"), .tee("r/03-query.jsonl"), .file("r/04-grade.jsonl")])
        #expect(segments[1][0].input == .file("r/04-grade.jsonl"))
        #expect(segments[2][0].input == .file("r/03-query.jsonl"))
    }

    @Test func resumingContinuesJBQueryFromItsFile() {
        let plan = planner.plan(pipeline, runDirectory: "r", id: "1")
        let segments = plan.segments(from: 2, resuming: true, fileExists: { $0 == "r/03-query.jsonl" })
        #expect(segments.map { $0.map(\.index) } == [[2], [3], [4], [5]])
        #expect(segments[0][0].command.suffix(2) == ["-o", "r/03-query.jsonl"])
        #expect(segments[0][0].input == .file("r/02-sample.jsonl"))
        #expect(segments[0][0].output == .discard)
        #expect(segments[1][0].input == .file("r/03-query.jsonl"))
        // Without its file, jb-query starts afresh and streams on.
        let fresh = plan.segments(from: 1, resuming: true, fileExists: { _ in false })
        #expect(fresh.map { $0.map(\.index) } == [[1, 2, 3], [4], [5]])
    }

    @Test func ownSeedWinsAndNullDropsIt() {
        var p = pipeline
        p.stages[1].args.append(.flag("seed", .text("3")))
        p.stages[2].args.append(.flag("seed", .off))
        p.stages[2].args.append(.flag("run_id", .text("mine")))
        let plan = planner.plan(p, runDirectory: "r", id: "1")
        #expect(plan.stages[1].arguments == ["-n", "30", "--seed", "3"])
        #expect(plan.stages[1].seed == 3)
        #expect(plan.stages[2].arguments == ["--model", "sim/good", "--model", "sim/weak", "--run-id", "mine"])
        #expect(plan.stages[2].seed == nil)
    }
}
