import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// Usage: bench-urlsession URL CONCURRENCY REQUESTS — the same load as bench-ahc, through
// URLSession (libcurl on Linux).
let args = CommandLine.arguments
let url = URL(string: args[1])!, concurrency = Int(args[2])!, total = Int(args[3])!
let config = URLSessionConfiguration.ephemeral
config.httpMaximumConnectionsPerHost = concurrency
config.urlCache = nil
let session = URLSession(configuration: config)
let body = Data(#"{"model":"bench/m","messages":[{"role":"user","content":"Category: X\nClue: This is a benchmark clue"}]}"#.utf8)
let counter = Counter()
let start = Date()
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<concurrency {
        group.addTask {
            while counter.next() < total {
                var req = URLRequest(url: url, timeoutInterval: 60)
                req.httpMethod = "POST"
                req.addValue("application/json", forHTTPHeaderField: "Content-Type")
                req.addValue("Bearer bench", forHTTPHeaderField: "Authorization")
                req.httpBody = body
                do {
                    let (data, _) = try await session.data(for: req)
                    _ = try JSONSerialization.jsonObject(with: data)
                } catch {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                }
            }
        }
    }
}
let secs = Date().timeIntervalSince(start)
print(String(format: "%d %.3f %.1f", total, secs, Double(total) / secs))

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n - 1 }
}
