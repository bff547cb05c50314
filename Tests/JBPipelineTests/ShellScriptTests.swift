import JBPipeline
import Testing

@Suite struct ShellScriptTests {
    @Test func quotesOnlyWhatNeedsIt() {
        #expect(Shell.quote("sim/good") == "sim/good")
        #expect(Shell.quote("--max-tokens=64") == "--max-tokens=64")
        #expect(Shell.quote("") == "''")
        #expect(Shell.quote("a b") == "'a b'")
        #expect(Shell.quote("it's $HOME") == "'it'\\''s $HOME'")
        #expect(Shell.quote("~x") == "'~x'")
    }

    @Test func writesPipesTeesAndChecks() {
        let plan = RunPlan(id: "1", runDirectory: "runs/t/1", stages: [
            PlannedStage(name: "a", tool: "sh", arguments: ["-c", "echo 'x y'"], output: "runs/t/1/01-a.jsonl"),
            PlannedStage(name: "b", tool: "cat", arguments: [], output: "runs/t/1/02-b.jsonl"),
            PlannedStage(name: "c", tool: "cat", arguments: ["runs/t/1/01-a.jsonl"], output: "runs/t/1/my file.jsonl", waitsForPrevious: true),
        ], reports: [PlannedReport(format: "html", arguments: ["--format", "html", "-o", "runs/t/1/report.html", "runs/t/1/my file.jsonl"], output: "runs/t/1/report.html")])
        let script = ShellScript(plan: plan, title: "jb run t.yaml").render()
        #expect(script.contains("""
            stage a sh -c 'echo '\\''x y'\\''' </dev/null \\
              | tee "$run/01-a.jsonl" \\
              | stage b cat >"$run/02-b.jsonl"
            check

            stage c cat "$run/01-a.jsonl" <"$run/02-b.jsonl" >"$run"/'my file.jsonl'
            check

            stage report.html jb-report --format html -o "$run/report.html" "$run"/'my file.jsonl' </dev/null
            check
            """), "\(script)")
        #expect(script.hasPrefix("#!/bin/sh\n# jb run t.yaml\n"))
        #expect(script.contains("run=runs/t/1\n"))
    }
}
