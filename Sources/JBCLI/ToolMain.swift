import ArgumentParser
import Foundation
import JBCore

/// Runs a tool's body with jb's shared error handling: a `JBError` becomes one stderr line
/// and its documented exit status; anything else is reported as a bug (status 70).
public enum ToolMain {
    /// Loads settings, handles `--print-config`, runs `body`, and maps errors to exit codes.
    public static func run(tool: String, common: CommonOptions, keys: [ConfigKey] = [],
                           flags: [String: String?] = [:],
                           _ body: (Settings, Diagnostics) throws -> Void) throws {
        let diagnostics = Diagnostics(tool: tool, verbosity: common.verbosity)
        do {
            let settings = try Settings.load(keys: keys, flags: flags)
            if common.printConfig {
                FileHandle.standardOutput.write(Data(settings.printable().utf8))
                return
            }
            try body(settings, diagnostics)
        } catch {
            throw exit(for: error, diagnostics: diagnostics)
        }
    }

    /// The async form, for tools that do network I/O.
    public static func run(tool: String, common: CommonOptions, keys: [ConfigKey] = [],
                           flags: [String: String?] = [:],
                           _ body: (Settings, Diagnostics) async throws -> Void) async throws {
        let diagnostics = Diagnostics(tool: tool, verbosity: common.verbosity)
        do {
            let settings = try Settings.load(keys: keys, flags: flags)
            if common.printConfig {
                FileHandle.standardOutput.write(Data(settings.printable().utf8))
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
            diagnostics.error(e)
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

extension ExitCode {
    /// The exit code of a documented status.
    public init(_ status: ExitStatus) { self.init(status.rawValue) }
}
