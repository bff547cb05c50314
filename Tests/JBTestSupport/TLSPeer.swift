import Foundation

/// An HTTPS server on 127.0.0.1 with a self-signed certificate made for the test: Python's
/// `http.server` behind its `ssl` module, the certificate from the `openssl` command. It
/// answers any POST with an OpenAI-style chat completion and any GET with `hello over TLS`
/// (a GET of `/slow` after 3 s).
/// Only on machines with both `python3` and `openssl` (`TLSPeer.available`).
public final class TLSPeer: @unchecked Sendable {
    /// `https://127.0.0.1:PORT`.
    public let baseURL: String
    /// The server's certificate (PEM), to trust it.
    public let certificate: String
    private let process: Process
    private let control = Pipe()

    /// True when `python3` and `openssl` can be run.
    public static let available: Bool = ["python3", "openssl"].allSatisfy { tool in
        (try? run("/usr/bin/env", [tool, tool == "python3" ? "--version" : "version"]).status) == 0
    }

    private static let script = """
        import http.server, json, os, ssl, sys, threading, time
        def exit_when_stdin_closes():
            sys.stdin.read()
            os._exit(0)
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def reply(self, body, kind):
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def do_GET(self):
                if self.path.startswith("/slow"):
                    time.sleep(3)
                self.reply(b"hello over TLS", "text/plain")
            def do_POST(self):
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                answer = {"id": "gen-tls", "model": request.get("model"), "choices": [{"index": 0,
                          "finish_reason": "stop", "message": {"role": "assistant", "content": "What is TLS?"}}],
                          "usage": {"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16, "cost": 0.00002}}
                self.reply(json.dumps(answer).encode(), "application/json")
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer.request_queue_size = 256
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    /// Makes a certificate for 127.0.0.1 and starts the server.
    public init() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let made = try TLSPeer.run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                                                    "-addext", "subjectAltName=IP:127.0.0.1"])
        guard made.status == 0 else { throw TLSPeerError(message: "openssl req failed: \(made.output)") }
        let scriptURL = dir.appendingPathComponent("server.py")
        try Data(TLSPeer.script.utf8).write(to: scriptURL)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", scriptURL.path, cert, key]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = control
        try p.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            try? control.fileHandleForWriting.close()
            throw TLSPeerError(message: "the TLS server did not start")
        }
        process = p
        certificate = cert
        baseURL = "https://127.0.0.1:\(port)"
    }

    /// Stops the server: it exits when its stdin closes, so it goes too when the test process
    /// dies. (No `waitUntilExit`: that spins on a thread of Swift's task pool.)
    public func stop() {
        try? control.fileHandleForWriting.close()
    }

    deinit { stop() }

    private static func run(_ exe: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

struct TLSPeerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
