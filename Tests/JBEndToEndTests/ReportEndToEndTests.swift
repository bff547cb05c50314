import Foundation
import JBTestSupport
import Testing

/// jb-report end to end: atomic `-o`, and the HTML report opened in a real headless
/// Chromium (installed from Debian's packages when missing and possible).
@Suite(.tools, .serialized) struct ReportEndToEndTests {
    static let fixtures = ToolRunner.packageRoot.appendingPathComponent("Tests/JBEndToEndTests/Golden/jb-report/fixtures")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    @Test func outputFileIsWrittenWholeAndReplaced() throws {
        let dir = ToolRunner.makeTemporaryDirectory()
        let target = dir.appendingPathComponent("report.md")
        try Data("old report\n".utf8).write(to: target)
        let r = try ToolRunner.run("jb-report", ["-o", target.path, Self.fixture("metrics.jsonl")])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.isEmpty)
        let text = try String(contentsOf: target, encoding: .utf8)
        #expect(text.hasPrefix("# jb report\n"), "the .md extension chooses markdown")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.md"])
    }

    @Test func anOutputInAMissingFolderIsAClearError() throws {
        let r = try ToolRunner.run("jb-report", ["-o", "/nonexistent-jb-dir/r.html", Self.fixture("metrics.jsonl")])
        #expect(r.status == 73)
        #expect(r.stderr == "jb-report: /nonexistent-jb-dir/r.html: error: cannot create: no such directory\n")
    }

    // MARK: the browser

    /// A headless Chromium, installed with apt-get when missing and we are root; nil (with
    /// the reason) when none can be had, or when `JB_NO_BROWSER=1` asks to skip.
    static let browser: (path: String?, why: String) = {
        func find() -> String? {
            let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
            for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
                for d in dirs where FileManager.default.isExecutableFile(atPath: d + "/" + name) { return d + "/" + name }
            }
            return nil
        }
        if ProcessInfo.processInfo.environment["JB_NO_BROWSER"] == "1" { return (nil, "JB_NO_BROWSER=1") }
        if let p = find() { return (p, "") }
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/apt-get") else {
            return (nil, "no Chromium on PATH, and not root with apt-get to install it")
        }
        FileHandle.standardError.write(Data("ReportEndToEndTests: installing chromium with apt-get…\n".utf8))
        for args in [["install", "-y", "chromium"], ["update"], ["install", "-y", "chromium"]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/apt-get")
            p.arguments = args
            p.environment = ["DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try? p.run()
            p.waitUntilExit()
            if let found = find() { return (found, "") }
        }
        return (nil, "apt-get could not install chromium")
    }()

    struct BrowserRun {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Console messages (errors, CSP violations) the page produced.
        var console: [String] { stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") } }
    }

    static func chromium(_ extra: [String], url: URL) throws -> BrowserRun {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser.path!)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                       "--enable-logging=stderr", "--v=0", "--user-data-dir=" + ToolRunner.makeTemporaryDirectory().path]
            + extra + [url.absoluteString]
        let dir = ToolRunner.makeTemporaryDirectory()
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // A browser that hangs must not hang the test run.
        let deadline = Date().addingTimeInterval(180)
        while p.isRunning && Date() < deadline { usleep(50_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            Issue.record("chromium did not finish within 180 s")
        }
        return BrowserRun(status: p.terminationStatus,
                          stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    static func requireBrowser() throws {
        if browser.path == nil {
            FileHandle.standardError.write(Data("skipping browser test: \(browser.why)\n".utf8))
            try Test.cancel("skipped: \(browser.why)")
        }
    }

    /// The width and height in a PNG's header.
    static func pngSize(_ data: Data) -> (Int, Int)? {
        let b = [UInt8](data.prefix(24))
        guard b.count == 24, b[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        func be(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        return (be(16), be(20))
    }

    @Test func theConsoleCheckCatchesAnError() throws {
        try Self.requireBrowser()
        // A page that breaks the rules the report keeps: the check must see it.
        let dir = ToolRunner.makeTemporaryDirectory()
        let page = dir.appendingPathComponent("bad.html")
        try Data("""
        <html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head>
        <body><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body></html>
        """.utf8).write(to: page)
        let run = try Self.chromium(["--dump-dom"], url: page)
        #expect(!run.console.isEmpty, "\(run.stderr)")
    }

    @Test func htmlReportRendersInABrowser() throws {
        try Self.requireBrowser()
        let dir = ToolRunner.makeTemporaryDirectory()
        let page = dir.appendingPathComponent("report.html")
        let r = try ToolRunner.run("jb-report", [
            "-o", page.path, "--graded", Self.fixture("graded.jsonl"),
            "--previous-graded", Self.fixture("previous-graded.jsonl"), "--run", Self.fixture("run.json"),
            Self.fixture("metrics.jsonl"),
        ])
        #expect(r.status == 0, "\(r)")

        let dom = try Self.chromium(["--dump-dom"], url: page)
        #expect(dom.status == 0, "\(dom.stderr)")
        #expect(dom.console.isEmpty, "console messages: \(dom.console)")
        for id in ["chart-accuracy", "chart-heatmap-0", "chart-heatmap-1", "chart-heatmap-2", "chart-calibration",
                   "chart-cost", "chart-latency", "chart-accuracy-narrow"] {
            #expect(dom.stdout.contains("<svg id=\"\(id)\""), "chart \(id) is missing from the rendered page")
        }
        #expect(dom.stdout.contains("<circle"))
        #expect(dom.stdout.contains("<rect"))
        // Hostile strings arrive as text: the browser built no script or img element from them.
        #expect(!dom.stdout.lowercased().contains("<script"))
        #expect(!dom.stdout.lowercased().contains("<img"))
        #expect(dom.stdout.contains("&lt;script&gt;alert(\"reply\")&lt;/script&gt;"))
        #expect(!dom.stdout.contains("sk-or-v1-0123456789abcdef"))

        let shots = ProcessInfo.processInfo.environment["JB_SCREENSHOT_DIR"].map { URL(fileURLWithPath: $0) } ?? dir
        for (name, width, height) in [("report-desktop.png", 1280, 2400), ("report-phone.png", 390, 2400)] {
            let png = shots.appendingPathComponent(name)
            let shot = try Self.chromium(["--window-size=\(width),\(height)", "--screenshot=" + png.path], url: page)
            #expect(shot.console.isEmpty, "console messages: \(shot.console)")
            let data = try Data(contentsOf: png)
            let size = Self.pngSize(data)
            #expect(size?.0 == width && size?.1 == height, "\(name): \(String(describing: size))")
            #expect(data.count > 20_000, "\(name) is suspiciously small (\(data.count) bytes)")
        }
    }
}
