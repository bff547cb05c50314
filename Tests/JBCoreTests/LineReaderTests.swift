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
}
