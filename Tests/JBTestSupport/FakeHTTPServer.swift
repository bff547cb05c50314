import FlyingFox
import Foundation

/// A real HTTP server on 127.0.0.1 with an ephemeral port, for tests that need an HTTP peer
/// (fakes of Kaggle's and OpenRouter's APIs). Nothing in a test touches the internet.
public final class FakeHTTPServer: Sendable {
    private let server: HTTPServer
    private let task: Task<Void, any Error>
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String

    /// Starts a server whose every request goes to `handler`.
    public static func start(
        _ handler: @Sendable @escaping (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> FakeHTTPServer {
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: 0), timeout: 30)
        await server.appendRoute("*", handler: handler)
        let task = Task { try await server.run() }
        try await server.waitUntilListening(timeout: 60)
        guard case .ip4(_, let port) = await server.listeningAddress else {
            task.cancel()
            throw URLError(.cannotConnectToHost)
        }
        return FakeHTTPServer(server: server, task: task, baseURL: "http://127.0.0.1:\(port)")
    }

    private init(server: HTTPServer, task: Task<Void, any Error>, baseURL: String) {
        self.server = server
        self.task = task
        self.baseURL = baseURL
    }

    /// Stops the server.
    public func stop() async {
        await server.stop(timeout: 0)
        task.cancel()
    }
}
