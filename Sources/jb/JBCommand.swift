import ArgumentParser
import JBCLI
import JBCore
import JBPipeline

/// jb's version, recorded in every run.json.
let jbVersion = JBVersion.string

@main
struct JBCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "jb",
            abstract: "Run benchmark pipelines described in YAML; 'jb TOOL …' runs jb-TOOL, like git.",
            discussion: """
                Examples:
                  jb run pipelines/demo.yaml
                  jb run pipelines/demo.yaml --set sample.n=20 --dry-run | sh
                  jb sample -n 10 --seed 1 questions.jsonl     (runs jb-sample)

                \(ToolDispatch.toolList(ToolLocator.current()))
                """,
            version: jbVersion,
            subcommands: [RunCommand.self, ValidateCommand.self])
    }

    /// `jb TOOL …` replaces itself with `jb-TOOL …`; everything else is a jb subcommand.
    static func main() {
        StandardStreams.reopenClosed()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-"), !["run", "validate", "help"].contains(first) {
            let error = ToolDispatch.exec(tool: first, arguments: Array(arguments.dropFirst()), locator: .current())
            Diagnostics(tool: "jb").error(error)
            Self.exit(withError: ExitCode(error.status.rawValue))
        }
        ToolEntry.run(Self.self, arguments: arguments)
    }
}
