import Foundation
import Testing
@testable import JBCore

@Suite struct LineReaderTests {
    func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jb-lr-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func lines(_ path: String) throws -> [String] {
        let r = try LineReader(path: path)
        var out: [String] = []
        while let s = try r.nextString() { out.append(s) }
        return out
    }

    @Test func crlfAndNoFinalNewline() throws {
        #expect(try lines(try write(Array("a\r\nb\n\nc".utf8))) == ["a", "b", "", "c"])
    }

    @Test func longLinesCrossBuffers() throws {
        let long = String(repeating: "x", count: 200_000)
        #expect(try lines(try write(Array("\(long)\nshort\n".utf8))) == [long, "short"])
    }

    @Test func gzipIsDetectedFromContent() throws {
        let plain = try write(Array("one\ntwo\n".utf8))
        let gz = plain + ".gz"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c '\(plain)' > '\(gz)' && gzip -c '\(plain)' >> '\(gz)'"]
        try p.run()
        p.waitUntilExit()
        // Two concatenated gzip members read as one stream.
        #expect(try lines(gz) == ["one", "two", "one", "two"])
    }

    @Test func truncatedGzipIsAnError() throws {
        let plain = try write(Array((1...50_000).map { "line \($0 * 7919 % 100_003)\n" }.joined().utf8))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c '\(plain)' | head -c 20000 > '\(plain).gz'"]
        try p.run()
        p.waitUntilExit()
        var count = 0
        #expect(throws: JBError.self) {
            let r = try LineReader(path: plain + ".gz")
            while try r.nextLine() != nil { count += 1 }
        }
        #expect(count > 0 && count < 50_000)
    }

    @Test func missingFile() {
        #expect(throws: JBError.cannotOpen(path: "/no/such/file", reason: "no such file or directory")) {
            try LineReader(path: "/no/such/file")
        }
    }

    @Test func jsonlReaderReportsLines() throws {
        let path = try write(Array("{\"a\":1}\n\n[1]\n".utf8))
        let r = JSONLReader(paths: [path])
        #expect(try r.next() == ["a": .int(1)])
        #expect(throws: JBError.badRecord(source: path, line: 3, message: "expected a JSON object, found an array")) { try r.next() }
    }

    @Test func beforeWaitingRunsOnlyWhenAPipeHasNothingReady() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jb-fifo-\(UUID().uuidString)").path
        try #require(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let waited = DispatchSemaphore(value: 0)
        // The writer sends a line, then the second only once the reader has said it would wait
        // (as a downstream flush lets an upstream stage go on); it gives up after 10 s.
        Thread {
            guard let w = FileHandle(forWritingAtPath: path) else { return }
            try? w.write(contentsOf: Data("a\n".utf8))
            _ = waited.wait(timeout: .now() + 10)
            try? w.write(contentsOf: Data("b\n".utf8))
            try? w.close()
        }.start()
        let reader = try LineReader(path: path)
        nonisolated(unsafe) var calls = 0
        reader.source.beforeWaiting = {
            calls += 1
            waited.signal()
        }
        var out: [String] = []
        while let s = try reader.nextString() { out.append(s) }
        #expect(out == ["a", "b"])
        #expect(calls >= 1)
        #expect(reader.source.isStream)

        let file = try write(Array("x\ny\n".utf8))
        let fileReader = try LineReader(path: file)
        var fileCalls = 0
        fileReader.source.beforeWaiting = { fileCalls += 1 }
        while try fileReader.nextString() != nil {}
        #expect(fileCalls == 0)
        #expect(!fileReader.source.isStream)
    }
}
