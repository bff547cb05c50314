import ArgumentParser
import Foundation
import JBCLI
import JBCore
import JBPipeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline: its stages stream into each other, and every output is kept in a run folder.",
        discussion: """
            Prints the run folder on stdout; the stages' stderr is shown prefixed with their names.
            Exits with the status of the first stage that failed.

            Examples:
              jb run pipelines/demo.yaml
              jb run pipelines/demo.yaml --set sample.n=200 --set seed=3 --out runs/try
              jb run pipelines/demo.yaml --dry-run > demo.sh
              jb run pipelines/openrouter.yaml --estimate
              jb run --resume runs/demo/latest
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("The pipeline file, e.g. pipelines/demo.yaml.", valueName: "pipeline"))
    var pipeline: String?
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a value: STAGE.FLAG=VALUE (true: flag alone; false: removed; [a,b]: repeated), seed=N, report.formats=A,B, sink.db=FILE.",
        valueName: "key=value"))
    var overrides: [String] = []
    @Option(help: ArgumentHelp(
        "Load the run's records into this database: a SQLite file or a postgres:// URL (default: JB_DATABASE_URL, else the pipeline's sink).",
        valueName: "file|url"))
    var db: String?
    @Option(help: ArgumentHelp("The run folder (default: runs/NAME/YYYYMMDD-HHMMSS).", valueName: "dir"))
    var out: String?
    @Option(help: ArgumentHelp("Continue the interrupted run in this folder.", valueName: "dir"))
    var resume: String?
    @Flag(help: "Print the equivalent POSIX shell script instead of running.")
    var dryRun = false
    @Flag(help: "Print what the run would cost (every query stage, model and epoch, and any judge), sending nothing.")
    var estimate = false

    func validate() throws {
        if (pipeline == nil) == (resume == nil) { throw ValidationError("give a pipeline file, or --resume DIR") }
        if resume != nil && (!overrides.isEmpty || out != nil || db != nil) {
            throw ValidationError("--resume reruns the recorded commands; --set, --db and --out do not apply")
        }
    }

    func run() throws {
        try ToolMain.run(tool: "jb", common: common, settings: PipelineSetting.all) { settings, diagnostics in
            let launcher = Launcher(locator: .current(), runsRoot: try settings.value(PipelineSetting.runsDir),
                                    jbVersion: jbVersion, diagnostics: diagnostics)
            // --db, else JB_DATABASE_URL, chooses the sink's database (as `--set sink.db=…`);
            // an explicit `--set sink.db=` still wins over the environment.
            var overrides = self.overrides
            if let db {
                overrides.append("sink.db=\(db)")
            } else if let url = ProcessInfo.processInfo.environment["JB_DATABASE_URL"], !url.isEmpty,
                      !overrides.contains(where: { $0.hasPrefix("sink.db=") }) {
                overrides.append("sink.db=\(url)")
            }
            do {
                if estimate {
                    guard let pipeline else { throw JBError.usage("--estimate needs a pipeline file (a resumed run continues its own budget)") }
                    try StandardOutput.write(try launcher.estimate(pipeline, overrides: overrides))
                    return
                }
                if dryRun {
                    let script = try resume.map(launcher.dryRunResume) ?? launcher.dryRun(pipeline!, overrides: overrides, out: out)
                    try StandardOutput.write(script)
                    return
                }
                let (dir, status) = try resume.map(launcher.resume) ?? launcher.run(pipeline!, overrides: overrides, out: out)
                try StandardOutput.write(dir + "\n")
                if status != 0 { throw ExitCode(status) }
            } catch let e as PipelineFileError {
                for error in e.errors { diagnostics.error(error) }
                throw ExitCode(.config)
            }
        }
    }
}
