import Foundation
import JBCore
@testable import JBModels
import Testing

@Suite struct CatalogCacheTests {
    static let reply = Array(#"{"data":[{"id":"a/one","pricing":{"prompt":"0.000001","completion":"0.000002"}},{"id":"b/two"}]}"#.utf8)

    @Test func writesAndReadsBackWithTheFetchTime() throws {
        let cache = CatalogCache(directory: temporaryCacheDirectory())
        #expect(try cache.read() == nil)
        let when = Date(timeIntervalSince1970: 1_790_000_000)
        try cache.write(replies: [Self.reply, Array(#"{"data":[{"id":"c/three"}]}"#.utf8)], fetchedAt: when, baseURL: "http://x/api/v1")
        let entry = try #require(try cache.read())
        #expect(entry.catalog.models.map(\.id) == ["a/one", "b/two", "c/three"])
        #expect(entry.fetchedAt == when)
        #expect(entry.baseURL == "http://x/api/v1")
        #expect(entry.age(now: when + 7200) == 7200)
        // The file is JSON a person can read with jq, holding the replies byte for byte.
        let text = try String(contentsOfFile: cache.path, encoding: .utf8)
        #expect(text.contains(#""fetched_at":"2026-09-21T"#))
        #expect(text.contains(String(decoding: Self.reply, as: UTF8.self)))
        #expect(try cache.clear())
        #expect(try !cache.clear())
        #expect(try cache.read() == nil)
    }

    @Test(arguments: [
        ("", "not JSON"),
        (#"{"format":"jb-models-cache/1","fetched_at":"2026-09-21T10:00:00Z","replies":[{"data":[{"id":"a/b"}"#, "not JSON"),
        (#"{"data":[{"id":"a/b"}]}"#, "not a jb-models cache file"),
        (#"{"format":"jb-models-cache/1","fetched_at":"yesterday","replies":[{"data":[{"id":"a/b"}]}]}"#, "no valid \"fetched_at\" time"),
        (#"{"format":"jb-models-cache/1","fetched_at":"2026-09-21T10:00:00Z","replies":[{"data":[]}]}"#, "holds no models"),
        (#"{"format":"jb-models-cache/1","fetched_at":"2026-09-21T10:00:00Z","replies":[{"oops":1}]}"#, "no \"data\" array"),
    ])
    func aCorruptFileIsReportedNotTrusted(_ content: String, _ expected: String) throws {
        let cache = CatalogCache(directory: temporaryCacheDirectory())
        try FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true)
        try Data(content.utf8).write(to: URL(fileURLWithPath: cache.path))
        do {
            _ = try cache.read()
            Issue.record("read a corrupt cache")
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
        let status = cache.status(now: Date(), maxAge: 3600)
        #expect(status.exists && !status.fresh && status.entry == nil)
        #expect(status.record["error"]?.stringValue?.contains(expected) == true)
    }

    @Test func statusSaysFreshOrStale() throws {
        let cache = CatalogCache(directory: temporaryCacheDirectory())
        #expect(cache.status(now: Date(), maxAge: 3600).record["exists"] == .bool(false))
        let when = Date(timeIntervalSince1970: 1_790_000_000)
        try cache.write(replies: [Self.reply], fetchedAt: when, baseURL: "http://x")
        let fresh = cache.status(now: when + 1800, maxAge: 3600)
        #expect(fresh.fresh)
        #expect(fresh.record["models"] == .int(2))
        #expect(fresh.record["age_hours"] == .double(0.5))
        #expect(fresh.record["ttl_hours"] == .double(1))
        #expect(!cache.status(now: when + 3601, maxAge: 3600).fresh)
    }

    @Test func anUnwritableFolderIsACreateError() throws {
        let file = plainTemporaryFile()
        let cache = CatalogCache(directory: file + "/sub")
        #expect(throws: JBError.self) { try cache.write(replies: [Self.reply], fetchedAt: Date(), baseURL: "x") }
    }
}

/// A plain file, so that a folder beneath it cannot be created.
func plainTemporaryFile() -> String {
    let path = temporaryCacheDirectory() + "-file"
    _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
    return path
}
