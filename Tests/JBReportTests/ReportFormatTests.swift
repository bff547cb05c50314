import JBCore
import Testing
@testable import JBReport

@Suite struct ReportFormatTests {
    @Test func formatsAreChosenSensibly() throws {
        #expect(try ReportFormat.chosen(nil, output: nil, stdoutIsTTY: true) == .terminal)
        #expect(try ReportFormat.chosen(nil, output: nil, stdoutIsTTY: false) == .markdown)
        #expect(try ReportFormat.chosen(nil, output: "x/report.HTML", stdoutIsTTY: true) == .html)
        #expect(try ReportFormat.chosen("csv", output: "r.html", stdoutIsTTY: true) == .csv)
        #expect(throws: JBError.self) { try ReportFormat.chosen("pdf", output: nil, stdoutIsTTY: true) }
    }
}
