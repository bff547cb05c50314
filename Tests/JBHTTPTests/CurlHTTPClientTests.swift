import FlyingFox
import Foundation
import JBCore
import JBHTTP
import JBTestSupport
import Testing

@Suite("CurlHTTPClient against servers on 127.0.0.1", .tools, .serialized)
struct CurlHTTPClientTests {
    @Test func sendsMethodHeadersAndBodyAndReadsTheWholeResponse() async throws {
        let server = try await FakeHTTPServer.start { request in
            let body = try await request.bodyData
            let echo = "\(request.method.rawValue) \(request.path) \(request.headers[HTTPHeader("X-Test")] ?? "-") \(String(decoding: body, as: UTF8.self))"
            return HTTPResponse(statusCode: .created, headers: [HTTPHeader("X-Reply"): "yes", .contentType: "text/plain"],
                                body: Data(echo.utf8))
        }
        let client = CurlHTTPClient()
        let r = try await client.send(HTTPRequestSpec(method: "POST", url: server.baseURL + "/echo", headers: [("X-Test", "42")],
                                                      body: Data("hello".utf8), timeout: 10))
        await server.stop()
        #expect(r.status == 201)
        #expect(r.headers["x-reply"] == "yes")
        #expect(r.headers["content-type"] == "text/plain")
        #expect(String(decoding: r.body, as: UTF8.self) == "POST /echo 42 hello")
    }

    @Test func followsRedirectsOfWholeRequests() async throws {
        let server = try await FakeHTTPServer.start { request in
            if request.path == "/old" {
                return HTTPResponse(statusCode: .found, headers: HTTPHeaders([.location: "/new"]))
            }
            return HTTPResponse(statusCode: .ok, body: Data("moved here \(request.path)".utf8))
        }
        let r = try await CurlHTTPClient().send(HTTPRequestSpec(url: server.baseURL + "/old", timeout: 10))
        await server.stop()
        #expect(r.status == 200)
        #expect(String(decoding: r.body, as: UTF8.self) == "moved here /new")
    }

    @Test func aRefusedConnectionNamesHostAndPortButNeverThePathOrQuery() async throws {
        let spec = HTTPRequestSpec(url: "http://127.0.0.1:9/api/v1/models?key=sk-or-v1-secret", timeout: 5)
        do {
            _ = try await CurlHTTPClient().send(spec)
            Issue.record("expected a failure")
        } catch let e as JBError {
            #expect(e.message.hasPrefix("127.0.0.1:9: request failed"), "\(e.message)")
            #expect(!e.message.contains("secret") && !e.message.contains("/api"), "\(e.message)")
        }
    }

    @Test func notAnHTTPURLIsAUsageError() async throws {
        await #expect(throws: JBError.self) {
            _ = try await CurlHTTPClient().send(HTTPRequestSpec(url: "ftp://example.com/x"))
        }
    }

    @Test func theTimeoutBoundsTheWholeExchange() async throws {
        let server = try FakeOpenRouter { _ in .hang }
        defer { server.stop() }
        let started = ContinuousClock.now
        do {
            _ = try await CurlHTTPClient().send(HTTPRequestSpec(method: "POST", url: server.baseURL + "/chat/completions",
                                                                body: Data("{}".utf8), timeout: 0.4))
            Issue.record("expected a timeout")
        } catch let e as JBError {
            #expect(e.message.contains("timed out after 0.4 s"), "\(e.message)")
        }
        let took = ContinuousClock.now - started
        #expect(took >= .milliseconds(380) && took < .seconds(3), "\(took)")
    }

    @Test func cancellingTheCallerEndsTheRequestAtOnce() async throws {
        let server = try FakeOpenRouter { _ in .hang }
        defer { server.stop() }
        let client = CurlHTTPClient()
        let task = Task {
            try await client.send(HTTPRequestSpec(method: "POST", url: server.baseURL + "/chat/completions",
                                                  body: Data("{}".utf8), timeout: 30))
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        let started = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(throws: CancellationError.self) { try result.get() }
        // The client goes on serving other requests.
        let other = try FakeOpenRouter()
        defer { other.stop() }
        let r = try await client.send(HTTPRequestSpec(method: "POST", url: other.baseURL + "/chat/completions",
                                                      body: Data("{}".utf8), timeout: 10))
        #expect(r.status == 200)
    }

    @Test func streamsHandOverTheHeadFirstThenThePiecesAsTheyArrive() async throws {
        let items = FakeOpenRouter.sseAnswer("What is a stream?")
        let server = try FakeOpenRouter { _ in .sse(items, delayMs: 40) }
        defer { server.stop() }
        let started = ContinuousClock.now
        let r = try await CurlHTTPClient().stream(HTTPRequestSpec(method: "POST", url: server.baseURL + "/chat/completions",
                                                                  body: Data("{}".utf8), timeout: 10))
        let headAfter = ContinuousClock.now - started
        #expect(r.status == 200)
        #expect(r.headers["content-type"] == "text/event-stream")
        var pieces = 0
        var text = Data()
        for try await piece in r.body {
            pieces += 1
            text.append(piece)
        }
        let total = ContinuousClock.now - started
        #expect(pieces >= 3, "\(pieces)")
        #expect(String(decoding: text, as: UTF8.self) == items.joined())
        // The head came before the events, which take 40 ms each.
        #expect(headAfter + .milliseconds(120) < total, "head \(headAfter), all \(total)")
    }

    @Test func manyConcurrentRequestsShareFewConnections() async throws {
        let server = try FakeOpenRouter(latencyMs: 20)
        defer { server.stop() }
        let client = CurlHTTPClient(maxConnections: 16)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let body = #"{"model":"m","messages":[{"role":"user","content":"Clue: Number \#(i)"}]}"#
                    return try await client.send(HTTPRequestSpec(method: "POST", url: server.baseURL + "/chat/completions",
                                                                 body: Data(body.utf8), timeout: 20)).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 200 && statuses.allSatisfy { $0 == 200 })
        #expect(server.requestCount == 200)
        #expect(server.connectionCount <= 16, "\(server.connectionCount) connections")
    }

    @Test func theURLSessionFallbackStillWorks() async throws {
        let server = try FakeOpenRouter()
        defer { server.stop() }
        let client = URLSessionStreamingClient()
        let spec = HTTPRequestSpec(method: "POST", url: server.baseURL + "/chat/completions",
                                   headers: [("Content-Type", "application/json")],
                                   body: Data(#"{"model":"m","messages":[{"role":"user","content":"Clue: Paris"}]}"#.utf8), timeout: 10)
        let r = try await client.send(spec)
        #expect(r.status == 200)
        #expect(String(decoding: r.body, as: UTF8.self).contains("What is Paris?"))
        let s = try await client.stream(spec)
        var body = Data()
        for try await piece in s.body { body.append(piece) }
        #expect(s.status == 200 && String(decoding: body, as: UTF8.self).contains("What is Paris?"))
    }

    @Test(.enabled(if: TLSPeer.available, "needs python3 and openssl to run an HTTPS server"))
    func httpsCertificatesAreVerifiedAndACAFileAddsTrust() async throws {
        let peer = try TLSPeer()
        defer { peer.stop() }
        let spec = HTTPRequestSpec(url: peer.baseURL + "/private/path?key=sk-or-v1-secret", timeout: 10)
        // A self-signed certificate is refused against the system's CAs.
        do {
            _ = try await CurlHTTPClient(trust: .system).send(spec)
            Issue.record("a self-signed certificate was accepted")
        } catch let e as JBError {
            let place = peer.baseURL.replacingOccurrences(of: "https://", with: "")
            #expect(e == .untrusted(e.message))
            #expect(e.message.hasPrefix("\(place): certificate not trusted (SSL certificate problem"), "\(e.message)")
            #expect(e.message.contains("SSL_CERT_FILE"), "\(e.message)")
            #expect(!e.message.contains("secret") && !e.message.contains("/private"), "\(e.message)")
        }
        // Trusted through a CA file (what SSL_CERT_FILE sets), the same request goes through.
        let client = CurlHTTPClient(trust: TLSTrust(caFile: peer.certificate))
        let r = try await client.send(spec)
        #expect(r.status == 200)
        #expect(String(decoding: r.body, as: UTF8.self) == "hello over TLS")
        let s = try await client.stream(spec)
        var body = Data()
        for try await piece in s.body { body.append(piece) }
        #expect(String(decoding: body, as: UTF8.self) == "hello over TLS")
    }

    /// Over TLS a request waits for a connection's handshake to learn whether it can share
    /// it (HTTP/2); an HTTP/1.1 server says no at once, so a slow first answer holds up
    /// nothing else.
    @Test(.enabled(if: TLSPeer.available, "needs python3 and openssl to run an HTTPS server"))
    func aSlowFirstAnswerOverTLSDoesNotHoldUpTheOthers() async throws {
        let peer = try TLSPeer()
        defer { peer.stop() }
        let client = CurlHTTPClient(trust: TLSTrust(caFile: peer.certificate))
        let slow = Task { try await client.send(HTTPRequestSpec(url: peer.baseURL + "/slow", timeout: 20)) }
        try await Task.sleep(nanoseconds: 200_000_000)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { try await client.send(HTTPRequestSpec(url: peer.baseURL + "/fast", timeout: 20)).status }
            }
            for try await status in group { #expect(status == 200) }
        }
        let waited = ContinuousClock.now - start
        #expect(waited < .seconds(2), "the other requests waited \(waited) behind the slow one")
        #expect(try await slow.value.status == 200)
    }
}
