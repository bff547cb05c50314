import ArgumentParser
import JBCLI
import JBCore
import JBIngest

@main
struct IngestCommand: AsyncParsableCommand {
    /// Through JBCLI's entry point: one-line usage errors naming the tool, guarded descriptors.
    static func main() async { await ToolEntry.runAsync(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "jb-ingest",
        abstract: "Read Jeopardy! data (Kaggle CSV/JSON, j-archive TSV, JSON Lines; gzip too) and write clean question records.",
        discussion: """
            Example:
              jb-ingest examples/questions.csv --rejects rejects.jsonl > questions.jsonl
              jb-ingest kaggle | jb-sample -n 500 --seed 1
            """,
        version: JBVersion.string,
        subcommands: [Files.self, Kaggle.self],
        defaultSubcommand: Files.self)
}

/// Flags shared by both ways of ingesting.
struct IngestOptions: ParsableArguments {
    @Option(name: .long, help: "Input format: csv, json, jsonl or tsv (default: from the file name, else the content).")
    var format: IngestFormat?
    @Flag(name: .customLong("no-media"), help: "Drop clues that depend on a picture, audio or video.")
    var noMedia = false
    @Option(name: .long, help: ArgumentHelp("Write rejected rows, with source line and reason, to this JSON Lines file.", valueName: "file"))
    var rejects: String?
    @Flag(name: .long, help: "Exit with status 65 if any row is rejected.")
    var strict = false

    func run(diagnostics: Diagnostics, inputs: [String?]) throws {
        let rejectsWriter = try rejects.map { try JSONLWriter(path: $0, append: false) }
        let ingester = Ingester(settings: IngestSettings(format: format, noMedia: noMedia),
                                output: JSONLWriter(), rejects: rejectsWriter)
        let clock = ContinuousClock.now
        for input in inputs { try ingester.ingest(path: input) }
        try ingester.finish()
        diagnostics.info(ingester.summary.line)
        diagnostics.verbose("\(ingester.summary.files) input(s) in \(ContinuousClock.now - clock)")
        if strict && ingester.summary.rejected > 0 {
            let hint = rejects.map { " (see \($0))" } ?? " (use --rejects FILE to see them)"
            throw JBError.badRecord(source: inputs.count == 1 ? (inputs[0] ?? "<stdin>") : "input", line: 0,
                                    message: "\(ingester.summary.rejected) row(s) rejected with --strict\(hint)")
        }
    }
}

extension IngestFormat: ExpressibleByArgument {}

extension IngestCommand {
    struct Files: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "files", abstract: "Ingest files or stdin (the default command).")
        @OptionGroup var common: CommonOptions
        @OptionGroup var flags: IngestOptions
        @Argument(help: ArgumentHelp("Input files; '-' or none reads stdin (name its format with --format).", valueName: "file"))
        var inputs: [String] = []

        func run() async throws {
            try ToolMain.run(tool: "jb-ingest", common: common) { _, diagnostics in
                try flags.run(diagnostics: diagnostics, inputs: inputs.isEmpty ? [nil] : inputs.map { $0 == "-" ? nil : $0 })
            }
        }
    }

    struct Kaggle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kaggle",
            abstract: "Ingest a Kaggle dataset: from the kagglehub cache, jb's cache, or downloaded with your Kaggle credentials.",
            discussion: "Example:\n  KAGGLE_USERNAME=me KAGGLE_KEY=... jb-ingest kaggle aravindram11/jeopardy-dataset-updated > questions.jsonl")
        @OptionGroup var common: CommonOptions
        @OptionGroup var flags: IngestOptions
        @Argument(help: ArgumentHelp("The dataset, OWNER/DATASET.", valueName: "dataset"))
        var dataset: String = KaggleDataset.defaultDataset
        @Option(name: IngestSetting.kaggleBaseURL.name, help: IngestSetting.kaggleBaseURL.argumentHelp) var baseURL: String?
        @Flag(name: .long, help: "Download again even if a cached copy exists.")
        var refresh = false

        func run() async throws {
            try await ToolMain.run(tool: "jb-ingest", common: common,
                                   settings: [IngestSetting.kaggleBaseURL, CommonSetting.kaggleUser, CommonSetting.kaggleKey],
                                   given: [IngestSetting.kaggleBaseURL.given(baseURL)]) { settings, diagnostics in
                let source = try KaggleDataset(dataset, settings: .init(
                    baseURL: try settings.value(IngestSetting.kaggleBaseURL),
                    username: try settings.value(CommonSetting.kaggleUser), key: try settings.value(CommonSetting.kaggleKey)))
                let files = try await source.files(refresh: refresh) { diagnostics.info($0) } progress: { diagnostics.progress($0) }
                diagnostics.clearProgress()
                try flags.run(diagnostics: diagnostics, inputs: files)
            }
        }
    }
}
