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
    @Option(name: .long, help: ArgumentHelp("Break down by a field (category, round, difficulty, value, year, decade, or any field; dotted names reach into objects; a+b crosses two fields). Repeat or separate with commas.", valueName: "field"))
    var by: [String] = []
    @Option(name: .long, help: "Confidence level of every interval (default 0.95).")
    var confidence: Double?
    @Option(name: .long, help: ArgumentHelp("Accuracy before and after a model's training cutoff, by air date. Repeatable.", valueName: "model=YYYY-MM-DD"))
    var cutoff: [String] = []
    @Option(name: .long, help: ArgumentHelp("Coverages for precision at coverage (default 0.25,0.5,0.75,1).", valueName: "list"))
    var coverage: String?
    @Option(name: .long, help: ArgumentHelp("Dollar stake for Final Jeopardy! clues in the score (default: not scored).", valueName: "dollars"))
    var finalStake: Int?
    @Flag(inversion: .prefixedNo, help: "Write paired comparisons of every pair of models (keeps a few bits per question and model).")
    var compare = true
    @Flag(name: .customLong("answered-only"), help: "Compare two models on the questions both answered only (refusals and empty replies left out), instead of every question neither failed.")
    var answeredOnly = false

    func run() throws {
        try ToolMain.run(tool: "jb-metrics", common: common,
                         keys: [ConfigKey("metrics.by", help: "breakdown fields, comma-separated"),
                                ConfigKey("metrics.confidence", default: "0.95", help: "interval confidence level"),
                                ConfigKey("metrics.cutoff", help: "MODEL=YYYY-MM-DD probes, comma-separated"),
                                ConfigKey("metrics.coverage", default: "0.25,0.5,0.75,1", help: "precision-at-coverage shares"),
                                ConfigKey("metrics.final_stake", help: "dollar stake of Final Jeopardy! clues"),
                                ConfigKey("metrics.compare", default: "true", help: "write paired comparisons")],
                         flags: ["metrics.by": by.isEmpty ? nil : by.joined(separator: ","),
                                 "metrics.confidence": confidence.map { "\($0)" },
                                 "metrics.cutoff": cutoff.isEmpty ? nil : cutoff.joined(separator: ","),
                                 "metrics.coverage": coverage,
                                 "metrics.final_stake": finalStake.map(String.init),
                                 "metrics.compare": compare ? nil : "false"]) { settings, diagnostics in
            let list = { (key: String) in
                (settings.string(key) ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
            }
            var options = try MetricsOptions(
                breakdowns: try list("metrics.by").map(Breakdown.init),
                confidence: try settings.double("metrics.confidence") ?? 0.95,
                coverages: try MetricsOptions.parseCoverages(settings.string("metrics.coverage") ?? "1"),
                cutoffs: try list("metrics.cutoff").map(CutoffProbe.init(parsing:)),
                scoring: ScoringRule(finalStake: try settings.int("metrics.final_stake", in: 0...1_000_000_000_000)),
                compare: try settings.bool("metrics.compare") ?? true)
            options.answeredOnly = answeredOnly
            let writer = JSONLWriter()
            let summary = try Metrics(options: options).run(reader: JSONLReader(paths: input.inputs), writer: writer)
            try writer.flush()
            for w in summary.warnings { diagnostics.warning(w) }
            diagnostics.verbose("\(summary.records) records of \(summary.models) model(s): wrote \(summary.metrics) metric, "
                + "\(summary.comparisons) comparison and \(summary.cutoffs) cutoff records")
        }
    }
}
