import Foundation
import JBCore
import Testing

@Suite struct AtomicFileTests {
    @Test func replacesTheFileAndLeavesNoTemporary() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jb-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("r.html").path
        try AtomicFile.write("old", to: path)
        try AtomicFile.write("new", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["r.html"])
    }

    @Test func aMissingDirectoryCannotBeCreated() {
        #expect(throws: JBError.cannotCreate(path: "/nonexistent-jb/r.md", reason: "no such directory")) {
            try AtomicFile.write("x", to: "/nonexistent-jb/r.md")
        }
    }

    @Test func aStagedFileAppearsOnlyWhenCommitted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jb-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("pool.jsonl").path
        try AtomicFile.write("old\n", to: path)
        let failed = try AtomicFile.Staged(path: path)
        try failed.writer.writeLine(Array("half".utf8))
        failed.discard()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["pool.jsonl"])
        let staged = try AtomicFile.Staged(path: path)
        try staged.writer.writeLine(Array("new".utf8))
        try staged.commit()
        staged.discard()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["pool.jsonl"])
    }
}
