import Foundation
import JBCore
import Testing
@testable import JBReport

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

    @Test func formatsAreChosenSensibly() throws {
        #expect(try ReportFormat.chosen(nil, output: nil, stdoutIsTTY: true) == .terminal)
        #expect(try ReportFormat.chosen(nil, output: nil, stdoutIsTTY: false) == .markdown)
        #expect(try ReportFormat.chosen(nil, output: "x/report.HTML", stdoutIsTTY: true) == .html)
        #expect(try ReportFormat.chosen("csv", output: "r.html", stdoutIsTTY: true) == .csv)
        #expect(throws: JBError.self) { try ReportFormat.chosen("pdf", output: nil, stdoutIsTTY: true) }
    }
}
