import ArgumentParser
import JBCLI
import JBCore
import JBSample

@main
struct SampleCommand: ParsableCommand {
    /// Through JBCLI's entry point: one-line usage errors naming the tool, guarded descriptors.
    static func main() { ToolEntry.run(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "jb-sample",
        abstract: "Write a seeded, stratified, statistically sized sample of question records.",
        discussion: """
            Example:
              jb-ingest examples/questions.csv | jb-sample -n 100 --seed 7 --stratify round

            Exit status: 0 ok, 64 bad flag, unknown stratify key or impossible sample size,
            65 bad record, 66 cannot open an input, 73 cannot create the pool file.
            """,
        version: JBVersion.string)

    @OptionGroup var common: CommonOptions
    @OptionGroup var seedOptions: SeedOptions
    @OptionGroup var size: SizeOptions
    @OptionGroup var filters: FilterOptions
    @OptionGroup var input: InputOptions

    func run() throws {
        try ToolMain.run(tool: "jb-sample", common: common, settings: SampleSetting.all,
                         given: [SampleSetting.seed.given(seedOptions.seed)]) { settings, diagnostics in
            let seed = try settings.value(SampleSetting.seed)
            let sampleSettings = try UncheckedSampleSettings(size: size, filters: filters, seed: seed).checked()
            let writer = JSONLWriter()
            let report = try Sampler(settings: sampleSettings)
                .run(reader: JSONLReader(paths: input.inputs), writer: writer)
            try writer.flush()
            report.notes.forEach { diagnostics.info($0) }
            report.warnings.forEach { diagnostics.warning($0) }
            report.plan.forEach { diagnostics.verbose($0) }
        }
    }
}
