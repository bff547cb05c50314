import ArgumentParser
import Foundation
import JBCLI
import JBCore
import JBStore

@main
struct StoreCommand: ParsableCommand {
    /// Through JBCLI's entry point: one-line usage errors naming the tool, guarded descriptors.
    static func main() { ToolEntry.run(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "jb-store",
        abstract: "Load jb records into SQLite or PostgreSQL, and export them back out as JSON Lines.",
        discussion: "Example:\n  jb-grade --mode jeopardy responses.jsonl | jb-store load results.db\n  jb-store export results.db responses | jb-grade --mode strict\n  jb-store load postgres://jb@db.example/jb responses.jsonl",
        version: JBVersion.string,
        subcommands: [Load.self, Export.self, Runs.self, Backup.self])

    /// Options every subcommand shares.
    struct DatabaseOptions: ParsableArguments {
        @Argument(help: "The SQLite database file, or a postgres:// URL (postgres:// alone: libpq's PG* variables).") var database: String
        @Option(name: StoreSetting.busyTimeout.name, help: StoreSetting.busyTimeout.argumentHelp) var busyTimeout: Double?
        var given: [(key: String, text: String?)] { [StoreSetting.busyTimeout.given(busyTimeout)] }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store questions, responses, grades and metrics read from stdin or files.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var input: InputOptions
        @Flag(help: "Copy the input to stdout, so the sink can sit inside a pipeline.") var tee = false
        @Option(name: StoreSetting.batchSize.name, help: StoreSetting.batchSize.argumentHelp) var batchSize: Int?
        @Option(name: StoreSetting.commitInterval.name, help: StoreSetting.commitInterval.argumentHelp) var commitInterval: Double?
        func run() throws {
            try ToolMain.run(tool: "jb-store", common: common, settings: StoreSetting.load,
                             given: db.given + [StoreSetting.batchSize.given(batchSize),
                                                StoreSetting.commitInterval.given(commitInterval)]) { settings, diagnostics in
                let loader = StoreLoader(path: db.database, busyTimeout: try settings.value(StoreSetting.busyTimeout))
                loader.batchSize = try settings.value(StoreSetting.batchSize)
                loader.flushInterval = try settings.value(StoreSetting.commitInterval)
                let name = StoreEngine.displayName(db.database)
                loader.progress = { diagnostics.progress("\(name): \($0.stored) records stored") }
                // With --tee, a reader that goes away is seen as EPIPE, so what was read is
                // committed before jb-store ends the way a filter does (by SIGPIPE).
                if tee { signal(SIGPIPE, SIG_IGN) }
                let stop = loader.stop
                let interrupts = Interrupts(
                    onFirst: {
                        stop.raise()
                        diagnostics.info("interrupted: storing what has been read (a pipe is read to its end); interrupt again to stop at once")
                    },
                    onSecond: { _exit(Int32(ExitStatus.interrupted.rawValue)) })
                interrupts.install()
                defer { interrupts.uninstall() }
                let report = try loader.load(inputs: input.inputs, tee: tee ? JSONLWriter() : nil)
                diagnostics.clearProgress()
                diagnostics.info("\(name): \(report.summary)")
                if report.teeReaderGone {
                    signal(SIGPIPE, SIG_DFL)
                    raise(SIGPIPE)
                }
                if report.interrupted {
                    throw JBError.interrupted(report.complete
                        ? "interrupted after the whole input was read and stored"
                        : "interrupted: \(report.stored) records stored; load the same input again to add the rest (stored records are skipped)")
                }
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write stored records as JSON Lines, as they were loaded.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "What to export: questions, responses, grades or metrics.") var kind: StoreExporter.Kind
        @Option(name: .customLong("run"), help: "Only this run.") var runID: String?
        @Option(help: "Only this model (repeatable).") var model: [String] = []
        @Option(help: "Only grades in this mode (grades only).") var mode: String?
        func run() throws {
            try ToolMain.run(tool: "jb-store", common: common, settings: StoreSetting.database, given: db.given) { settings, _ in
                if mode != nil && kind != .grades { throw JBError.usage("--mode applies to grades only") }
                let writer = JSONLWriter()
                try StoreEngine.export(kind, from: db.database, exporter: StoreExporter(run: runID, models: model, mode: mode),
                                       to: writer, busyTimeout: try settings.value(StoreSetting.busyTimeout))
                try writer.flush()
            }
        }
    }

    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List stored runs with their headline figures (a table on a terminal, else JSON Lines).")
        @OptionGroup var common: CommonOptions
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "Write JSON Lines even on a terminal.") var json = false
        func run() throws {
            try ToolMain.run(tool: "jb-store", common: common, settings: StoreSetting.database, given: db.given) { settings, _ in
                let runs = try StoreEngine.runs(db.database, busyTimeout: try settings.value(StoreSetting.busyTimeout))
                let writer = JSONLWriter()
                if json || isatty(1) == 0 {
                    for r in runs { try writer.write(r.json) }
                } else {
                    try writer.writeLine(RunTable.render(runs).utf8.dropLast())
                }
                try writer.flush()
            }
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a database consistently into a SQLite file, even while a load is running.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The copy to write.") var file: String
        @Flag(help: "Replace FILE if it exists.") var force = false
        func run() throws {
            try ToolMain.run(tool: "jb-store", common: common, settings: StoreSetting.database, given: db.given) { settings, diagnostics in
                try StoreEngine.backup(db.database, to: file, overwrite: force,
                                       busyTimeout: try settings.value(StoreSetting.busyTimeout))
                diagnostics.info("\(StoreEngine.displayName(db.database)): backed up to \(file)")
            }
        }
    }
}

extension StoreExporter.Kind: ExpressibleByArgument {}
