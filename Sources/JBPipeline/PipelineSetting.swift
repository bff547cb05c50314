import JBCore

/// `jb run`'s settings, each declared once: config key, environment variable, default and help.
public enum PipelineSetting {
    /// Where runs go: `DIR/NAME/ID` (no flag: `--out` names one run's folder).
    public static let runsDir = Setting<String>("pipeline.runs_dir", default: "runs", help: "where runs go: DIR/NAME/ID")

    /// Every setting `jb run` reads, in `--print-config` order.
    public static let all: [any AnySetting] = [runsDir]
}
