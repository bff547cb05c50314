import Foundation

// Usage: fake-openrouter [--latency-ms N] [--port N]
// Prints "port N" on stdout, then serves until stdin closes.
@main
struct Server {
    static func main() throws {
        var latency = 0, port = 0
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let a = args.next() {
            switch a {
            case "--latency-ms": latency = Int(args.next() ?? "") ?? 0
            case "--port": port = Int(args.next() ?? "") ?? 0
            default:
                FileHandle.standardError.write(Data("fake-openrouter: unknown argument \(a)\n".utf8))
                exit(64)
            }
        }
        // Bodies are not decoded: this server measures clients, and must spend little CPU.
        let server = try FakeOpenRouter(port: port, latencyMs: latency, keepLog: false, inspect: false) { _ in
            .answer(text: "What is a benchmark?")
        }
        FileHandle.standardOutput.write(Data("port \(server.port)\n".utf8))
        while readLine() != nil {}
        server.stop()
    }
}
