import JBCore

/// jb-grade's settings, each declared once: flag, config key, environment variable, default,
/// help and the values it accepts. The judge's endpoint and key are the shared
/// `openrouter.base_url` and `openrouter.api_key` (JBCLI's `CommonSetting`).
public enum GradeSetting {
    public static let mode = Setting<GradeMode>(
        "grade.mode", flag: "mode", default: .lenient, help: "strict, lenient, jeopardy or adaptive (default {default}).",
        expected: "expected strict, lenient, jeopardy or adaptive")
    public static let lexicon = Setting<String>(
        "grade.lexicon", flag: "lexicon", default: "auto",
        help: "WordNet folder for aliases and real-word checks: auto, none or a path (default {default}).")
    public static let judge = Setting<String?>(
        "grade.judge", flag: "judge", default: nil, help: "Send grey-band cases to this judge model (sim/judge is built in).")
    public static let judgeBand = Setting<String>(
        "grade.judge_band", flag: "judge-band", default: "0.3:0.9", help: "Scores LOW:HIGH the rules cannot settle (default {default}).")
    public static let cacheDir = Setting<String?>(
        "grade.cache_dir", flag: "cache-dir", default: nil, help: "Folder of the judge verdict cache (default ~/.cache/jb).")
    /// Shared `--seed` flag (JBCLI's `SeedOptions`), read under jb-grade's own key.
    public static let seed = Setting<UInt64>(
        "grade.seed", flag: "seed", default: 0, help: "the simulated judge's noise seed", expected: "expected a non-negative integer")
}

extension GradeMode: SettingValue {
    public static func parse(settingText text: String) -> GradeMode? { GradeMode(rawValue: text) }
    public var settingText: String? { rawValue }
}
