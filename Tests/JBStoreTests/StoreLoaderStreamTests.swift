import Foundation
import GRDB
import JBCore
import JBStore
import JBTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The loader on inputs that trickle in (a FIFO stands for a pipe from an upstream stage),
/// and stopped part way, as SIGINT does.
@Suite struct StoreLoaderStreamTests {
    func count(_ db: String) -> Int {
        guard FileManager.default.fileExists(atPath: db), let q = try? DatabaseQueue(path: db) else { return 0 }
        return (try? q.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM benchmark_results") ?? 0 }) ?? 0
    }

    /// Polls until `db` holds `n` responses, for up to 20 s; the count seen last.
    func awaitCount(_ db: String, _ n: Int) -> Int {
        poll({ count(db) }, until: { $0 >= n })
    }

    /// A FIFO in a fresh directory, and the database path beside it.
    func fifo() throws -> (fifo: String, db: String) {
        let dir = StoreFixtures.directory()
        let path = dir.appendingPathComponent("in.fifo").path
        try #require(mkfifo(path, 0o600) == 0)
        return (path, dir.appendingPathComponent("r.db").path)
    }

    /// Runs the load on a thread of its own (it blocks on the FIFO); the report, once done.
    func startLoad(_ loader: StoreLoader, _ input: String) -> () -> Result<LoadReport, Error> {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let loader = loader
        nonisolated(unsafe) var result: Result<LoadReport, Error> = .failure(CancellationError())
        Thread {
            result = Result { try loader.load(inputs: [input]) }
            done.signal()
        }.start()
        return {
            done.wait()
            return result
        }
    }

    func write(_ handle: FileHandle, _ range: ClosedRange<Int>) throws {
        try handle.write(contentsOf: Data(StoreFixtures.lines(range.map { StoreFixtures.response($0) }).utf8))
    }

    @Test func recordsAreStoredWhenTheInputPausesNotWhenTheNextArrives() throws {
        let (input, db) = try fifo()
        let loader = StoreLoader(path: db)
        loader.flushInterval = 3600
        let finish = startLoad(loader, input)
        let writer = try #require(FileHandle(forWritingAtPath: input))
        try write(writer, 1...3)
        // The writer is still open: the three records are stored while the loader waits.
        #expect(awaitCount(db, 3) == 3)
        try write(writer, 4...5)
        try writer.close()
        let report = try finish().get()
        #expect(report.read == 5 && report.added == 5)
        #expect(!report.interrupted && report.complete)
        #expect(count(db) == 5)
    }

    @Test func aStoppedPipeIsReadToItsEnd() throws {
        let (input, db) = try fifo()
        let loader = StoreLoader(path: db)
        let finish = startLoad(loader, input)
        let writer = try #require(FileHandle(forWritingAtPath: input))
        try write(writer, 1...3)
        #expect(awaitCount(db, 3) == 3)
        loader.stop.raise()
        // An interrupted upstream stage still writes its last records: they are stored too.
        try write(writer, 4...6)
        try writer.close()
        let report = try finish().get()
        #expect(report.interrupted && report.complete)
        #expect(report.read == 6 && report.stored == 6)
        #expect(count(db) == 6)
    }

    @Test func aStoppedFileEndsAtTheNextRecordWithWhatWasReadStored() throws {
        let dir = StoreFixtures.directory()
        let db = dir.appendingPathComponent("r.db").path
        let input = try StoreFixtures.file((1...30).map { StoreFixtures.response($0) }, in: dir)
        let loader = StoreLoader(path: db)
        loader.batchSize = 5
        loader.progress = { [stop = loader.stop] _ in stop.raise() }
        let report = try loader.load(inputs: [input])
        #expect(report.interrupted && !report.complete)
        // A full batch is stored while the next is read: the first commit is reported (and
        // the stop seen) once the second batch is handed over, so the load ends after it.
        #expect(report.read == 10 && report.stored == 10)
        #expect(count(db) == 10)
        // Loading the same input again adds the rest.
        let again = try StoreLoader(path: db).load(inputs: [input])
        #expect(again.added == 20 && again.unchanged == 10 && again.complete)
        #expect(count(db) == 30)
    }
}
