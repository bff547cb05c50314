import JBCore

/// jb-sample's settings, each declared once: flag, config key, environment variable, default
/// and help. (Its sizing and filter flags are per run, not settings.)
public enum SampleSetting {
    /// Shared `--seed` flag (JBCLI's `SeedOptions`), read under jb-sample's own key.
    public static let seed = Setting<UInt64>("sample.seed", flag: "seed", default: 0, help: "seed of every random choice")

    /// Every setting jb-sample reads, in `--print-config` order.
    public static let all: [any AnySetting] = [seed]
}
