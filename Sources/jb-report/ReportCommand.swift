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
    @Option(name: .shortAndLong, help: "terminal, markdown, csv, json or html (default: terminal on a terminal, else from -o's extension, else markdown).")
    var format: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file, atomically.", valueName: "file"))
    var output: String?
    @Option(help: ArgumentHelp("Graded records (jb-grade output) for sample misses and calibration.", valueName: "file"))
    var graded: [String] = []
    @Option(name: .customLong("previous-graded"), help: ArgumentHelp("An earlier grading of the same answers: report flipped verdicts.", valueName: "file"))
    var previousGraded: [String] = []
    @Option(name: .customLong("run"), help: ArgumentHelp("The run's configuration (run.json from jb run).", valueName: "file"))
    var runFile: String?
    @Option(help: "The report's title (default \"jb report\").") var title: String?
    @Option(help: "Groups shown per breakdown, largest first; 0 shows all (default 20).") var top: Int?
    @Option(help: "Sample misses and flips shown per model (default 5).") var examples: Int?
    @Option(help: "Terminal width (default: the terminal's, $COLUMNS, else 80).") var width: Int?
    @Option(help: "Colour in the terminal format: auto (a terminal without NO_COLOR), always or never.") var color: String = "auto"
    @Flag(help: "The inputs are runs (jb run folders, or graded records files): rank them across runs, by question set (terminal, markdown or html).")
    var runs = false

    func run() throws {
        try ToolMain.run(tool: "jb-report", common: common,
                         keys: [ConfigKey("report.format", help: "default format"),
                                ConfigKey("report.title", default: "jb report", help: "report title"),
                                ConfigKey("report.top", default: "20", help: "groups per breakdown"),
                                ConfigKey("report.examples", default: "5", help: "examples per model")],
                         flags: ["report.format": format, "report.title": title,
                                 "report.top": top.map(String.init), "report.examples": examples.map(String.init)]) { settings, diagnostics in
            let terminal = TerminalInfo.current()
            var o = Reporter.Options()
            o.inputs = input.inputs
            o.graded = graded
            o.previousGraded = previousGraded
            o.runFile = runFile
            o.output = output
            o.format = try ReportFormat.chosen(settings.string("report.format"), output: output, stdoutIsTTY: terminal.isTTY)
            o.title = settings.string("report.title") ?? "jb report"
            o.top = try settings.int("report.top", in: 0...1_000_000) ?? 20
            o.examples = try settings.int("report.examples", in: 0...1_000_000) ?? 5
            guard o.top >= 0, o.examples >= 0 else { throw JBError.usage("--top and --examples take a number of 0 or more") }
            if let w = width, !(20...100_000).contains(w) { throw JBError.usage("--width \(w): expected 20 to 100000 columns") }
            o.width = width ?? terminal.width
            o.color = try TerminalInfo.useColor(color, isTTY: terminal.isTTY && (output ?? "-") == "-")
            if runs {
                guard !input.inputs.isEmpty else { throw JBError.usage("--runs needs run folders or graded records files") }
                let report = try CrossRunReport.load(input.inputs, title: title ?? "jb leaderboard across runs")
                try Reporter(options: o).write(try CrossRunRenderer(width: o.width).render(report, format: o.format))
                return
            }
            try Reporter(options: o, warn: { diagnostics.warning($0) }).run()
        }
    }
}
