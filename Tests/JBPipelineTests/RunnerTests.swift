import Foundation
import JBCLI
import JBCore
import JBPipeline
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A scratch folder with a pipeline, a `bin` folder standing in for the one beside jb, and
/// a launcher that collects the stages' stderr.
final class Sandbox: @unchecked Sendable {
    let root: String
    let bin: String
    private let lines = NSLock()
    private var collected: [String] = []

    init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("jb-pipeline-\(UUID().uuidString)").path
        bin = root + "/bin"
        try? FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) -> String {
        let path = root + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        if executable { chmod(path, 0o755) }
        return path
    }

    func read(_ path: String) -> String {
        (try? String(contentsOfFile: path.hasPrefix("/") ? path : root + "/" + path, encoding: .utf8)) ?? "<missing \(path)>"
    }

    var stderrLines: [String] {
        lines.lock()
        defer { lines.unlock() }
        return collected
    }

    var locator: ToolLocator { ToolLocator(jbDirectory: bin, path: ProcessInfo.processInfo.environment["PATH"]) }

    var launcher: Launcher {
        Launcher(locator: locator, runsRoot: root + "/runs", jbVersion: "jb test",
                 diagnostics: Diagnostics(tool: "jb", verbosity: .quiet), stderrSink: { [self] text in
                     lines.lock()
                     collected += text.split(separator: "\n").map(String.init)
                     lines.unlock()
                 })
    }

    /// Runs a script with sh in the sandbox; returns its status and stderr.
    func sh(_ script: String) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite struct RunnerTests {
    static let pipeline = #"""
        name: t
        seed: 5
        stages:
          - name: gen
            tool: sh
            args: [-c, 'i=0; while [ $i -lt 300 ]; do i=$((i+1)); echo "{\"n\":$i}"; done; echo "made 300" >&2']
          - name: odd
            tool: grep
            args: ['[13579]}$']
          - name: upper
            tool: tr
            args: [n, N]
          - name: count
            tool: wc
            args: [-l]
            input: "{{odd}}"
          - name: both
            tool: sh
            args: [-c, 'cat "$0" "$1" "$2"', "{{upper}}", "{{count}}", "{{run}}/01-gen.jsonl"]
        """#

    @Test func theSinksPasswordGoesInItsEnvironmentNotItsArguments() throws {
        let box = Sandbox()
        // A stand-in jb-store that writes down what it was given.
        box.write("bin/jb-store", "#!/bin/sh\necho \"$*\" > \"$(dirname \"$0\")/../argv\"; echo \"$PGPASSWORD\" > \"$(dirname \"$0\")/../pw\"\n",
                  executable: true)
        let file = box.write("t.yaml", """
            name: t
            stages:
              - name: gen
                tool: sh
                args: [-c, 'echo "{}"']
            sink: {db: "postgres://jb:s%40cret@127.0.0.1:5/jb?sslmode=disable"}
            """)
        let (_, status) = try box.launcher.run(file, overrides: [], out: box.root + "/a")
        #expect(status == 0, "\(box.stderrLines)")
        #expect(box.read("argv").hasPrefix("load postgres://jb@127.0.0.1:5/jb?sslmode=disable "), "\(box.read("argv"))")
        #expect(box.read("pw") == "s@cret\n")
    }

    @Test func runKeepsEveryStageOutputAndMatchesTheDryRunScript() throws {
        let box = Sandbox()
        let file = box.write("t.yaml", RunnerTests.pipeline)
        let (dir, status) = try box.launcher.run(file, overrides: ["odd.max_count=1000"], out: box.root + "/a")
        #expect(status == 0, "\(box.stderrLines)")
        #expect(dir == box.root + "/a")
        #expect(box.read("a/01-gen.jsonl").split(separator: "\n").count == 300)
        #expect(box.read("a/02-odd.jsonl").split(separator: "\n").count == 150)
        #expect(box.read("a/03-upper.jsonl").hasPrefix("{\"N\":1}\n{\"N\":3}\n"))
        #expect(box.read("a/04-count.jsonl") == "150\n")
        #expect(box.read("a/05-both.jsonl").contains("{\"N\":299}\n150\n{\"n\":1}\n"))
        #expect(box.stderrLines.contains("[gen] made 300"))
        #expect(box.read("a/run.log").contains("[gen] made 300\n"))

        let record = try RunRecord.read(runDirectory: dir)
        #expect(record.status == 0)
        #expect(record.stages.map(\.status) == [0, 0, 0, 0, 0])
        #expect(record.stages.map(\.records) == [300, 150, 150, 1, 451])
        #expect(record.stages[1].command == ["grep", "[13579]}$", "--max-count", "1000"])
        #expect(record.overrides == ["odd.max_count=1000"])
        #expect(record.seeds == ["pipeline": 5])
        #expect(record.tools["jb"] == "jb test")
        #expect(record.tools["wc"]??.contains("wc") == true)
        #expect(record.endedAt != nil)

        let script = try box.launcher.dryRun(file, overrides: ["odd.max_count=1000"], out: "b")
        let (shStatus, shErr) = try box.sh(script)
        #expect(shStatus == 0, "\(shErr)\n\(script)")
        for name in ["01-gen.jsonl", "02-odd.jsonl", "03-upper.jsonl", "04-count.jsonl", "05-both.jsonl"] {
            #expect(box.read("a/" + name) == box.read("b/" + name), "\(name)")
        }
    }

    @Test func failingStageStopsTheRunWithItsStatus() throws {
        let box = Sandbox()
        box.write("bin/jb-report", "#!/bin/sh\necho report > \"$4\"\n", executable: true)
        let file = box.write("f.yaml", """
            stages:
              - {name: make, tool: sh, args: [-c, 'echo "{}"; echo "{}"']}
              - {name: check, tool: sh, args: [-c, 'cat >/dev/null; echo "f.jsonl:2: error: bad record" >&2; exit 65']}
              - {name: after, tool: cat}
            report: [terminal]
            """)
        let (dir, status) = try box.launcher.run(file, overrides: [], out: box.root + "/r")
        #expect(status == 65)
        #expect(box.stderrLines.contains("[check] f.jsonl:2: error: bad record"))
        let record = try RunRecord.read(runDirectory: dir)
        #expect(record.status == 65)
        #expect(record.stages[1].status == 65)
        #expect(record.reports.map(\.status) == [nil], "reports do not run after a failure")
        #expect(record.resumePoint == 0 || record.resumePoint == 1)

        let (shStatus, shErr) = try box.sh(try box.launcher.dryRun(file, overrides: [], out: "s"))
        #expect(shStatus == 65)
        #expect(shErr.contains("jb: stage check failed with status 65"), "\(shErr)")
    }

    @Test func missingToolAndInputAreClearErrors() throws {
        let box = Sandbox()
        let file = box.write("m.yaml", "stages:\n  - {tool: cat, input: nowhere.jsonl}\n")
        #expect(throws: JBError.cannotOpen(path: "nowhere.jsonl", reason: "no such file (the input of stage 'cat')")) {
            try box.launcher.run(file, overrides: [], out: box.root + "/r")
        }
        let bad = box.write("b.yaml", "stages:\n  - {tool: cat}\n  - {name: x, tool: no-such-tool-here}\n")
        #expect(throws: PipelineFileError([.badConfig(path: bad, line: 3, column: 21,
            message: "stage 'x': tool 'no-such-tool-here' not found (looked for jb-no-such-tool-here and no-such-tool-here beside jb and on PATH)")])) {
            try box.launcher.run(bad, overrides: [], out: nil)
        }
        #expect(try box.launcher.validate(file) == "\(file): ok: 1 stage: cat")
    }

    @Test func stagesThatCannotStartFailCleanly() throws {
        let box = Sandbox()
        // A tool whose interpreter does not exist: it is found, but cannot be started.
        box.write("bin/jb-broken", "#!/no/such/interpreter\n", executable: true)
        let file = box.write("b.yaml", """
            stages:
              - {name: first, tool: sh, args: [-c, 'i=0; while [ $i -lt 20000 ]; do echo "{}"; i=$((i+1)); done']}
              - {name: broken, tool: broken}
              - {name: last, tool: cat}
            """)
        let (dir, status) = try box.launcher.run(file, overrides: [], out: box.root + "/r")
        #expect(status == 66, "\(box.stderrLines)")
        #expect(box.stderrLines.contains { $0.hasPrefix("[broken] jb: error: \(box.bin)/jb-broken: cannot open: cannot start:") }, "\(box.stderrLines)")
        // The stage already started is stopped (or had finished); the one after never started.
        let statuses = try RunRecord.read(runDirectory: dir).stages.map(\.status)
        #expect([0, 143].contains(statuses[0]) && statuses[1] == 66 && statuses[2] == nil, "\(statuses)")

        // An output file that cannot be created stops the segment before anything starts.
        let clash = box.write("c.yaml", "stages:\n  - {name: a, tool: cat, output: taken}\n")
        try FileManager.default.createDirectory(atPath: box.root + "/s/taken", withIntermediateDirectories: true)
        let (_, clashStatus) = try box.launcher.run(clash, overrides: [], out: box.root + "/s")
        #expect(clashStatus == 73)
    }

    /// A stand-in for jb-query: copies stdin on, or with `-o FILE` appends the lines not yet
    /// in FILE (as jb-query skips requests already answered); while `$root/stop` exists it
    /// stops after 3 new lines with status 130, as an interrupted jb-query does.
    static let fakeQuery = #"""
        #!/bin/sh
        out=""; stop="$(dirname "$0")/../stop"
        while [ $# -gt 0 ]; do case $1 in -o) out=$2; shift 2;; *) shift;; esac; done
        n=0
        while IFS= read -r line; do
          if [ -n "$out" ]; then
            grep -qxF "$line" "$out" 2>/dev/null && continue
            printf '%s\n' "$line" >>"$out"
          else
            printf '%s\n' "$line"
          fi
          n=$((n+1))
          if [ -e "$stop" ] && [ $n -ge 3 ]; then echo "interrupted after $n" >&2; exit 130; fi
        done
        """#

    @Test func interruptedRunResumesFromJBQuerysFile() throws {
        let box = Sandbox()
        box.write("bin/jb-query", RunnerTests.fakeQuery, executable: true)
        box.write("stop", "")
        let file = box.write("q.yaml", """
            name: q
            stages:
              - {name: gen, tool: sh, args: [-c, 'for i in 1 2 3 4 5 6 7 8 9 10; do echo "{\\"q\\":$i}"; done']}
              - {name: ask, tool: query, args: {model: sim/good}}
              - {name: count, tool: wc, args: [-l]}
            """)
        let (dir, status) = try box.launcher.run(file, overrides: [], out: box.root + "/r")
        #expect(status == 130)
        #expect(box.read("r/02-ask.jsonl").split(separator: "\n").count == 3)
        let before = try RunRecord.read(runDirectory: dir)
        // The stage after the failure is stopped (143) unless it had finished already.
        #expect(before.stages[0].status == 0 && before.stages[1].status == 130)
        #expect([0, 143].contains(before.stages[2].status))
        #expect(before.resumePoint == 1)
        #expect(before.stages[1].command == ["jb-query", "--model", "sim/good", "--run-id", "r"])

        let script = try box.launcher.dryRunResume(dir)
        #expect(script.contains("stage ask jb-query --model sim/good --run-id r -o \"$run/02-ask.jsonl\" <\"$run/01-gen.jsonl\" >/dev/null"), "\(script)")
        #expect(!script.contains("stage gen"))

        // Half a line left by a crash is dropped before jb-query appends.
        let handle = FileHandle(forWritingAtPath: box.root + "/r/02-ask.jsonl")!
        handle.seekToEndOfFile()
        handle.write(Data("{\"q\":".utf8))
        try handle.close()
        try FileManager.default.removeItem(atPath: box.root + "/stop")
        let (_, resumed) = try box.launcher.resume(dir)
        #expect(resumed == 0, "\(box.stderrLines)")
        let lines = box.read("r/02-ask.jsonl").split(separator: "\n")
        #expect(lines.count == 10)
        #expect(Set(lines).count == 10)
        #expect(box.read("r/03-count.jsonl") == "10\n")
        let after = try RunRecord.read(runDirectory: dir)
        #expect(after.status == 0)
        #expect(after.stages.map(\.status) == [0, 0, 0])
        #expect(after.stages[0].startedAt == before.stages[0].startedAt, "finished stages are not redone")
        #expect(after.stages[1].resumed)
        #expect(box.read("r/run.log").contains("[ask] interrupted after 3\n"), "run.log keeps the first attempt's messages")
        #expect(after.resumedAt.count == 1)

        // A finished run has nothing left to do.
        let (_, again) = try box.launcher.resume(dir)
        #expect(again == 0)
        #expect(try RunRecord.read(runDirectory: dir).resumedAt.count == 1)
    }

    @Test func interruptStopsTheStagesAndRecordsThem() throws {
        let box = Sandbox()
        let pipeline = Pipeline(name: "slow", stages: [
            Stage(name: "slow", tool: "sh", args: [.word("-c"), .word("echo started; sleep 30; echo never")]),
            Stage(name: "copy", tool: "cat"),
        ])
        let plan = Planner(locator: box.locator).plan(pipeline, runDirectory: box.root + "/r", id: "r")
        let record = RunRecord(id: "r", name: "slow", pipelineFile: nil, pipeline: pipeline, overrides: [], plan: plan,
                               git: nil, tools: [:], startedAt: Runner.now())
        let runner = Runner(record: record, locator: box.locator, stderrSink: { _ in })
        let result = Locked<Int32?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            let s = try? runner.run()
            result.set(s)
            finished.signal()
        }.start()
        let began = Date()
        while box.read("r/02-copy.jsonl") != "started\n" && Date().timeIntervalSince(began) < 10 { usleep(20_000) }
        runner.interrupt(SIGINT)
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(Date().timeIntervalSince(began) < 10)
        #expect(result.get() == 130)
        let saved = try RunRecord.read(runDirectory: box.root + "/r")
        // Both got the SIGINT, as both processes of a shell pipeline get Ctrl-C.
        #expect(saved.stages.map(\.status) == [130, 130])
        #expect(saved.status == 130)
    }
}

/// A value shared with another thread.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ v: Value) { lock.lock(); value = v; lock.unlock() }
}
