import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import JBCore

/// An HTTP request, independent of the client library underneath.
public struct HTTPRequestSpec: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: Data?
    /// Seconds before the request is abandoned.
    public var timeout: Double

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: Data? = nil, timeout: Double = 60) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A complete HTTP response.
public struct HTTPResponseSpec: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// The HTTP client every jb tool uses (jb-query, jb-models, jb-ingest's Kaggle download).
public protocol HTTPClient: Sendable {
    /// Sends a request and returns the whole response; transport failures throw
    /// `JBError.unavailable` with the URL's host (never a header or a key).
    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec
}

/// `URLSession` (libcurl underneath on Linux, through several layers): the fallback client.
public final class URLSessionHTTPClient: HTTPClient {
    private let session: URLSession

    public init(maxConnections: Int = 64) {
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = maxConnections
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        session = URLSession(configuration: config)
    }

    public func send(_ spec: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        let (url, request) = try spec.urlRequest()
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                throw JBError.unavailable("\(url.host ?? spec.url): not an HTTP response")
            }
            return HTTPResponseSpec(status: http.statusCode, headers: http.lowercasedHeaders, body: data)
        } catch let e as JBError {
            throw e
        } catch let e as URLError {
            let what = e.code == .timedOut ? "timed out" : "request failed (\(e.code.rawValue): \(e.localizedDescription))"
            throw JBError.unavailable("\(url.host ?? "server")\(url.port.map { ":\($0)" } ?? ""): \(what)")
        }
    }
}

extension HTTPRequestSpec {
    /// The `URLRequest` for this request, and its URL; a URL that is not http(s) is a usage error.
    func urlRequest() throws -> (URL, URLRequest) {
        guard let url = URL(string: url), url.scheme == "http" || url.scheme == "https" else {
            throw JBError.usage("not an http(s) URL: \(self.url)")
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        for (k, v) in headers { request.addValue(v, forHTTPHeaderField: k) }
        request.httpBody = body
        return (url, request)
    }
}

extension HTTPURLResponse {
    /// The response headers with lowercased names.
    var lowercasedHeaders: [String: String] {
        var headers: [String: String] = [:]
        for (k, v) in allHeaderFields {
            if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
        }
        return headers
    }
}

/// The client jb uses by default: libcurl directly (`CurlHTTPClient`). `JB_HTTP_CLIENT=urlsession`
/// in the environment picks Foundation's `URLSession` instead (the earlier client, slower; kept
/// as a fallback and for comparison, docs/http-client.md).
public func makeDefaultHTTPClient(maxConnections: Int = 64) -> any StreamingHTTPClient {
    if ProcessInfo.processInfo.environment["JB_HTTP_CLIENT"] == "urlsession" {
        return URLSessionStreamingClient(maxConnections: maxConnections)
    }
    return CurlHTTPClient(maxConnections: maxConnections)
}
