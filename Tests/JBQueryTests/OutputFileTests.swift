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

    /// The budget is the run's: what the file's records cost counts (cache hits and errors cost nothing).
    @Test func sumsWhatTheRecordsAlreadyCost() throws {
        let path = try write(#"{"key":"a","cost_usd":0.00012,"error":null}"# + "\n" + #"{"key":"b","cost_usd":0,"cached":true,"error":null}"# + "\n"
            + #"{"key":"c","cost_usd":null,"error":{"status":500,"code":500,"message":"x"}}"# + "\n" + #"{"key":"d","cost_usd":0.00003,"error":null}"# + "\n")
        let e = try ExistingOutput.prepare(path: path, retryErrors: false)
        #expect(e.spent == Decimal(string: "0.00015")!)
        let ledger = Ledger(budget: Decimal(string: "0.0002")!)
        ledger.addEarlier(e.spent)
        #expect(ledger.spent == e.spent)
        #expect(ledger.reserve(Decimal(string: "0.00004")!))
        #expect(!ledger.reserve(Decimal(string: "0.00002")!), "earlier spending counts against the budget")
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
