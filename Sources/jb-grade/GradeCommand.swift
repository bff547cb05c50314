import ArgumentParser
import Foundation
import JBCLI
import JBCore
import JBGrade

@main
struct GradeCommand: AsyncParsableCommand {
    /// Through JBCLI's entry point: one-line usage errors naming the tool, guarded descriptors.
    static func main() async { await ToolEntry.runAsync(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "jb-grade",
        abstract: "Grade response records: add a grade object judging each reply against the archive answer.",
        discussion: "Example:\n  jb-grade --mode jeopardy responses.jsonl > graded.jsonl\n  jb-grade diff old.jsonl new.jsonl",
        version: JBVersion.string,
        subcommands: [Grade.self, Diff.self], defaultSubcommand: Grade.self)
}

struct Grade: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade", abstract: "Grade response records (the default).",
        discussion: "Example:\n  jb-grade --mode lenient --judge sim/judge responses.jsonl > graded.jsonl")
    @OptionGroup var common: CommonOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var seed: SeedOptions
    @Option(name: GradeSetting.mode.name, help: GradeSetting.mode.argumentHelp) var mode: String?
    @Option(name: GradeSetting.lexicon.name, help: GradeSetting.lexicon.argumentHelp) var lexicon: String?
    @Option(name: GradeSetting.judge.name, help: GradeSetting.judge.argumentHelp) var judge: String?
    @Option(name: GradeSetting.judgeBand.name, help: GradeSetting.judgeBand.argumentHelp) var band: String?
    @Option(name: GradeSetting.cacheDir.name, help: GradeSetting.cacheDir.argumentHelp) var cacheDir: String?
    @Flag(name: .customLong("no-cache"), help: "Keep judge verdicts in memory only.") var noCache = false
    @Option(name: Self.endpoint.name, help: Self.endpoint.argumentHelp) var baseURL: String?

    /// The judge's endpoint: the shared setting, with what `--base-url` means here.
    static let endpoint = CommonSetting.openRouterBaseURL.with(help: "The judge's API: OpenRouter (default) or any OpenAI-compatible server.")

    func run() async throws {
        try await ToolMain.run(tool: "jb-grade", common: common,
                               settings: [GradeSetting.mode, GradeSetting.lexicon, GradeSetting.judge, GradeSetting.judgeBand,
                                          GradeSetting.cacheDir, GradeSetting.seed, Self.endpoint, CommonSetting.openRouterKey],
                               given: [GradeSetting.mode.given(text: mode), GradeSetting.lexicon.given(lexicon), GradeSetting.judge.given(judge),
                                       GradeSetting.judgeBand.given(band), GradeSetting.cacheDir.given(cacheDir),
                                       GradeSetting.seed.given(seed.seed), Self.endpoint.given(baseURL)]) { settings, diagnostics in
            let baseURL = try settings.value(Self.endpoint)
            let key = try settings.value(CommonSetting.openRouterKey)
            var gradeSettings = try GradeSettings(settings)
            gradeSettings.useCache = !noCache
            // Only the OpenRouter key is a jb-grade setting; another server's key comes from
            // its environment variable (OPENAI_API_KEY).
            let grader = try gradeSettings.grader(external: { model in
                try ChatJudge.make(model: model, baseURL: baseURL,
                                   setting: { $0 == CommonSetting.openRouterKey.key ? key : nil })
            })
            for note in grader.cache?.notes ?? [] { diagnostics.warning(note) }
            let writer = JSONLWriter()
            defer { try? writer.flush() }
            if grader.judge == nil {
                // The rules alone: graded in blocks on every core, written in input order.
                try grader.runParallel(paths: input.inputs, writer: writer,
                                       threads: max(1, min(8, ProcessInfo.processInfo.activeProcessorCount)))
            } else {
                let reader = JSONLReader(paths: input.inputs)
                reader.beforeWaiting = { try writer.flush() }
                try await grader.run(reader: reader, writer: writer)
            }
            try writer.flush()
            diagnostics.info(grader.summary)
            if let failure = grader.judgeFailure {
                throw JBError.unavailable("\(failure); every grade was written, but \(counted(grader.totals.unsettled, "grey-band case")) \(grader.totals.unsettled == 1 ? "keeps" : "keep") the rules' verdict with \"decided_by\": \"unsettled\"; run jb-grade again when the judge is back (verdicts already got are cached)")
            }
        }
    }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Show the verdicts that flipped between two gradings of the same responses.",
        discussion: "Example:\n  jb-grade diff graded-strict.jsonl graded-lenient.jsonl")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The earlier grading.") var old: String
    @Argument(help: "The later grading.") var new: String

    func run() throws {
        try ToolMain.run(tool: "jb-grade", common: common) { _, diagnostics in
            let diff = GradeDiff()
            let writer = JSONLWriter()
            try diff.run(old: JSONLReader(paths: [old]), new: JSONLReader(paths: [new]), writer: writer)
            try writer.flush()
            diagnostics.info(diff.summary.text)
        }
    }
}
