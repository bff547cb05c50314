import Foundation
import JBTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// jb-store load inside a pipeline: fed by a slow stage, interrupted with Ctrl-C, and with
/// its --tee reader gone.
@Suite(.tools) struct StoreStreamEndToEndTests {
    /// jb-store started with stdin (and, with `pipeOut`, stdout) on pipes; stderr to a file.
    func start(_ args: [String], pipeOut: Bool = false) throws -> (Process, Pipe, Pipe?, URL) {
        let p = Process()
        p.executableURL = ToolRunner.binDirectory.appendingPathComponent("jb-store")
        p.arguments = args
        p.environment = ToolRunner.environment()
        let input = Pipe()
        p.standardInput = input
        let output = pipeOut ? Pipe() : nil
        p.standardOutput = output ?? FileHandle.nullDevice
        let err = ToolRunner.makeTemporaryDirectory().appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: err)
        signal(SIGPIPE, SIG_IGN)
        try p.run()
        return (p, input, output, err)
    }

    func stored(_ db: String) -> Int {
        guard FileManager.default.fileExists(atPath: db),
              let r = try? ToolRunner.run("jb-store", ["export", db, "responses"]), r.status == 0 else { return 0 }
        return r.lines.count
    }

    /// Polls until `db` holds `n` responses, for up to 20 s.
    func awaitStored(_ db: String, _ n: Int) -> Int {
        poll(interval: 0.05, { stored(db) }, until: { $0 >= n })
    }

    func text(_ range: ClosedRange<Int>) -> Data {
        Data(StoreEndToEndTests.text(Array(StoreEndToEndTests.records(range.upperBound)[(range.lowerBound - 1)...])).utf8)
    }

    @Test func sigintStoresWhatThePipeStillBringsAndExits130() throws {
        let db = ToolRunner.makeTemporaryDirectory().appendingPathComponent("results.db").path
        let (p, input, _, err) = try start(["load", db])
        try input.fileHandleForWriting.write(contentsOf: text(1...3))
        // The upstream stage pauses: what it wrote is stored while jb-store waits.
        #expect(awaitStored(db, 3) == 3)
        kill(p.processIdentifier, SIGINT)
        usleep(300_000)
        #expect(p.isRunning, "jb-store stopped before its input ended")
        // The interrupted upstream stage writes its last records, then ends.
        try input.fileHandleForWriting.write(contentsOf: text(4...6))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        let stderr = try String(contentsOf: err, encoding: .utf8)
        #expect(p.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("interrupted after the whole input was read and stored"), "\(stderr)")
        #expect(stored(db) == 6)
    }

    @Test func aTeeWhoseReaderGoesAwayStoresWhatWasReadThenEndsBySIGPIPE() throws {
        let db = ToolRunner.makeTemporaryDirectory().appendingPathComponent("results.db").path
        let (p, input, output, err) = try start(["load", "--tee", db], pipeOut: true)
        let records = text(1...3000)
        DispatchQueue.global().async {
            try? input.fileHandleForWriting.write(contentsOf: records)
            try? input.fileHandleForWriting.close()
        }
        // Like `| head -1`: read a little of the copy, then go away.
        let reader = try #require(output?.fileHandleForReading)
        _ = reader.availableData
        try reader.close()
        p.waitUntilExit()
        let stderr = try String(contentsOf: err, encoding: .utf8)
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGPIPE, "\(stderr)")
        // Every record read is stored, as the summary says.
        let read = try #require(stderr.firstMatch(of: /(\d+) records? read/).map { Int($0.1)! }, "\(stderr)")
        #expect(read > 0 && read < 3000)
        #expect(stored(db) == read)
    }
}
