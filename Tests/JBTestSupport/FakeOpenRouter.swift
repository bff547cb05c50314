import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fake OpenRouter `/chat/completions` on 127.0.0.1, written on raw sockets so that a test
/// can inject what real servers do wrong: latency, 429s with and without `Retry-After`, 5xx,
/// hangs (timeouts), malformed and truncated bodies, errors inside 200 bodies, leading
/// whitespace, and server-sent event streams with `: OPENROUTER PROCESSING` comments and
/// mid-stream errors. It logs every request, so tests can prove nothing was sent twice.
///
/// Plain Foundation and sockets only (no JBCore), so the benchmark can build the same file
/// as a stand-alone server (`Tests/FakeOpenRouterServer`).
public final class FakeOpenRouter: @unchecked Sendable {
    /// One request as the server saw it.
    public struct Request: Sendable {
        /// Arrival time, seconds since the server started.
        public var time: Double
        public var model: String
        /// The last user message.
        public var prompt: String
        /// All messages' contents joined: identifies the question.
        public var content: String
        public var stream: Bool
        /// How many earlier requests had the same model and content (0 for the first).
        public var repeatIndex: Int
        public var authorization: String?
        /// The raw request body.
        public var body: [String: Any] { (try? JSONSerialization.jsonObject(with: bodyData)) as? [String: Any] ?? [:] }
        public var bodyData: Data
    }

    /// What to answer.
    public enum Reply: Sendable {
        /// A normal completion with `text`, after `leadingWhitespace` padding bytes.
        case answer(text: String, promptTokens: Int = 12, completionTokens: Int = 6, cost: Double? = 0.00002,
                    leadingWhitespace: Int = 0)
        /// Any status and body (`retryAfter` adds the header).
        case status(Int, body: String, retryAfter: String? = nil)
        /// A 200 whose body is these bytes (malformed JSON, an error object, …).
        case body200(String)
        /// Sends the head with a Content-Length larger than `body`, then closes.
        case truncated(String)
        /// Never answers (until the client gives up).
        case hang
        /// A server-sent event stream: each item is sent as is (give `data: …\n\n` or
        /// `: comment\n\n`), with `delayMs` between items; `close` ends without `[DONE]`.
        case sse([String], delayMs: Int = 0)
    }

    /// Decides each reply; the default answers every request.
    public typealias Behavior = @Sendable (Request) -> Reply

    private let listenFD: Int32
    /// The port listened on.
    public let port: Int
    /// `http://127.0.0.1:PORT/api/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/api/v1" }
    private let lock = NSLock()
    private var log: [Request] = []
    private var counts: [String: Int] = [:]
    private var stopped = false
    private let started = Date()
    /// Milliseconds to wait before each reply.
    public let latencyMs: Int
    private let behavior: Behavior
    private let keepLog: Bool
    private let inspect: Bool

    /// Starts listening on 127.0.0.1 (`port` 0 picks a free one). `inspect: false` (the
    /// throughput benchmark's server) does not decode request bodies: the behaviour then sees
    /// only `bodyData`, `time` and `authorization`, and `repeatIndex` is always 0.
    public init(port: Int = 0, latencyMs: Int = 0, keepLog: Bool = true, inspect: Bool = true, behavior: Behavior? = nil) throws {
        self.latencyMs = latencyMs
        self.keepLog = keepLog
        self.inspect = inspect
        self.behavior = behavior ?? { r in .answer(text: FakeOpenRouter.defaultAnswer(r)) }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 1024) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listenFD = fd
        self.port = Int(UInt16(bigEndian: addr.sin_port))
        let t = Thread { [self] in acceptLoop() }
        t.stackSize = 1 << 20
        t.start()
    }

    /// "What is <the clue's first capitalised word>?": a stable reply per question.
    public static func defaultAnswer(_ r: Request) -> String {
        let clue = r.prompt.components(separatedBy: "Clue: ").last ?? r.prompt
        let word = clue.split(separator: " ").first { $0.first?.isUppercase == true } ?? "that"
        return "What is \(word.trimmingCharacters(in: .punctuationCharacters))?"
    }

    /// Every request so far, in arrival order.
    public var requests: [Request] { lock.lock(); defer { lock.unlock() }; return log }

    /// Connections accepted so far (to show connection reuse).
    public var connectionCount: Int { lock.lock(); defer { lock.unlock() }; return connections }
    private var connections = 0

    /// Requests so far.
    public var requestCount: Int { lock.lock(); defer { lock.unlock() }; return counts.values.reduce(0, +) }

    /// Stops accepting connections.
    public func stop() {
        lock.lock()
        let was = stopped
        stopped = true
        lock.unlock()
        // Once only: a second close could hit a descriptor number since reused elsewhere.
        guard !was else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let c = accept(listenFD, nil, nil)
            if isStopped {
                if c >= 0 { close(c) }
                return
            }
            if c < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            connections += 1
            lock.unlock()
            var one: Int32 = 1
            setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let t = Thread { [self] in serve(c) }
            t.stackSize = 256 << 10
            t.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            // Read a head.
            var headEnd: Int?
            while headEnd == nil {
                if let r = FakeOpenRouter.find(buffer, [13, 10, 13, 10]) { headEnd = r; break }
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
            }
            let (length, auth) = FakeOpenRouter.headFields(buffer[0..<headEnd!])
            buffer.removeFirst(headEnd! + 4)
            while buffer.count < length {
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
            }
            let body = Data(buffer[0..<length])
            buffer.removeFirst(length)
            let request = record(body: body, authorization: auth)
            if latencyMs > 0 { usleep(useconds_t(latencyMs * 1000)) }
            if !respond(fd, behavior(request)) { return }
        }
    }

    private func record(body: Data, authorization: String?) -> Request {
        if !inspect {
            let r = Request(time: Date().timeIntervalSince(started), model: "", prompt: "", content: "", stream: false,
                            repeatIndex: 0, authorization: authorization, bodyData: body)
            lock.lock()
            counts["", default: 0] += 1
            if keepLog { log.append(r) }
            lock.unlock()
            return r
        }
        let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let messages = o["messages"] as? [[String: Any]] ?? []
        let contents = messages.map { ($0["content"] as? String) ?? "" }
        let prompt = Array(zip(messages, contents)).last { ($0.0["role"] as? String) == "user" }?.1 ?? ""
        let model = o["model"] as? String ?? ""
        let content = contents.joined(separator: "\u{1F}")
        lock.lock()
        defer { lock.unlock() }
        let id = model + "\u{1E}" + content
        let index = counts[id, default: 0]
        counts[id] = index + 1
        let r = Request(time: Date().timeIntervalSince(started), model: model, prompt: prompt, content: content,
                        stream: o["stream"] as? Bool ?? false, repeatIndex: index, authorization: authorization,
                        bodyData: body)
        if keepLog { log.append(r) }
        return r
    }

    /// Writes the reply; false when the connection must close.
    private func respond(_ fd: Int32, _ reply: Reply) -> Bool {
        switch reply {
        case .answer(let text, let p, let c, let cost, let pad):
            // Written by hand: JSONSerialization cost the benchmark server more CPU than the
            // client it measures.
            let now = Int(Date().timeIntervalSince1970)
            let json = "{\"id\":\"gen-\(now)-fake\",\"provider\":\"FakeProvider\",\"model\":\"fake\","
                + "\"object\":\"chat.completion\",\"created\":\(now),\"choices\":[{\"index\":0,\"logprobs\":null,"
                + "\"finish_reason\":\"stop\",\"native_finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\(FakeOpenRouter.jsonString(text)),\"refusal\":null,\"reasoning\":null}}],"
                + "\"usage\":{\"prompt_tokens\":\(p),\"completion_tokens\":\(c),\"total_tokens\":\(p + c)"
                + (cost.map { ",\"cost\":\($0)" } ?? "") + "}}"
            let padding = String(repeating: "\n         ", count: pad / 10 + (pad > 0 ? 1 : 0)).prefix(pad)
            return send(fd, status: 200, headers: [("Content-Type", "application/json")], body: Data((padding + json).utf8))
        case .status(let code, let body, let retryAfter):
            var h = [("Content-Type", "application/json")]
            if let retryAfter { h.append(("Retry-After", retryAfter)) }
            return send(fd, status: code, headers: h, body: Data(body.utf8))
        case .body200(let body):
            return send(fd, status: 200, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
        case .truncated(let body):
            let bytes = Array(body.utf8)
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count + 500)\r\n\r\n"
            _ = writeAll(fd, Array(head.utf8) + bytes)
            return false
        case .hang:
            var b = [UInt8](repeating: 0, count: 1024)
            // Wait until the client closes the connection (or the server stops).
            while read(fd, &b, b.count) > 0 {}
            return false
        case .sse(let items, let delay):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"
            guard writeAll(fd, Array(head.utf8)) else { return false }
            for item in items {
                if delay > 0 { usleep(useconds_t(delay * 1000)) }
                let bytes = Array(item.utf8)
                guard writeAll(fd, Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10]) else { return false }
            }
            return writeAll(fd, Array("0\r\n\r\n".utf8))
        }
    }

    private func send(_ fd: Int32, status: Int, headers: [(String, String)], body: Data) -> Bool {
        let reason = status == 200 ? "OK" : "Status"
        var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(body.count)\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        return writeAll(fd, Array(head.utf8) + Array(body))
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { b in write(fd, b.baseAddress! + off, b.count - off) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                return false
            }
            off += n
        }
        return true
    }

    /// `Content-Length` and `Authorization` from a request head (read as bytes: splitting
    /// the head as a `String` cost the benchmark server more than answering).
    static func headFields(_ head: ArraySlice<UInt8>) -> (length: Int, authorization: String?) {
        var length = 0
        var auth: String?
        var i = head.startIndex
        while i < head.endIndex {
            var end = i
            while end < head.endIndex && head[end] != 13 && head[end] != 10 { end += 1 }
            if let colon = head[i..<end].firstIndex(of: UInt8(ascii: ":")) {
                let name = String(decoding: head[i..<colon], as: UTF8.self).lowercased()
                var v = colon + 1
                while v < end && (head[v] == 32 || head[v] == 9) { v += 1 }
                let value = String(decoding: head[v..<end], as: UTF8.self)
                if name == "content-length" { length = Int(value) ?? 0 }
                if name == "authorization" { auth = value }
            }
            i = end
            while i < head.endIndex && (head[i] == 13 || head[i] == 10) { i += 1 }
        }
        return (length, auth)
    }

    /// `s` as a JSON string literal.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    static func find(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = 0
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && hay[i + 1] == needle[1] && hay[i + 2] == needle[2] && hay[i + 3] == needle[3] { return i }
            i += 1
        }
        return nil
    }

    /// The SSE items of a streamed answer: a comment first, `text` in two deltas with a
    /// comment between them, the finish chunk, a usage chunk and `[DONE]`.
    public static func sseAnswer(_ text: String, cost: Double = 0.00002, midStreamError: Bool = false) -> [String] {
        func data(_ o: [String: Any]) -> String {
            "data: " + String(decoding: (try? JSONSerialization.data(withJSONObject: o)) ?? Data(), as: UTF8.self) + "\n\n"
        }
        func chunk(_ content: String, finish: String? = nil) -> [String: Any] {
            ["id": "gen-1-fake", "provider": "FakeProvider", "model": "fake", "object": "chat.completion.chunk", "created": 1,
             "choices": [["index": 0, "delta": ["role": "assistant", "content": content],
                          "finish_reason": finish.map { $0 as Any } ?? NSNull()]]]
        }
        let half = text.index(text.startIndex, offsetBy: text.count / 2)
        var items = [": OPENROUTER PROCESSING\n\n", data(chunk(String(text[..<half])))]
        if midStreamError {
            var e = chunk("", finish: "error")
            e["error"] = ["code": 502, "message": "Upstream provider failed"]
            items.append(data(e))
            return items
        }
        items.append(": OPENROUTER PROCESSING\n\n")
        // One event split across two writes, as real streams do.
        let split = data(chunk(String(text[half...])))
        let cut = split.index(split.startIndex, offsetBy: split.count / 2)
        items.append(String(split[..<cut]))
        items.append(String(split[cut...]))
        items.append(data(chunk("", finish: "stop")))
        var usage = chunk("")
        usage["usage"] = ["prompt_tokens": 12, "completion_tokens": 6, "total_tokens": 18, "cost": cost]
        items.append(data(usage))
        items.append("data: [DONE]\n\n")
        return items
    }
}
