import JBCore

/// jb-report's settings, each declared once: flag, config key, environment variable, default,
/// help and the values it accepts.
public enum ReportSetting {
    public static let format = Setting<String?>(
        "report.format", flag: "format", short: "f", default: nil,
        help: "terminal, markdown, csv, json or html (default: terminal on a terminal, else from -o's extension, else markdown).")
    public static let title = Setting<String>(
        "report.title", flag: "title", default: "jb report", help: "The report's title (default \"{default}\").")
    public static let top = Setting<Int>(
        "report.top", flag: "top", default: 20, in: 0...1_000_000,
        help: "Groups shown per breakdown, largest first; 0 shows all (default {default}).")
    public static let examples = Setting<Int>(
        "report.examples", flag: "examples", default: 5, in: 0...1_000_000,
        help: "Sample misses and flips shown per model (default {default}).")

    /// Every setting jb-report reads, in `--print-config` order.
    public static let all: [any AnySetting] = [format, title, top, examples]
}

extension Reporter.Settings {
    /// Options with the title, top and examples the settings in `source` give.
    public init(_ source: some SettingSource) throws {
        self.init()
        title = try source.value(ReportSetting.title)
        top = try source.value(ReportSetting.top)
        examples = try source.value(ReportSetting.examples)
    }
}
