import ArgumentParser
import JBCLI
import JBCore
import JBMetrics

@main
struct MetricsCommand: ParsableCommand {
    /// Through JBCLI's entry point: one-line usage errors naming the tool, guarded descriptors.
    static func main() { ToolEntry.run(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "jb-metrics",
        abstract: "Aggregate grade records into accuracy, intervals, dollar scores, calibration and paired comparisons.",
        discussion: "Example:\n  jb-metrics graded.jsonl --by round --by decade --cutoff openai/gpt-4o-mini=2023-10-01",
        version: JBVersion.string)
    @OptionGroup var common: CommonOptions
    @OptionGroup var input: InputOptions
    @Option(name: MetricsSetting.by.name, help: MetricsSetting.by.argumentHelp) var by: [String] = []
    @Option(name: MetricsSetting.confidence.name, help: MetricsSetting.confidence.argumentHelp) var confidence: Double?
    @Option(name: MetricsSetting.cutoff.name, help: MetricsSetting.cutoff.argumentHelp) var cutoff: [String] = []
    @Option(name: MetricsSetting.coverage.name, help: MetricsSetting.coverage.argumentHelp) var coverage: String?
    @Option(name: MetricsSetting.finalStake.name, help: MetricsSetting.finalStake.argumentHelp) var finalStake: Int?
    @Flag(name: MetricsSetting.compare.name, inversion: .prefixedNo, help: MetricsSetting.compare.argumentHelp) var compare = true
    @Flag(name: .customLong("answered-only"), help: "Compare two models on the questions both answered only (refusals and empty replies left out), instead of every question neither failed.")
    var answeredOnly = false

    func run() throws {
        try ToolMain.run(tool: "jb-metrics", common: common, settings: MetricsSetting.all,
                         given: [MetricsSetting.by.given(by), MetricsSetting.confidence.given(confidence),
                                 MetricsSetting.cutoff.given(cutoff), MetricsSetting.coverage.given(text: coverage),
                                 MetricsSetting.finalStake.given(finalStake), MetricsSetting.compare.given(compare ? nil : false)]) { settings, diagnostics in
            var metricsSettings = try MetricsSettings(settings)
            metricsSettings.answeredOnly = answeredOnly
            let writer = JSONLWriter()
            let summary = try Metrics(settings: metricsSettings).run(reader: JSONLReader(paths: input.inputs), writer: writer)
            try writer.flush()
            for w in summary.warnings { diagnostics.warning(w) }
            diagnostics.verbose("\(summary.records) records of \(summary.models) model(s): wrote \(summary.metrics) metric, "
                + "\(summary.comparisons) comparison and \(summary.cutoffs) cutoff records")
        }
    }
}
