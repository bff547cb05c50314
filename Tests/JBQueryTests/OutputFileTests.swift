import Foundation
import JBCore
import Testing
@testable import JBQuery

@Suite struct OutputFileTests {
    func write(_ text: String) throws -> String {
        let path = TestData.tempPath("out.jsonl")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func missingFileIsEmpty() throws {
        let e = try ExistingOutput.prepare(path: TestData.tempPath("none.jsonl"), retryErrors: false)
        #expect(e.done.isEmpty && e.runID == nil)
    }

    @Test func readsKeysAndRunID() throws {
        let path = try write(#"{"key":"a","run_id":"r1","error":null}"# + "\n" + #"{"key":"b","run_id":"r1","error":{"status":500,"code":500,"message":"x"}}"# + "\n")
        let e = try ExistingOutput.prepare(path: path, retryErrors: false)
        #expect(e.done == ["a", "b"] && e.runID == "r1" && !e.repairedTail)
    }

    @Test func cutsAnIncompleteLastLine() throws {
        let path = try write(#"{"key":"a","error":null}"# + "\n" + #"{"key":"b","err"#)
        let e = try ExistingOutput.prepare(path: path, retryErrors: false)
        #expect(e.done == ["a"] && e.repairedTail)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == #"{"key":"a","error":null}"# + "\n")
    }

    @Test func retryErrorsRemovesErrorRecords() throws {
        let path = try write(#"{"key":"a","error":null}"# + "\n" + #"{"key":"b","error":{"status":404,"code":404,"message":"x"}}"# + "\n")
        let e = try ExistingOutput.prepare(path: path, retryErrors: true)
        #expect(e.done == ["a"] && e.removedErrors == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == #"{"key":"a","error":null}"# + "\n")
    }

    @Test func aFileThatIsNotJBQueryOutputIsAnError() throws {
        let path = try write(#"{"id":"q1","clue":"c"}"# + "\n")
        #expect(throws: JBError.badRecord(source: path, line: 1, message: "missing field \"key\" (is this a jb-query output file?)")) {
            try ExistingOutput.prepare(path: path, retryErrors: false)
        }
    }
}
