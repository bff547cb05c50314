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
    @Option(help: "strict, lenient, jeopardy or adaptive (default lenient).") var mode: String?
    @Option(help: "WordNet folder for aliases and real-word checks: auto, none or a path (default auto).") var lexicon: String?
    @Option(help: "Send grey-band cases to this judge model (sim/judge is built in).") var judge: String?
    @Option(name: .customLong("judge-band"), help: "Scores LOW:HIGH the rules cannot settle (default 0.3:0.9).") var band: String?
    @Option(name: .customLong("cache-dir"), help: "Folder of the judge verdict cache (default ~/.cache/jb).") var cacheDir: String?
    @Flag(name: .customLong("no-cache"), help: "Keep judge verdicts in memory only.") var noCache = false
    @Option(name: .customLong("base-url"), help: "The judge's API: OpenRouter (default) or any OpenAI-compatible server.") var baseURL: String?

    func run() async throws {
        try await ToolMain.run(tool: "jb-grade", common: common,
                               keys: [ConfigKey("grade.mode", default: "lenient"), ConfigKey("grade.lexicon", default: "auto"),
                                      ConfigKey("grade.judge"), ConfigKey("grade.judge_band", default: "0.3:0.9"),
                                      ConfigKey("grade.cache_dir"), ConfigKey("grade.seed", default: "0"),
                                      CommonKeys.openRouterBaseURL, CommonKeys.openRouterKey],
                               flags: ["grade.mode": mode, "grade.lexicon": lexicon, "grade.judge": judge,
                                       "grade.judge_band": band, "grade.cache_dir": cacheDir,
                                       "grade.seed": seed.seed.map(String.init),
                                       "openrouter.base_url": baseURL]) { settings, diagnostics in
            let grader = try GradeSetup.grader(
                mode: settings.string("grade.mode") ?? "lenient", lexicon: settings.string("grade.lexicon") ?? "auto",
                judge: settings.string("grade.judge"), band: settings.string("grade.judge_band") ?? "0.3:0.9",
                seed: try GradeSetup.seed(settings.string("grade.seed")), cacheDir: settings.string("grade.cache_dir"),
                useCache: !noCache,
                external: { model in
                    try QueryJudge.make(model: model, baseURL: settings.string("openrouter.base_url") ?? Endpoint.openRouterBaseURL,
                                        openRouterKey: settings.string("openrouter.api_key"))
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
