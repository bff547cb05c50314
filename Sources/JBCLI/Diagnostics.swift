import Foundation
import JBCore

#if canImport(Glibc)
import Glibc
#endif

/// How much a tool says on stderr.
public enum Verbosity: Int, Sendable, Comparable {
    case quiet = 0, normal = 1, verbose = 2
    public static func < (a: Verbosity, b: Verbosity) -> Bool { a.rawValue < b.rawValue }
}

/// Writes one-line diagnostics to stderr: `jb-tool: file:line: error: message`.
///
/// stdout carries data only; everything a person should read goes through here. Colour is
/// used only when stderr is a terminal and `NO_COLOR` is unset. Every message passes through
/// the secret redactor, so a key can never leak into a log line.
public final class Diagnostics: @unchecked Sendable {
    /// The tool's name, e.g. `jb-ingest`.
    public let tool: String
    /// How much to say.
    public let verbosity: Verbosity
    /// Whether to colour the severity word.
    public let color: Bool
    /// Whether stderr is a terminal (progress lines are drawn only there).
    public let isTTY: Bool
    private let lock = NSLock()
    private var progressShown = false
    /// Errors reported so far (for summaries).
    public private(set) var errorCount = 0

    /// Creates diagnostics for `tool`.
    public init(tool: String, verbosity: Verbosity = .normal,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.tool = tool
        self.verbosity = verbosity
        let tty = isatty(2) == 1
        isTTY = tty
        color = Diagnostics.useColor(isTTY: tty, environment: environment)
    }

    /// Colour only on a terminal, never with `NO_COLOR` set (any value), nor with `TERM=dumb`.
    public static func useColor(isTTY: Bool, environment: [String: String]) -> Bool {
        guard isTTY else { return false }
        if environment["NO_COLOR"] != nil { return false }
        if environment["TERM"] == "dumb" { return false }
        return true
    }

    /// Reports an error (always shown, even with `--quiet`).
    public func error(_ error: JBError) {
        emit(severity: "error", code: "31", location: error.location, message: error.message, force: true)
    }

    /// Reports an error message at an optional location.
    public func error(_ message: String, at location: String? = nil) {
        emit(severity: "error", code: "31", location: location, message: message, force: true)
    }

    /// Reports a warning (hidden by `--quiet`).
    public func warning(_ message: String, at location: String? = nil) {
        guard verbosity >= .normal else { return }
        emit(severity: "warning", code: "33", location: location, message: message)
    }

    /// A normal informational line, such as the end-of-run summary (hidden by `--quiet`).
    public func info(_ message: String) {
        guard verbosity >= .normal else { return }
        emit(severity: nil, code: nil, location: nil, message: message)
    }

    /// Detail shown only with `--verbose`.
    public func verbose(_ message: String) {
        guard verbosity >= .verbose else { return }
        emit(severity: "note", code: "36", location: nil, message: message)
    }

    /// A transient progress line, redrawn in place; only on a terminal and not with `--quiet`.
    public func progress(_ message: String) {
        guard isTTY, verbosity >= .normal else { return }
        lock.lock()
        defer { lock.unlock() }
        progressShown = true
        writeStderr("\r\u{1B}[2K\(tool): \(TerminalText.safe(Redactor.shared.redact(message)))")
    }

    /// Clears the progress line, if one is shown.
    public func clearProgress() {
        lock.lock()
        defer { lock.unlock() }
        if progressShown {
            writeStderr("\r\u{1B}[2K")
            progressShown = false
        }
    }

    private func emit(severity: String?, code: String?, location: String?, message: String, force: Bool = false) {
        var line = "\(tool): "
        // Locations and messages quote data (file names, model names, field values): made
        // safe for a terminal here, once, for every tool.
        if let location { line += "\(TerminalText.safe(location)): " }
        if let severity {
            if color, let code {
                line += "\u{1B}[1;\(code)m\(severity):\u{1B}[0m "
            } else {
                line += "\(severity): "
            }
        }
        // One line, always: embedded newlines would break `file:line:` parsing.
        line += TerminalText.safe(message)
        line = Redactor.shared.redact(line) + "\n"
        lock.lock()
        defer { lock.unlock() }
        if progressShown {
            writeStderr("\r\u{1B}[2K")
            progressShown = false
        }
        if severity == "error" { errorCount += 1 }
        writeStderr(line)
    }

    private func writeStderr(_ text: String) {
        var t = text
        t.withUTF8 { b in
            var off = 0
            while off < b.count {
                let n = write(2, b.baseAddress! + off, b.count - off)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                off += n
            }
        }
    }
}
