import ArgumentParser
import JBCLI
import JBCore
import JBQuery

@main
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jb-query",
        abstract: "Ask models every question, writing one response record per question, model and epoch.",
        discussion: """
            Example:
              jb-sample -n 20 --seed 1 questions.jsonl | jb-query --model sim/good -o responses.jsonl
              OPENROUTER_API_KEY=… jb-query --model openai/gpt-4o-mini --max-cost 0.50 -o r.jsonl questions.jsonl
            """)
    @OptionGroup var common: CommonOptions
    @OptionGroup var prompt: PromptOptions
    @OptionGroup var transport: TransportOptions
    @OptionGroup var input: InputOptions

    func run() async throws {
        try await ToolMain.run(tool: "jb-query", common: common, keys: QuerySettings.keys,
                               flags: QuerySettings.flags(transport)) { settings, diagnostics in
            let config = try QuerySettings.config(prompt: prompt, transport: transport, settings: settings)
            let reporter = QueryReporter(
                warning: { diagnostics.warning($0) }, info: { diagnostics.info($0) },
                progress: diagnostics.isTTY ? { diagnostics.progress($0) } : nil,
                clearProgress: { diagnostics.clearProgress() })
            let runner = QueryRunner(config: config, reporter: reporter)
            if transport.estimate {
                print(try runner.estimate(inputs: input.inputs), terminator: "")
                return
            }
            try await runner.run(inputs: input.inputs)
        }
    }
}
