import ArgumentParser
import JBCLI
import JBPipeline

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipeline files and report each problem with its line and column.",
        discussion: """
            Checks the YAML, the keys, ${VAR} expansion, {{references}}, report formats, and that
            every tool can be found. Exits 0 when all files are valid, 78 otherwise.

            Example:
              jb validate pipelines/*.yaml
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("Pipeline files.", valueName: "file")) var files: [String]

    func run() throws {
        try ToolMain.run(tool: "jb", common: common) { _, diagnostics in
            let launcher = Launcher(locator: .current(), jbVersion: jbVersion, diagnostics: diagnostics)
            var failed = false
            for file in files {
                do {
                    diagnostics.info(try launcher.validate(file))
                } catch let e as PipelineFileError {
                    for error in e.errors { diagnostics.error(error) }
                    failed = true
                }
            }
            if failed { throw ExitCode(.config) }
        }
    }
}
