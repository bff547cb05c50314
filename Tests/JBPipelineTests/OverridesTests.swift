import JBCore
import JBPipeline
import Testing

@Suite struct OverridesTests {
    let base = Pipeline(name: "demo", seed: 1, stages: [
        Stage(name: "sample", tool: "jb-sample", args: [.word("in.jsonl"), .flag("n", .text("50"))]),
        Stage(name: "query", tool: "jb-query", args: [.flag("model", .list(["sim/good"])), .flag("stream", .on)]),
    ], report: Report(formats: ["terminal"]))

    @Test func setsReplacesAndRemovesFlags() throws {
        let p = try Overrides.apply(["sample.n=20", "query.stream=false", "query.model=[sim/fair, sim/weak]",
                                     "query.max_tokens=64", "seed=9", "report.formats=html,markdown", "sink.db=r.db"], to: base)
        #expect(p.stages[0].args.flatMap(\.words) == ["in.jsonl", "-n", "20"])
        #expect(p.stages[1].args.flatMap(\.words) == ["--model", "sim/fair", "--model", "sim/weak", "--max-tokens", "64"])
        #expect(p.seed == 9)
        #expect(p.report?.formats == ["html", "markdown"])
        #expect(p.sink == Sink(db: "r.db"))
    }

    @Test func matchesFlagsWhateverTheirSpelling() throws {
        let p = Pipeline(name: "x", stages: [Stage(name: "s", tool: "t", args: [.flag("--max-tokens", .text("5")), .flag("-k", .text("1"))])])
        let q = try Overrides.apply(["s.max_tokens=7", "s.k=2"], to: p)
        #expect(q.stages[0].args.flatMap(\.words) == ["--max-tokens", "7", "-k", "2"])
    }

    @Test func badOverridesAreUsageErrors() {
        #expect(throws: JBError.usage("--set nope.n=1: no stage named 'nope' (stages: sample, query)")) {
            try Overrides.apply(["nope.n=1"], to: base)
        }
        #expect(throws: JBError.usage("--set sample.n: expected STAGE.FLAG=VALUE, e.g. --set sample.n=20")) {
            try Overrides.apply(["sample.n"], to: base)
        }
        #expect(throws: JBError.usage("--set seed=x: expected a whole number, 0 or more")) {
            try Overrides.apply(["seed=x"], to: base)
        }
        #expect(throws: JBError.usage("--set report.formats=pdf: unknown format 'pdf' (expected terminal, markdown, html, csv, json)")) {
            try Overrides.apply(["report.formats=pdf"], to: base)
        }
        #expect(throws: JBError.usage("--set sink.batch_size=5: the pipeline has no sink (set sink.db=FILE first)")) {
            try Overrides.apply(["sink.batch_size=5"], to: base)
        }
    }
}
