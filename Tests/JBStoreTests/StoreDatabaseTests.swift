import Foundation
import GRDB
import JBCore
import JBStore
import JBTestSupport
import Testing

@Suite(.tools) struct StoreDatabaseTests {
    @Test func aMissingDatabaseCannotBeExported() throws {
        let path = StoreFixtures.directory().appendingPathComponent("none.db").path
        #expect(throws: JBError.cannotOpen(path: path, reason: "no such database")) {
            try StoreDatabase(path: path, create: false)
        }
    }

    @Test func aCorruptDatabaseGivesAClearError() throws {
        let path = StoreFixtures.directory().appendingPathComponent("corrupt.db").path
        try Data(String(repeating: "this is not a database\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        let reason = "not a valid SQLite database (file is corrupt or of another kind)"
        #expect(throws: JBError.cannotOpen(path: path, reason: reason)) { try StoreDatabase(path: path, create: false) }
        #expect(throws: JBError.cannotCreate(path: path, reason: reason)) { try StoreDatabase(path: path, create: true) }
    }

    @Test func backupMakesAnIdenticalDatabase() throws {
        let dir = StoreFixtures.directory()
        let path = dir.appendingPathComponent("r.db").path
        let records = (1...50).map { StoreFixtures.response($0) } + [StoreFixtures.metric(), StoreFixtures.question]
        try StoreLoader(path: path).load(inputs: [try StoreFixtures.file(records, in: dir)])
        let copy = dir.appendingPathComponent("copy.db").path
        try StoreDatabase(path: path, create: false).backup(to: copy, overwrite: false)
        for kind in StoreExporter.Kind.allCases {
            #expect(try StoreFixtures.export(kind, copy) == StoreFixtures.export(kind, path))
        }
        #expect(try StoreFixtures.export(.responses, copy).split(separator: "\n").count == 50)
        #expect(throws: JBError.cannotCreate(path: copy, reason: "file exists (use --force to replace it)")) {
            try StoreDatabase(path: path, create: false).backup(to: copy, overwrite: false)
        }
        try StoreDatabase(path: path, create: false).backup(to: copy, overwrite: true)
    }

    /// Another process holds the write lock: the load fails after its wait, says so and how
    /// much is stored, and with --tee the whole input still reaches stdout.
    @Test func aLockedDatabaseGivesAClearErrorAndLosesNoInput() throws {
        let dir = StoreFixtures.directory()
        let path = dir.appendingPathComponent("r.db").path
        try StoreLoader(path: path).load(inputs: [try StoreFixtures.file([StoreFixtures.response(1)], in: dir)])
        let input = StoreFixtures.lines((2...6).map { StoreFixtures.response($0) })

        let holder = try DatabaseQueue(path: path)
        try holder.writeWithoutTransaction { db in
            // A committed write first, as a running load would have made: the WAL file is
            // not empty, so the loader opens the database and fails at its first batch.
            try db.execute(sql: "PRAGMA user_version = 0")
            try db.execute(sql: "BEGIN IMMEDIATE")
            let teed = try ToolRunner.run("jb-store", ["load", "--tee", "--busy-timeout", "0.2", "--batch-size", "2", path], input: input)
            #expect(teed.status == 74, "\(teed)")
            #expect(teed.output == input)
            #expect(teed.stderr == "jb-store: \(path): error: i/o error: database is locked by another process; 0 of 5 records read are stored, 5 not (run the load again: stored records are skipped)\n")
            let plain = try ToolRunner.run("jb-store", ["load", "--busy-timeout", "0.2", path], input: input)
            #expect(plain.status == 74, "\(plain)")
            #expect(plain.stderr.contains("database is locked by another process; 0 of 5 records read are stored"), "\(plain)")
            // Readers are not blocked by the writer.
            let export = try ToolRunner.run("jb-store", ["export", path, "responses"])
            #expect(export.status == 0 && export.lines.count == 1, "\(export)")
            try db.execute(sql: "ROLLBACK")
        }
        try holder.close()
        let again = try ToolRunner.run("jb-store", ["load", path], input: input)
        #expect(again.status == 0, "\(again)")
        #expect(try StoreFixtures.export(.responses, path).split(separator: "\n").count == 6)
    }
}
