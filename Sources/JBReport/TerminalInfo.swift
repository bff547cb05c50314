import Foundation
import JBCore

/// What the report needs to know about the terminal on stdout.
public struct TerminalInfo: Sendable {
    /// stdout is a terminal.
    public var isTTY: Bool
    /// Its width in columns: the terminal's, else `$COLUMNS`, else 80.
    public var width: Int

    /// The terminal on stdout now.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalInfo {
        let tty = isatty(1) == 1
        var size = winsize()
        if tty, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return TerminalInfo(isTTY: tty, width: Int(size.ws_col))
        }
        if let c = environment["COLUMNS"].flatMap(Int.init), c > 0 { return TerminalInfo(isTTY: tty, width: min(c, 100_000)) }
        return TerminalInfo(isTTY: tty, width: 80)
    }

    /// Whether to colour: `always`, `never`, or `auto` (a terminal, `NO_COLOR` unset, `TERM` not `dumb`).
    public static func useColor(_ mode: String, isTTY: Bool,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Bool {
        switch mode {
        case "always": return true
        case "never": return false
        case "auto": return isTTY && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        default: throw JBError.usage("--color \(mode): expected auto, always or never")
        }
    }
}
