import FlyingFox
import Foundation
import JBTestSupport

/// A fake OpenRouter `/models` endpoint on 127.0.0.1 whose answer a test can change, and which
/// counts the requests it got.
final class CatalogServer: @unchecked Sendable {
    /// What the server answers.
    enum Reply: Sendable {
        case body(Data)
        case status(Int, String)
        /// A page of a paged reply: `pages[k]` is served for `?offset=k`.
        case pages([Data])
    }

    private let lock = NSLock()
    private var reply: Reply
    private var requests: [String] = []
    private var keys: [String?] = []
    private var server: FakeHTTPServer?

    init(_ reply: Reply) { self.reply = reply }

    /// Starts a server on 127.0.0.1 answering `reply`.
    static func start(_ reply: Reply) async throws -> CatalogServer {
        let s = CatalogServer(reply)
        s.server = try await FakeHTTPServer.start { [s] request in s.answer(request) }
        return s
    }

    var baseURL: String { server!.baseURL + "/api/v1" }

    /// Paths (with query) requested so far.
    var requested: [String] { lock.withLock { requests } }
    /// The `Authorization` header of each request (nil when there was none).
    var authorizations: [String?] { lock.withLock { keys } }

    func set(_ r: Reply) { lock.withLock { reply = r } }

    func stop() async { await server?.stop() }

    private func answer(_ request: HTTPRequest) -> HTTPResponse {
        let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let current: Reply = lock.withLock {
            requests.append(request.path + (query.isEmpty ? "" : "?" + query))
            keys.append(request.headers[.authorization])
            return reply
        }
        guard request.path == "/api/v1/models" else {
            return HTTPResponse(statusCode: .notFound, body: Data(#"{"error":{"code":404,"message":"no such route"}}"#.utf8))
        }
        switch current {
        case .body(let d):
            return HTTPResponse(statusCode: .ok, body: d)
        case .status(let code, let body):
            return HTTPResponse(statusCode: HTTPStatusCode(code, phrase: "Test"), body: Data(body.utf8))
        case .pages(let pages):
            let k = Int(request.query.first { $0.name == "offset" }?.value ?? "0") ?? 0
            return HTTPResponse(statusCode: .ok, body: k < pages.count ? pages[k] : Data(#"{"data":[]}"#.utf8))
        }
    }
}

/// The real `/models` replies in ../shared, or nil (the test then skips, with a note on stderr).
enum Fixtures {
    static let newer = "fixtures/openrouter/models/models-2026-08-default-414.json"
    static let older = "fixtures/openrouter/models/models-2025-05-321.json"

    static func data(_ path: String) -> Data? {
        SharedData.file(path).flatMap { try? Data(contentsOf: $0) }
    }
}

/// A fresh empty folder for a cache.
func temporaryCacheDirectory() -> String {
    ToolRunner.makeTemporaryDirectory().appendingPathComponent("cache").path
}

/// A settable clock.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(hours: Double) { lock.withLock { current += hours * 3600 } }
}
