import FlyingFox
import Foundation
import JBCore
import JBTestSupport
import Testing
import ZIPFoundation

/// jb-ingest run as a user runs it: on the real data sets, and against a fake Kaggle API.
@Suite(.tools) struct IngestEndToEndTests {
    func records(_ r: RunResult) throws -> [JSONObject] {
        try r.lines.map { line in
            guard case .object(let o) = try JSONParser.parse(line) else { throw JBError.internal("not an object") }
            return o
        }
    }

    @Test func rejectsFileNamesSourceLineAndReason() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let csv = "Show Number, Air Date, Round, Category, Value, Question, Answer\n1,2000-01-03,Jeopardy!,\"A\",\"$100\",\"clue\",\"answer\"\n1,2000-02-30,Jeopardy!,\"A\",\"$200\",\"clue 2\",\"answer\"\n"
        try csv.write(to: dir.appendingPathComponent("in.csv"), atomically: true, encoding: .utf8)
        let r = try ToolRunner.run("jb-ingest", ["in.csv", "--rejects", "rejects.jsonl"], directory: dir)
        #expect(r.status == 0, "\(r)")
        #expect(r.lines.count == 1)
        let rejects = try String(contentsOf: dir.appendingPathComponent("rejects.jsonl"), encoding: .utf8)
        #expect(rejects == #"{"line":3,"reason":"bad air date \"2000-02-30\"","source":"in.csv","text":"1,2000-02-30,Jeopardy!,\"A\",\"$200\",\"clue 2\",\"answer\""}"# + "\n")
    }

    @Test(.enabled(if: SharedData.file("data/jeopardy/jarchive_tsv/season16.tsv.gz") != nil, "needs ../shared/data/jeopardy"))
    func realKaggleCSVAndJSONGiveTheSameIDsAsTheTSV() throws {
        let csv = try #require(SharedData.file("data/jeopardy/jeopardy_csv_sample.csv"))
        let json = try #require(SharedData.file("data/jeopardy/jeopardy_json_sample.json"))
        let s21 = try #require(SharedData.file("data/jeopardy/jarchive_tsv/season21.tsv.gz"))
        let s26 = try #require(SharedData.file("data/jeopardy/jarchive_tsv/season26.tsv.gz"))
        let s16 = try #require(SharedData.file("data/jeopardy/jarchive_tsv/season16.tsv.gz"))
        let fromCSV = try ToolRunner.run("jb-ingest", [csv.path, "--strict"])
        let fromJSON = try ToolRunner.run("jb-ingest", [json.path, "--strict"])
        let fromTSV = try ToolRunner.run("jb-ingest", [s16.path, s21.path, s26.path, "--strict"])
        #expect(fromCSV.status == 0, "\(fromCSV)")
        #expect(fromJSON.status == 0, "\(fromJSON)")
        #expect(fromTSV.status == 0, "\(fromTSV)")
        #expect(fromCSV.stderr == "jb-ingest: 941 rows read, 941 questions written, 0 rejected, 0 duplicates dropped\n")
        #expect(fromJSON.stderr == "jb-ingest: 178 rows read, 178 questions written, 0 rejected, 0 duplicates dropped\n")
        let csvRecords = try records(fromCSV), jsonRecords = try records(fromJSON), tsvRecords = try records(fromTSV)
        // The JSON shows are all in the CSV: every JSON clue has the same id there.
        let csvIDs = Set(csvRecords.compactMap { $0["id"]?.stringValue })
        let jsonIDs = Set(jsonRecords.compactMap { $0["id"]?.stringValue })
        #expect(jsonIDs.isSubset(of: csvIDs))
        // The TSV's publisher dropped media clues and corrected a few texts; all other
        // Kaggle clues of the same days must carry the same id.
        let tsvIDs = Set(tsvRecords.compactMap { $0["id"]?.stringValue })
        let tsvDates = Set(tsvRecords.compactMap { $0["air_date"]?.stringValue })
        for (name, recs) in [("csv", csvRecords), ("json", jsonRecords)] {
            let candidates = recs.filter { tsvDates.contains($0["air_date"]?.stringValue ?? "") && $0["media"] == .bool(false) }
            let matched = candidates.filter { tsvIDs.contains($0["id"]?.stringValue ?? "") }
            #expect(candidates.count > 40, "\(name): too few overlapping clues to compare")
            #expect(Double(matched.count) >= 0.97 * Double(candidates.count), "\(name): \(matched.count) of \(candidates.count) ids match")
        }
        // Quirks of the classic layout are cleaned away.
        for r in csvRecords + jsonRecords {
            let clue = r["clue"]?.stringValue ?? "", answer = r["answer"]?.stringValue ?? ""
            #expect(!clue.contains("<a href") && !clue.contains("<i>") && !clue.contains("  "))
            #expect(!answer.contains("\\"), "\(answer)")
            #expect(!(clue.hasPrefix("'") && clue.hasSuffix("'")), "\(clue)")
        }
        #expect(csvRecords.filter { $0["media"] == .bool(true) }.count >= 40)
        #expect(csvRecords.filter { $0["round"] == .string("Final Jeopardy!") }.allSatisfy { $0["value"] == .null })
    }

    /// Seasons from each era plus the special matches (with their own round names). All 40
    /// seasons are checked by `make bench` with the release build (scripts/bench/ingest.sh).
    @Test(.enabled(if: SharedData.file("data/jeopardy/jarchive_tsv/season1.tsv.gz") != nil, "needs ../shared/data/jeopardy"))
    func tsvSeasonsIngestCleanly() throws {
        let names = ["season1.tsv.gz", "season18.tsv.gz", "season40.tsv.gz", "extra_matches.tsv.gz"]
        var files: [String] = []
        for n in names {
            files.append(try #require(SharedData.file("data/jeopardy/jarchive_tsv/\(n)")).path)
        }
        let r = try ToolRunner.run("jb-ingest", files + ["--strict"])
        #expect(r.status == 0, "\(r.stderr)")
        // Rows per the data README: 8302 + 13043 + 13784 + 8906.
        #expect(r.stderr.hasPrefix("jb-ingest: 44035 rows read, "), "\(r.stderr)")
        #expect(r.stderr.contains(" 0 rejected"), "\(r.stderr)")
        var ids = Set<String>()
        var rounds = Set<String>()
        for line in r.lines {
            guard case .object(let o) = try JSONParser.parse(line) else { continue }
            for key in ["clue", "answer", "category"] {
                let text = o[key]?.stringValue ?? ""
                #expect(!text.isEmpty)
                for bad in ["\\\"", "\\'", "&amp;", "&#", "<br", "  "] where text.contains(bad) {
                    Issue.record("\(bad) left in \(key): \(text)")
                }
                #expect(text == text.trimmingCharacters(in: .whitespaces))
            }
            ids.insert(o["id"]?.stringValue ?? "")
            rounds.insert(o["round"]?.stringValue ?? "")
            if o["daily_double"] == .bool(true) { #expect(o["wager"]?.intValue != nil) }
        }
        #expect(ids.count == r.lines.count)
        #expect(rounds.isSuperset(of: ["Jeopardy!", "Double Jeopardy!", "Final Jeopardy!"]))
    }

    // MARK: Kaggle

    static func zipArchive(files: [String: String]) throws -> Data {
        let dir = ToolRunner.makeTemporaryDirectory()
        let src = dir.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: src, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: src.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let zip = dir.appendingPathComponent("a.zip")
        try FileManager.default.zipItem(at: src, to: zip, shouldKeepParent: false)
        return try Data(contentsOf: zip)
    }

    static let kaggleCSV = "Show Number, Air Date, Round, Category, Value, Question, Answer\n7,2005-05-05,Jeopardy!,\"K\",\"$200\",\"A downloaded clue\",\"yes\"\n"

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }

    func kaggleServer(zip: Data, counter: Counter) async throws -> FakeHTTPServer {
        let expected = "Basic " + Data("alice:s3cret-kaggle-key".utf8).base64EncodedString()
        return try await FakeHTTPServer.start { request in
            _ = counter.next()
            guard request.path == "/api/v1/datasets/download/owner/jeopardy" else { return HTTPResponse(statusCode: .notFound) }
            guard request.headers[.authorization] == expected else {
                return HTTPResponse(statusCode: .unauthorized, headers: [.contentType: "application/json"],
                                    body: Data(#"{"code":401,"message":"Unauthenticated"}"#.utf8))
            }
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/zip"], body: zip)
        }
    }

    @Test func kaggleDownloadIsCachedAndKeyNeverShown() async throws {
        let zip = try Self.zipArchive(files: ["jeopardy.csv": Self.kaggleCSV, "README.txt": "not data"])
        let counter = Counter()
        let server = try await kaggleServer(zip: zip, counter: counter)
        defer { Task { await server.stop() } }
        let home = ToolRunner.makeTemporaryDirectory()
        let env = ["HOME": home.path, "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
                   "KAGGLE_USERNAME": "alice", "KAGGLE_KEY": "s3cret-kaggle-key"]
        let first = try await ToolRunner.runAsync("jb-ingest", ["kaggle", "owner/jeopardy", "--base-url", server.baseURL, "--verbose"], environment: env)
        #expect(first.status == 0, "\(first)")
        #expect(first.lines.count == 1 && first.output.contains("A downloaded clue"))
        #expect(first.stderr.contains("downloading owner/jeopardy"))
        #expect(!first.stderr.contains("s3cret-kaggle-key"))
        #expect(counter.value == 1)
        let second = try await ToolRunner.runAsync("jb-ingest", ["kaggle", "owner/jeopardy", "--base-url", server.baseURL], environment: env)
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout == first.stdout)
        #expect(second.stderr.contains("using jb's cache"))
        #expect(counter.value == 1, "the second run must not download again")
        let printed = try await ToolRunner.runAsync("jb-ingest", ["kaggle", "--print-config"], environment: env)
        #expect(printed.output.contains("kaggle.key") && !printed.output.contains("s3cret-kaggle-key"), "\(printed)")
    }

    @Test func kaggleWrongOrMissingCredentials() async throws {
        let zip = try Self.zipArchive(files: ["jeopardy.csv": Self.kaggleCSV])
        let counter = Counter()
        let server = try await kaggleServer(zip: zip, counter: counter)
        defer { Task { await server.stop() } }
        let home = ToolRunner.makeTemporaryDirectory()
        var env = ["HOME": home.path, "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
                   "KAGGLE_USERNAME": "alice", "KAGGLE_KEY": "wrong-key-123456"]
        let wrong = try await ToolRunner.runAsync("jb-ingest", ["kaggle", "owner/jeopardy", "--base-url", server.baseURL], environment: env)
        #expect(wrong.status == 77, "\(wrong)")
        #expect(wrong.stderr.contains("Kaggle refused the credentials"))
        #expect(!wrong.stderr.contains("wrong-key-123456"))
        env["KAGGLE_USERNAME"] = nil
        env["KAGGLE_KEY"] = nil
        let missing = try await ToolRunner.runAsync("jb-ingest", ["kaggle", "owner/jeopardy", "--base-url", server.baseURL], environment: env)
        #expect(missing.status == 64, "\(missing)")
        #expect(missing.stderr.contains("no Kaggle credentials"))
        // kaggle.json in ~/.kaggle works too.
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".kaggle"), withIntermediateDirectories: true)
        try #"{"username":"alice","key":"s3cret-kaggle-key"}"#.write(to: home.appendingPathComponent(".kaggle/kaggle.json"), atomically: true, encoding: .utf8)
        let fromFile = try await ToolRunner.runAsync("jb-ingest", ["kaggle", "owner/jeopardy", "--base-url", server.baseURL], environment: env)
        #expect(fromFile.status == 0, "\(fromFile)")
    }

    @Test func kagglehubCacheIsUsedWithoutNetwork() throws {
        let home = ToolRunner.makeTemporaryDirectory()
        let v = home.appendingPathComponent(".cache/kagglehub/datasets/owner/jeopardy/versions/3")
        try FileManager.default.createDirectory(at: v, withIntermediateDirectories: true)
        try Self.kaggleCSV.write(to: v.appendingPathComponent("JEOPARDY_CSV.csv"), atomically: true, encoding: .utf8)
        let r = try ToolRunner.run("jb-ingest", ["kaggle", "owner/jeopardy", "--base-url", "http://127.0.0.1:9"],
                                   environment: ["HOME": home.path])
        #expect(r.status == 0, "\(r)")
        #expect(r.output.contains("A downloaded clue"))
        #expect(r.stderr.contains("kagglehub cache"))
    }
}
