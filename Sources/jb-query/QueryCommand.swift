import ArgumentParser
import Foundation
import JBCLI
import JBChat
import JBCore
import JBModels
import JBQuery

@main
struct QueryCommand: AsyncParsableCommand {
    /// Through JBCLI's entry point: one-line usage errors naming the tool, guarded descriptors.
    static func main() async { await ToolEntry.runAsync(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "jb-query",
        abstract: "Ask models every question, writing one response record per question, model and epoch.",
        discussion: """
            Example:
              jb-sample -n 20 --seed 1 questions.jsonl | jb-query --model sim/good -o responses.jsonl
              OPENROUTER_API_KEY=… jb-query --model openai/gpt-4o-mini --max-cost 0.50 -o r.jsonl questions.jsonl

            Exit status: 0 ok, 1 --max-cost reached (resumable), 64 bad flag or no key, 65 bad record,
            66 cannot open an input, 69 the API cannot go on, 73/74 cannot write, 77 key refused or
            no credits, 130 interrupted (resumable). docs/jb-query.md has every flag and field.
            """,
        version: JBVersion.string)
    @OptionGroup var common: CommonOptions
    @OptionGroup var prompt: PromptOptions
    @OptionGroup var transport: TransportOptions
    @OptionGroup var input: InputOptions

    func run() async throws {
        try await ToolMain.run(tool: "jb-query", common: common, settings: TransportOptions.settings,
                               given: transport.given) { settings, diagnostics in
            try await query(settings: settings, diagnostics: diagnostics)
        }
    }

    func query(settings: Settings, diagnostics: Diagnostics) async throws {
        var config = try QueryConfigReader.config(prompt: prompt, transport: transport, settings: settings)
        try await ModelCheck.apply(to: &config, settings: settings, diagnostics: diagnostics)
        if config.provider.usesOpenRouterCatalogue {
            // Last in line: the catalogue built into jb prices OpenRouter models when no
            // --pricing file or fetched catalogue does (a proxy or stand-in at another address).
            config.priceBook = ChainedPriceBook([config.priceBook, CatalogPriceBook(.builtIn)])
        }
        var draw: (@Sendable (String) -> Void)?
        if diagnostics.isTTY { draw = { @Sendable (line: String) in diagnostics.progress(line) } }
        let reporter = QueryReporter(
            warning: { (m: String) in diagnostics.warning(m, at: nil) }, info: { (m: String) in diagnostics.info(m) },
            progress: draw, clearProgress: { diagnostics.clearProgress() })
        let runner = QueryRunner(config: config, reporter: reporter)
        if transport.estimate {
            try StandardOutput.write(try runner.estimate(inputs: input.inputs))
        } else {
            try await runner.run(inputs: input.inputs)
        }
    }
}
