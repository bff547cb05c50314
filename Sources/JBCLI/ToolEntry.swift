import ArgumentParser
import Foundation
import JBCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every tool's entry point: guards the standard descriptors, parses the command line and
/// reports a bad one as one line naming the tool (`jb-query: error: --concurrency -1: …`)
/// with status 64, instead of argument-parser's bare multi-line `Error:` text.
public enum ToolEntry {
    /// Runs a synchronous command (and its subcommands).
    public static func run<C: ParsableCommand>(_ type: C.Type, arguments: [String]? = nil) -> Never {
        StandardStreams.reopenClosed()
        let args = arguments ?? Array(CommandLine.arguments.dropFirst())
        do {
            var command = try C.parseAsRoot(args)
            try command.run()
            exit(0)
        } catch {
            fail(type, error: error, arguments: args)
        }
    }

    /// Runs an async command (whose subcommands may be synchronous).
    public static func runAsync<C: AsyncParsableCommand>(_ type: C.Type, arguments: [String]? = nil) async -> Never {
        StandardStreams.reopenClosed()
        let args = arguments ?? Array(CommandLine.arguments.dropFirst())
        do {
            var command = try C.parseAsRoot(args)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            fail(type, error: error, arguments: args)
        }
    }

    /// Prints help (stdout) or the one-line error (stderr) for `error`, and exits.
    static func fail<C: ParsableCommand>(_ type: C.Type, error: Error, arguments: [String]) -> Never {
        if let code = error as? ExitCode { exit(code.rawValue) }
        let status = C.exitCode(for: error)
        let text = C.fullMessage(for: error)
        if status == .success {
            if !text.isEmpty { try? StandardOutput.write(text + "\n") }
            exit(0)
        }
        let tool = C.configuration.commandName ?? "jb"
        let line = usageLine(text, arguments: arguments, tool: tool)
        Diagnostics(tool: tool).error(line)
        exit(status.rawValue == 1 ? ExitStatus.usage.rawValue : status.rawValue)
    }

    /// The first line of argument-parser's message, without its `Error: ` prefix, with what
    /// to do; a negative number given to a flag (which the parser takes for another flag and
    /// reports as a missing value) is named as such.
    static func usageLine(_ text: String, arguments: [String], tool: String) -> String {
        var first = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "bad command line"
        if first.hasPrefix("Error: ") { first.removeFirst(7) }
        if first.hasPrefix("Missing value for '"), let flag = first.dropFirst(19).split(separator: " ").first
            .map({ String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'")) }),
           let k = arguments.firstIndex(of: flag), k + 1 < arguments.count,
           arguments[k + 1].count > 1, arguments[k + 1].hasPrefix("-"),
           let c = arguments[k + 1].dropFirst().first, c.isNumber || c == "." {
            return "\(flag) \(arguments[k + 1]): a negative number is not accepted here (see '\(tool) --help')"
        }
        return first + " (see '\(tool) --help')"
    }
}
