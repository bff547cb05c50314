import JBCore
import JBPipeline
import Testing

@Suite struct PipelineLoaderTests {
    let loader = PipelineLoader(environment: ["N": "25", "MODEL": "sim/good"], toolExists: { ["jb-sample", "jb-query", "sample", "query", "cat", "jb-grade", "grade"].contains($0) })

    func errors(_ text: String) -> [String] {
        do {
            _ = try loader.load(text: text, path: "p.yaml")
            return []
        } catch let e as PipelineFileError {
            return e.errors.map(\.description)
        } catch {
            return ["unexpected: \(error)"]
        }
    }

    @Test func loadsAPipeline() throws {
        let p = try loader.load(text: """
            name: demo
            description: a test
            seed: 7
            stages:
              - name: sample
                tool: jb-sample
                args: {n: "${N}", stratify: round, shuffle: true, no_media: false}
              - tool: query
                args:
                  - {model: ["${MODEL}", sim/weak], max_tokens: 64}
                  - "-"
              - name: keep
                tool: cat
                input: "{{sample}}"
            report: [terminal, html]
            sink: {db: results.db, load: [query]}
            """, path: "pipelines/demo.yaml")
        #expect(p.name == "demo")
        #expect(p.seed == 7)
        #expect(p.stages.map(\.name) == ["sample", "query", "keep"])
        #expect(p.stages[0].args.flatMap(\.words) == ["-n", "25", "--stratify", "round", "--shuffle"])
        #expect(p.stages[1].args.flatMap(\.words) == ["--model", "sim/good", "--model", "sim/weak", "--max-tokens", "64", "-"])
        #expect(p.stages[2].input == "{{sample}}")
        #expect(p.report == Report(formats: ["terminal", "html"]))
        #expect(p.sink == Sink(db: "results.db", load: ["query"]))
    }

    @Test func nameDefaultsToTheFileName() throws {
        let p = try loader.load(text: "stages: [{tool: cat}]", path: "pipelines/quick.yaml")
        #expect(p.name == "quick")
        #expect(p.stages[0].name == "cat")
    }

    @Test func yamlSyntaxErrorHasLineAndColumn() {
        let e = errors("stages:\n  - name: a\n    tool: cat\n   args: [x\n")
        #expect(e.count == 1)
        #expect(e.first?.hasPrefix("p.yaml:4:") == true, "\(e)")
    }

    @Test func unknownKeysAndMissingToolAreLocated() {
        #expect(errors("""
            name: x
            stages:
              - name: a
                tool: cat
                agrs: [x]
              - name: b
            colour: red
            """) == [
                "p.yaml:5:5: stage 'a': unknown key 'agrs' (expected name, tool, args, input, output)",
                "p.yaml:6:5: stage 'b': missing 'tool:' (e.g. 'tool: jb-sample')",
                "p.yaml:7:1: pipeline: unknown key 'colour' (expected name, description, seed, preset, stages, report, sink)",
            ])
    }

    @Test func reportsEveryProblemWithItsPlace() {
        #expect(errors("""
            seed: seven
            stages:
              - {name: a, tool: nosuchtool}
              - {name: a, tool: cat, input: {{b}}}
              - {name: c, tool: cat, args: ["{{later}}"]}
              - {name: later, tool: cat, args: [$X, "${UNSET}"]}
            report: {formats: [pdf]}
            sink: {load: [zzz]}
            """) == [
                "p.yaml:1:7: seed 'seven': expected a whole number, 0 or more",
                "p.yaml:3:21: stage 'a': tool 'nosuchtool' not found (looked for jb-nosuchtool and nosuchtool beside jb and on PATH)",
                "p.yaml:4:12: duplicate stage name 'a' (stage 1 has it too); give each stage its own 'name:'",
                "p.yaml:4:33: stage 'a': input: expected text, found a mapping (a {{reference}} must be quoted: \"{{name}}\")",
                "p.yaml:5:33: stage 'c': '{{later}}' does not name an earlier stage (use {{run}} for the run folder, or {{STAGE}} for an earlier stage's output)",
                "p.yaml:6:41: environment variable UNSET is not set (write ${UNSET:-default} to give a default)",
                "p.yaml:7:20: report: unknown format 'pdf' (expected terminal, markdown, html, csv, json)",
                "p.yaml:8:7: sink: missing 'db:' (the SQLite file, e.g. db: results.db)",
                "p.yaml:8:15: sink: load: no stage named 'zzz' (stages: a, a, c, later)",
            ])
    }

    @Test func unquotedVariableGetsItsOwnColumn() {
        #expect(errors("stages:\n  - tool: cat\n    args:\n      - --x\n      - pre${NOPE}\n")
                == ["p.yaml:5:12: environment variable NOPE is not set (write ${NOPE:-default} to give a default)"])
    }

    @Test func emptyAndShapelessFiles() {
        #expect(errors("") == ["p.yaml:1:1: the file is empty: expected 'stages:'"])
        #expect(errors("- a\n- b\n") == ["p.yaml:1:1: pipeline: expected a mapping, found a list"])
        #expect(errors("name: x\n") == ["p.yaml:1:1: missing 'stages:' (a list of stages, each with a name and a tool)"])
        #expect(errors("stages: []\n") == ["p.yaml:1:9: stages: the list is empty"])
    }

    @Test func missingFileIsCannotOpen() {
        #expect(throws: JBError.cannotOpen(path: "/no/such.yaml", reason: "no such file")) {
            try loader.load(path: "/no/such.yaml")
        }
    }
}
