import ArgumentParser
import Foundation
import JBCore

/// Runs a tool's body with jb's shared error handling: a `JBError` becomes one stderr line
/// and its documented exit status; anything else is reported as a bug (status 70).
public enum ToolMain {
    /// Loads the settings `declared` (with the values `given` as flags), handles `--print-config`, runs `body`, and maps errors to exit codes.
    public static func run(tool: String, common: CommonOptions, settings declared: [any AnySetting] = [],
                           given: [(key: String, text: String?)] = [],
                           _ body: (Settings, Diagnostics) throws -> Void) throws {
        DatabaseURL.registerSecrets(with: Redactor.shared)
        let diagnostics = Diagnostics(tool: tool, verbosity: common.verbosity)
        do {
            let settings = try Settings.load(declared, flags: Dictionary(given.map { ($0.key, $0.text) }, uniquingKeysWith: { a, _ in a }))
            if common.printConfig {
                try StandardOutput.write(settings.printable())
                return
            }
            try body(settings, diagnostics)
        } catch {
            throw exit(for: error, diagnostics: diagnostics)
        }
    }

    /// The async form, for tools that do network I/O.
    public static func run(tool: String, common: CommonOptions, settings declared: [any AnySetting] = [],
                           given: [(key: String, text: String?)] = [],
                           _ body: (Settings, Diagnostics) async throws -> Void) async throws {
        DatabaseURL.registerSecrets(with: Redactor.shared)
        let diagnostics = Diagnostics(tool: tool, verbosity: common.verbosity)
        do {
            let settings = try Settings.load(declared, flags: Dictionary(given.map { ($0.key, $0.text) }, uniquingKeysWith: { a, _ in a }))
            if common.printConfig {
                try StandardOutput.write(settings.printable())
                return
            }
            try await body(settings, diagnostics)
        } catch {
            throw exit(for: error, diagnostics: diagnostics)
        }
    }

    /// Reports `error` and returns the `ExitCode` to throw.
    public static func exit(for error: Error, diagnostics: Diagnostics) -> Error {
        diagnostics.clearProgress()
        switch error {
        case let e as JBError:
            if case .failed(let m) = e, m.isEmpty { return ExitCode(e.status.rawValue) }
            diagnostics.error(ToolMain.withRunHint(e))
            return ExitCode(e.status.rawValue)
        case let e as ExitCode:
            return e
        case is CancellationError:
            diagnostics.error("interrupted")
            return ExitCode(ExitStatus.interrupted.rawValue)
        default:
            diagnostics.error("internal error: \(error)")
            return ExitCode(ExitStatus.software.rawValue)
        }
    }
}

extension ToolMain {
    /// Inside `jb run` (`JB_RUN_DIR` set), a failed write says how to go on: the run folder
    /// is resumed, whatever the stage's own flags would suggest.
    static func withRunHint(_ e: JBError, environment: [String: String] = ProcessInfo.processInfo.environment) -> JBError {
        guard let dir = environment["JB_RUN_DIR"], !dir.isEmpty else { return e }
        let hint = "; then continue with 'jb run --resume \(dir)'"
        switch e {
        case .io(let path, let reason) where !reason.contains("jb run --resume"):
            return .io(path: path, reason: reason + hint)
        case .cannotCreate(let path, let reason) where !reason.contains("jb run --resume"):
            return .cannotCreate(path: path, reason: reason + hint)
        default:
            return e
        }
    }
}

extension ExitCode {
    /// The exit code of a documented status.
    public init(_ status: ExitStatus) { self.init(status.rawValue) }
}
