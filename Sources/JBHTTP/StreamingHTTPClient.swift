import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import JBCore

/// A response whose head has arrived and whose body arrives in pieces (server-sent events).
public struct HTTPStreamingResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    /// The body, piece by piece as the network delivers it; ends when the body is complete.
    /// Throws `JBError.unavailable` when the connection fails part way.
    public var body: AsyncThrowingStream<Data, any Error>

    public init(status: Int, headers: [String: String], body: AsyncThrowingStream<Data, any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A client that can also hand over a body as it arrives, for streamed completions.
public protocol StreamingHTTPClient: HTTPClient {
    /// Sends a request and returns as soon as the response head has arrived. Cancelling the
    /// calling task, or dropping the body stream, cancels the request.
    func stream(_ request: HTTPRequestSpec) async throws -> HTTPStreamingResponse
    /// True when the client itself ends a request after `timeout` seconds in all, so that
    /// callers need no timer of their own (`URLSession`'s timeout counts idle time only).
    var boundsWholeExchange: Bool { get }
}

extension StreamingHTTPClient {
    public var boundsWholeExchange: Bool { false }
}

/// `URLSession` with a delegate, so bodies can be streamed and many requests share one
/// session (and its connection pool: connections are kept alive and reused).
public final class URLSessionStreamingClient: StreamingHTTPClient, @unchecked Sendable {
    private let session: URLSession
    private let relay: Relay
    /// Whole responses go through Foundation's own `data(for:)` on a session of their own
    /// (the simplest path; measured as fast as the delegate path, docs/http-client.md).
    private let plain: URLSessionHTTPClient

    /// A client allowing `maxConnections` connections per host.
    public init(maxConnections: Int = 64) {
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = maxConnections
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        config.httpCookieStorage = nil
        config.httpShouldSetCookies = false
        plain = URLSessionHTTPClient(maxConnections: maxConnections)
        relay = Relay()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: config, delegate: relay, delegateQueue: queue)
    }

    deinit { session.invalidateAndCancel() }

    public func send(_ spec: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        try await plain.send(spec)
    }

    public func stream(_ spec: HTTPRequestSpec) async throws -> HTTPStreamingResponse {
        let (url, request) = try spec.urlRequest()
        let place = "\(url.host ?? "server")\(url.port.map { ":\($0)" } ?? "")"
        let task = session.dataTask(with: request)
        let (body, bodyContinuation) = AsyncThrowingStream<Data, any Error>.makeStream(bufferingPolicy: .unbounded)
        bodyContinuation.onTermination = { reason in
            if case .cancelled = reason { task.cancel() }
        }
        return try await withTaskCancellationHandler {
            let head: (Int, [String: String]) = try await withCheckedThrowingContinuation { headContinuation in
                relay.register(task.taskIdentifier, Relay.State(place: place, head: headContinuation, body: bodyContinuation))
                task.resume()
            }
            return HTTPStreamingResponse(status: head.0, headers: head.1, body: body)
        } onCancel: {
            task.cancel()
        }
    }

    /// Routes the session's delegate callbacks to each request's continuations.
    final class Relay: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        struct State {
            var place: String
            var head: CheckedContinuation<(Int, [String: String]), any Error>?
            var body: AsyncThrowingStream<Data, any Error>.Continuation
        }
        private let lock = NSLock()
        private var states: [Int: State] = [:]

        func register(_ id: Int, _ state: State) {
            lock.lock()
            states[id] = state
            lock.unlock()
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            lock.lock()
            let head = states[dataTask.taskIdentifier]?.head
            states[dataTask.taskIdentifier]?.head = nil
            lock.unlock()
            if let http = response as? HTTPURLResponse {
                head?.resume(returning: (http.statusCode, http.lowercasedHeaders))
            } else {
                head?.resume(throwing: JBError.unavailable("not an HTTP response"))
            }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            lock.lock()
            let body = states[dataTask.taskIdentifier]?.body
            lock.unlock()
            body?.yield(data)
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            lock.lock()
            let state = states.removeValue(forKey: task.taskIdentifier)
            lock.unlock()
            guard let state else { return }
            if let error {
                let failure = Relay.describe(error, place: state.place)
                state.head?.resume(throwing: failure)
                state.body.finish(throwing: failure)
            } else {
                state.head?.resume(throwing: JBError.unavailable("\(state.place): no response"))
                state.body.finish()
            }
        }

        static func describe(_ error: any Error, place: String) -> any Error {
            if let e = error as? URLError {
                if e.code == .cancelled { return CancellationError() }
                let what = e.code == .timedOut ? "timed out" : "request failed (\(e.code.rawValue))"
                return JBError.unavailable("\(place): \(what)")
            }
            return JBError.unavailable("\(place): request failed")
        }
    }
}
