import AsyncHTTPClient
import Foundation
import NIOCore

// Usage: bench-ahc URL CONCURRENCY REQUESTS — POSTs a chat request REQUESTS times with
// CONCURRENCY in flight; prints "requests seconds req/s".
let args = CommandLine.arguments
let url = args[1], concurrency = Int(args[2])!, total = Int(args[3])!
var config = HTTPClient.Configuration()
config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
let body = #"{"model":"bench/m","messages":[{"role":"user","content":"Category: X\nClue: This is a benchmark clue"}]}"#
let counter = Counter()
let start = Date()
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<concurrency {
        group.addTask {
            while counter.next() < total {
                var req = HTTPClientRequest(url: url)
                req.method = .POST
                req.headers.add(name: "Content-Type", value: "application/json")
                req.headers.add(name: "Authorization", value: "Bearer bench")
                req.body = .bytes(ByteBuffer(string: body))
                do {
                    let r = try await client.execute(req, timeout: .seconds(60))
                    let b = try await r.body.collect(upTo: 1 << 20)
                    _ = try JSONSerialization.jsonObject(with: Data(b.readableBytesView))
                } catch {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                }
            }
        }
    }
}
let secs = Date().timeIntervalSince(start)
print(String(format: "%d %.3f %.1f", total, secs, Double(total) / secs))
_ = try await client.shutdown()

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n - 1 }
}
