import CJBCurl
import Foundation
import JBCore

#if !os(Linux)
#error("jb builds on Linux only: JBHTTP drives libcurl through epoll and eventfd")
#endif

/// Which certificate authorities HTTPS servers are checked against. Certificates are always
/// verified; nil fields mean libcurl's defaults (the system's CA bundle).
public struct TLSTrust: Sendable, Equatable {
    /// A PEM file of trusted CA certificates, used instead of the system bundle.
    public var caFile: String?
    /// A directory of hashed CA certificates (as `c_rehash` makes).
    public var caDirectory: String?

    public init(caFile: String? = nil, caDirectory: String? = nil) {
        self.caFile = caFile
        self.caDirectory = caDirectory
    }

    /// The system's defaults.
    public static let system = TLSTrust()

    /// `SSL_CERT_FILE` and `SSL_CERT_DIR` from the environment (OpenSSL's names, which libcurl
    /// itself ignores), for a proxy that re-signs traffic or a self-hosted server with a
    /// private CA; else the system's defaults.
    public static var fromEnvironment: TLSTrust {
        let env = ProcessInfo.processInfo.environment
        return TLSTrust(caFile: env["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 },
                        caDirectory: env["SSL_CERT_DIR"].flatMap { $0.isEmpty ? nil : $0 })
    }
}

/// jb's HTTP client: libcurl's multi interface driven by one thread of its own.
///
/// Every request of a client shares one curl multi handle, so connections are kept alive and
/// reused (HTTP/2 streams are multiplexed over one connection when the server offers it), at
/// most `maxConnections` per host. Callers' tasks never block: a request is handed to the
/// client's thread, which runs every transfer in one `curl_multi_poll` loop and resumes the
/// caller when its response (or, for streams, its head) is in. This costs a fraction of the
/// CPU per request of `URLSession`, which drives the same libcurl through several more layers
/// (figures in docs/http-client.md).
///
/// `HTTPRequestSpec.timeout` bounds the whole exchange, first byte to last.
public final class CurlHTTPClient: StreamingHTTPClient, @unchecked Sendable {
    private let engine: CurlEngine

    /// A client allowing `maxConnections` connections per host, trusting the certificates
    /// `trust` names (by default the system's, or those `SSL_CERT_FILE`/`SSL_CERT_DIR` name).
    public init(maxConnections: Int = 64, trust: TLSTrust = .fromEnvironment) {
        engine = CurlEngine(maxConnections: maxConnections, trust: trust)
    }

    deinit { engine.shutDown() }

    public var boundsWholeExchange: Bool { true }

    public func send(_ spec: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        let transfer = try CurlTransfer(spec: spec, streaming: false)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<HTTPResponseSpec, any Error>) in
                transfer.whole = c
                engine.submit(transfer)
            }
        } onCancel: {
            engine.cancel(transfer)
        }
    }

    public func stream(_ spec: HTTPRequestSpec) async throws -> HTTPStreamingResponse {
        let transfer = try CurlTransfer(spec: spec, streaming: true)
        let (body, bodyContinuation) = AsyncThrowingStream<Data, any Error>.makeStream(bufferingPolicy: .unbounded)
        transfer.body = bodyContinuation
        let engine = self.engine
        bodyContinuation.onTermination = { reason in
            if case .cancelled = reason { engine.cancel(transfer) }
        }
        return try await withTaskCancellationHandler {
            let head: (Int, [String: String]) = try await withCheckedThrowingContinuation { c in
                transfer.head = c
                engine.submit(transfer)
            }
            return HTTPStreamingResponse(status: head.0, headers: head.1, body: body)
        } onCancel: {
            engine.cancel(transfer)
        }
    }
}

/// One request: its curl options, what has arrived, and whom to tell.
final class CurlTransfer: @unchecked Sendable {
    let url: String
    /// Host and port, for messages (never the path or query: no key can leak through them).
    var place: String {
        guard let u = URL(string: url) else { return "server" }
        return "\(u.host ?? "server")\(u.port.map { ":\($0)" } ?? "")"
    }
    let method: String
    let headerLines: [String]
    let payload: [UInt8]?
    let timeoutMs: Int
    let streaming: Bool
    /// An https URL (so HTTP/2 may be offered during the handshake).
    let isTLS: Bool

    // Set before submission; touched afterwards only on the engine's thread.
    var whole: CheckedContinuation<HTTPResponseSpec, any Error>?
    var head: CheckedContinuation<(Int, [String: String]), any Error>?
    var body: AsyncThrowingStream<Data, any Error>.Continuation?

    // The engine's thread only.
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var status = 0
    var headers: [String: String] = [:]
    var received: [UInt8] = []
    var finished = false
    /// curl's own description of a failure (CURLOPT_ERRORBUFFER).
    let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(spec: HTTPRequestSpec, streaming: Bool) throws {
        let scheme = spec.url.prefix(8).lowercased()
        guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://") else {
            throw JBError.usage("not an http(s) URL: \(spec.url)")
        }
        url = spec.url
        isTLS = scheme.hasPrefix("https://")
        method = spec.method.uppercased()
        // "Expect:" stops curl from waiting for a 100 Continue before larger bodies.
        headerLines = spec.headers.map { "\($0.0): \($0.1)" } + ["Expect:"]
        payload = spec.body.map { Array($0) }
        timeoutMs = max(1, Int((spec.timeout * 1000).rounded(.up)))
        self.streaming = streaming
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit { errorText.deallocate() }

    /// A header line arrived (status lines and the blank line that ends a head included).
    func headerLine(_ bytes: UnsafeBufferPointer<UInt8>) {
        var end = bytes.count
        while end > 0 && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
        if end == 0 {
            // The head is complete. Informational (1xx) heads are followed by the real one.
            if streaming && status >= 200, let h = head {
                head = nil
                h.resume(returning: (status, headers))
            }
            return
        }
        if end > 5 && bytes[0] == UInt8(ascii: "H") && bytes[1] == UInt8(ascii: "T") && bytes[2] == UInt8(ascii: "T")
            && bytes[3] == UInt8(ascii: "P") && bytes[4] == UInt8(ascii: "/") {
            // A new head (after a 100 Continue or a redirect) replaces the last one.
            headers = [:]
            let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            return
        }
        guard let colon = bytes[0..<end].firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<colon]), as: UTF8.self).lowercased()
        var v = colon + 1
        while v < end && (bytes[v] == 0x20 || bytes[v] == 0x09) { v += 1 }
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[v..<end]), as: UTF8.self)
        if let old = headers[name] { headers[name] = old + ", " + value } else { headers[name] = value }
    }

    /// Body bytes arrived.
    func bodyBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        if streaming {
            body?.yield(Data(buffer: bytes))
        } else {
            received.append(contentsOf: bytes)
        }
    }

    /// Ends the request: exactly once, on the engine's thread.
    func finish(_ code: CURLcode) {
        guard !finished else { return }
        finished = true
        if code == CURLE_OK {
            if let whole {
                whole.resume(returning: HTTPResponseSpec(status: status, headers: headers, body: Data(received)))
            }
            head?.resume(throwing: JBError.unavailable("\(place): no response"))
            body?.finish()
        } else {
            fail(describe(code))
        }
        whole = nil
        head = nil
        body = nil
    }

    /// Ends the request with `error`: exactly once, on the engine's thread.
    func fail(_ error: any Error) {
        finished = true
        whole?.resume(throwing: error)
        head?.resume(throwing: error)
        body?.finish(throwing: error)
        whole = nil
        head = nil
        body = nil
    }

    private func describe(_ code: CURLcode) -> any Error {
        if code == CURLE_OPERATION_TIMEDOUT {
            let secs = Double(timeoutMs) / 1000
            let text = secs == secs.rounded() ? "\(Int(secs)) s" : String(format: "%.1f s", secs)
            return JBError.unavailable("\(place): timed out after \(text)")
        }
        let detail = String(cString: errorText)
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return JBError.untrusted("\(place): certificate not trusted (\(text)); SSL_CERT_FILE can name a CA bundle that holds its issuer")
        case CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE:
            return JBError.untrusted("\(place): cannot read the trusted certificates (\(text))")
        default:
            return JBError.unavailable("\(place): request failed (\(text))")
        }
    }
}

/// The thread that runs every transfer of a client through one curl multi handle, with
/// curl's socket interface on epoll: each wake-up touches only the connections that have
/// something to do (a `poll` over every connection cost more than the rest of a request).
final class CurlEngine: @unchecked Sendable {
    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private static let globalInit: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    private let multi: UnsafeMutableRawPointer
    private let epoll: Int32
    private let wakeFD: Int32
    private let lock = NSLock()
    private var commands: [Command] = []
    private var stopping = false
    /// True while the thread waits in epoll (only then does a new command need a wake-up).
    private var sleeping = false
    // The engine's thread only.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var idle: [UnsafeMutableRawPointer] = []
    /// When curl wants `socket_action(CURL_SOCKET_TIMEOUT)`; nil for no timer.
    fileprivate var timerDeadline: ContinuousClock.Instant?

    private let trust: TLSTrust

    init(maxConnections: Int, trust: TLSTrust) {
        self.trust = trust
        _ = CurlEngine.globalInit
        multi = curl_multi_init()
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = jb_eventfd()
        _ = jb_epoll_watch(epoll, wakeFD, CURL_POLL_IN, 0)
        _ = jb_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, maxConnections))
        _ = jb_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(8, maxConnections))
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = jb_multi_setopt_socketfunction(multi, curlSocketCallback)
        _ = jb_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, me)
        _ = jb_multi_setopt_timerfunction(multi, curlTimerCallback)
        _ = jb_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, me)
        let thread = Thread { [self] in run() }
        thread.name = "jb-http"
        thread.stackSize = 1 << 20
        thread.start()
    }

    func submit(_ t: CurlTransfer) { post(.add(t)) }

    func cancel(_ t: CurlTransfer) { post(.cancel(t)) }

    /// Stops the thread once the requests in flight have ended (their callers keep waiting
    /// for them, and a streamed body may outlive the client).
    func shutDown() {
        lock.withLock { stopping = true }
        jb_eventfd_signal(wakeFD)
    }

    private func post(_ c: Command) {
        let wake = lock.withLock { () -> Bool in
            commands.append(c)
            let w = sleeping
            sleeping = false
            return w
        }
        if wake { jb_eventfd_signal(wakeFD) }
    }

    /// curl asks to watch (or stop watching) a socket.
    fileprivate func watch(_ fd: Int32, what: Int32, known: Bool) {
        _ = jb_epoll_watch(epoll, fd, what, known ? 1 : 0)
        if what != CURL_POLL_REMOVE && !known {
            curl_multi_assign(multi, fd, UnsafeMutableRawPointer(bitPattern: 1))
        }
    }

    private func run() {
        var running: Int32 = 0
        var cancelled = Set<ObjectIdentifier>()
        let capacity = 512
        let fds = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        let flags = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        defer { fds.deallocate(); flags.deallocate() }
        while true {
            let (batch, stop) = lock.withLock { () -> ([Command], Bool) in
                let b = commands
                commands.removeAll(keepingCapacity: true)
                return (b, stopping)
            }
            for command in batch {
                switch command {
                case .add(let t):
                    // A cancel can overtake its add (the caller was cancelled already).
                    if cancelled.remove(ObjectIdentifier(t)) != nil {
                        t.fail(CancellationError())
                    } else {
                        start(t)
                    }
                case .cancel(let t):
                    if let easy = t.easy {
                        if !t.finished { t.fail(CancellationError()) }
                        retire(easy)
                    } else if !t.finished {
                        cancelled.insert(ObjectIdentifier(t))
                    }
                }
            }
            // A client let go of stops its thread once its last request has ended.
            if stop && active.isEmpty { break }
            if let d = timerDeadline, d <= .now {
                timerDeadline = nil
                curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running)
            }
            collect()
            // Sleep until a socket is ready, curl's timer is due, or a command arrives.
            var timeout: Int32 = 1000
            if let d = timerDeadline {
                let left = d - .now
                timeout = left <= .zero ? 0 : Int32(min(1000, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1))
            }
            let mustSpin = lock.withLock { () -> Bool in
                if !commands.isEmpty { return true }
                sleeping = true
                return false
            }
            let n = mustSpin ? 0 : jb_epoll_wait(epoll, fds, flags, Int32(capacity), timeout)
            lock.withLock { sleeping = false }
            if n > 0 {
                for i in 0..<Int(n) {
                    if fds[i] == wakeFD {
                        jb_eventfd_drain(wakeFD)
                    } else {
                        curl_multi_socket_action(multi, fds[i], flags[i], &running)
                    }
                }
                collect()
            }
        }
        for (easy, t) in active {
            t.fail(CancellationError())
            retire(easy)
        }
        for easy in idle { curl_easy_cleanup(easy) }
        curl_multi_cleanup(multi)
        close(epoll)
        close(wakeFD)
    }

    /// Ends the transfers curl has finished.
    private func collect() {
        var left: Int32 = 0
        while let msg = curl_multi_info_read(multi, &left) {
            guard jb_msg_done(msg) != 0, let easy = jb_msg_easy(msg) else { continue }
            let code = jb_msg_result(msg)
            if let t = active[easy] { t.finish(code) }
            retire(easy)
        }
    }

    /// Configures a handle for `t` and hands it to curl.
    private func start(_ t: CurlTransfer) {
        guard let easy = idle.popLast() ?? curl_easy_init() else {
            t.fail(JBError.unavailable("\(t.place): cannot start a request (out of memory)"))
            return
        }
        t.easy = easy
        var list: UnsafeMutablePointer<curl_slist>?
        for line in t.headerLines { list = curl_slist_append(list, line) }
        t.headerList = list
        let me = Unmanaged.passUnretained(t).toOpaque()
        _ = jb_easy_setopt_ptr(easy, CURLOPT_URL, t.url)
        _ = jb_easy_setopt_ptr(easy, CURLOPT_HTTPHEADER, list)
        _ = jb_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = jb_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, t.timeoutMs)
        _ = jb_easy_setopt_ptr(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = jb_easy_setopt_ptr(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = jb_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, t.streaming ? 0 : 1)
        _ = jb_easy_setopt_long(easy, CURLOPT_MAXREDIRS, 10)
        // Over TLS, a new request waits for the handshake of a connection being opened to say
        // (by ALPN) whether it can carry one more HTTP/2 stream, rather than opening one of its
        // own: 64 requests in flight share one connection (more only past the server's stream
        // limit). Not over plain HTTP: there curl would learn it only from the first response,
        // and every other request would wait behind it.
        if t.isTLS { _ = jb_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1) }
        if let file = trust.caFile { _ = jb_easy_setopt_ptr(easy, CURLOPT_CAINFO, file) }
        if let directory = trust.caDirectory { _ = jb_easy_setopt_ptr(easy, CURLOPT_CAPATH, directory) }
        // Every encoding this libcurl can decode (gzip, br, zstd), decoded transparently.
        _ = jb_easy_setopt_ptr(easy, CURLOPT_ACCEPT_ENCODING, "")
        _ = jb_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, t.errorText)
        _ = jb_easy_setopt_write(easy, CURLOPT_WRITEFUNCTION, curlBodyCallback)
        _ = jb_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, me)
        _ = jb_easy_setopt_write(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        _ = jb_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, me)
        switch t.method {
        case "GET": _ = jb_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD": _ = jb_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        default:
            if t.method != "POST" { _ = jb_easy_setopt_ptr(easy, CURLOPT_CUSTOMREQUEST, t.method) }
        }
        if let payload = t.payload {
            _ = jb_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(payload.count))
            _ = payload.withUnsafeBytes { jb_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)) }
        } else if t.method == "POST" {
            _ = jb_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, 0)
            _ = jb_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, "")
        }
        active[easy] = t
        let added = curl_multi_add_handle(multi, easy)
        if added != CURLM_OK {
            t.fail(JBError.unavailable("\(t.place): cannot start a request (\(String(cString: curl_multi_strerror(added))))"))
            retire(easy)
        }
    }

    /// Takes a handle out of curl and keeps it for the next request.
    private func retire(_ easy: UnsafeMutableRawPointer) {
        guard let t = active.removeValue(forKey: easy) else { return }
        curl_multi_remove_handle(multi, easy)
        curl_easy_reset(easy)
        if let list = t.headerList { curl_slist_free_all(list) }
        t.headerList = nil
        t.easy = nil
        idle.append(easy)
    }
}

private let curlSocketCallback: curl_socket_callback = { _, fd, what, me, socketp in
    guard let me else { return 0 }
    Unmanaged<CurlEngine>.fromOpaque(me).takeUnretainedValue().watch(fd, what: what, known: socketp != nil)
    return 0
}

private let curlTimerCallback: curl_multi_timer_callback = { _, ms, me in
    guard let me else { return 0 }
    let engine = Unmanaged<CurlEngine>.fromOpaque(me).takeUnretainedValue()
    engine.timerDeadline = ms < 0 ? nil : ContinuousClock.now + .milliseconds(Int64(ms))
    return 0
}

/// Hands bytes curl delivered (`size * count` at `data`) to the transfer at `me`.
private func deliver(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ me: UnsafeMutableRawPointer?,
                     _ to: (CurlTransfer, UnsafeBufferPointer<UInt8>) -> Void) -> Int {
    let n = size * count
    guard let data, let me else { return n }
    to(Unmanaged<CurlTransfer>.fromOpaque(me).takeUnretainedValue(),
       UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: n))
    return n
}

private let curlBodyCallback: curl_write_callback = { deliver($0, $1, $2, $3) { $0.bodyBytes($1) } }

private let curlHeaderCallback: curl_write_callback = { deliver($0, $1, $2, $3) { $0.headerLine($1) } }
