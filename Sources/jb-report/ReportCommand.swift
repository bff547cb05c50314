import ArgumentParser
import Foundation
import JBCLI
import JBCore
import JBReport

@main
struct ReportCommand: ParsableCommand {
    /// Through JBCLI's entry point: one-line usage errors naming the tool, guarded descriptors.
    static func main() { ToolEntry.run(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "jb-report",
        abstract: "Turn metric records into a terminal, Markdown, CSV, JSON or self-contained HTML report.",
        discussion: "Example:\n  jb-metrics graded.jsonl --by category | jb-report --graded graded.jsonl -o report.html",
        version: JBVersion.string)
    @OptionGroup var common: CommonOptions
    @OptionGroup var input: InputOptions
    @Option(name: ReportSetting.format.name, help: ReportSetting.format.argumentHelp) var format: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file, atomically.", valueName: "file"))
    var output: String?
    @Option(help: ArgumentHelp("Graded records (jb-grade output) for sample misses and calibration.", valueName: "file"))
    var graded: [String] = []
    @Option(name: .customLong("previous-graded"), help: ArgumentHelp("An earlier grading of the same answers: report flipped verdicts.", valueName: "file"))
    var previousGraded: [String] = []
    @Option(name: .customLong("run"), help: ArgumentHelp("The run's configuration (run.json from jb run).", valueName: "file"))
    var runFile: String?
    @Option(name: ReportSetting.title.name, help: ReportSetting.title.argumentHelp) var title: String?
    @Option(name: ReportSetting.top.name, help: ReportSetting.top.argumentHelp) var top: Int?
    @Option(name: ReportSetting.examples.name, help: ReportSetting.examples.argumentHelp) var examples: Int?
    @Option(help: "Terminal width (default: the terminal's, $COLUMNS, else 80).") var width: Int?
    @Option(help: "Colour in the terminal format: auto (a terminal without NO_COLOR), always or never.") var color: String = "auto"
    @Flag(help: "The inputs are runs (jb run folders, or graded records files): rank them across runs, by question set (terminal, markdown or html).")
    var runs = false

    func run() throws {
        try ToolMain.run(tool: "jb-report", common: common, settings: ReportSetting.all,
                         given: [ReportSetting.format.given(format), ReportSetting.title.given(title),
                                 ReportSetting.top.given(top), ReportSetting.examples.given(examples)]) { settings, diagnostics in
            let terminal = TerminalInfo.current()
            var o = try Reporter.Settings(settings)
            o.inputs = input.inputs
            o.graded = graded
            o.previousGraded = previousGraded
            o.runFile = runFile
            o.output = output
            o.format = try ReportFormat.chosen(settings.value(ReportSetting.format), output: output, stdoutIsTTY: terminal.isTTY)
            if let w = width, !(20...100_000).contains(w) { throw JBError.usage("--width \(w): expected 20 to 100000 columns") }
            o.width = width ?? terminal.width
            o.color = try TerminalInfo.useColor(color, isTTY: terminal.isTTY && (output ?? "-") == "-")
            if runs {
                guard !input.inputs.isEmpty else { throw JBError.usage("--runs needs run folders or graded records files") }
                let report = try CrossRunReport.load(input.inputs, title: title ?? "jb leaderboard across runs")
                try Reporter(settings: o).write(try CrossRunRenderer(width: o.width).render(report, format: o.format))
                return
            }
            try Reporter(settings: o, warn: { diagnostics.warning($0) }).run()
        }
    }
}
