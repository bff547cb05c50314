import JBCore

/// jb-models' settings, each declared once: flag, config key, environment variable, default,
/// help and the values it accepts. The endpoint and key are the shared `openrouter.base_url`
/// and `openrouter.api_key` (JBCLI's `CommonSetting`).
public enum ModelsSetting {
    public static let cacheDir = Setting<String?>(
        "models.cache_dir", flag: "cache-dir", default: nil,
        help: "Cache folder (default: $XDG_CACHE_HOME/jb, else ~/.cache/jb; config {key}).", valueName: "dir")
    /// Hours become integer nanoseconds further on: bounded so that they cannot overflow.
    public static let cacheTTLHours = Setting<Double>(
        "models.cache_ttl_hours", flag: "ttl", default: 24, in: 0...1_000_000,
        help: "Hours a cached catalogue stays fresh (default {default}; config {key}).", valueName: "hours",
        expected: "expected hours from 0 to 1000000")
    public static let offline = Setting<Bool>(
        "models.offline", flag: "offline", default: false,
        help: "Never use the network: the cache at any age, else the built-in catalogue.")
    public static let timeoutSeconds = Setting<Double>(
        "models.timeout_seconds", default: 20, help: "seconds before the API request is abandoned",
        expected: "expected seconds, more than 0 and at most 86400", accepts: { $0 > 0 && $0 <= 86_400 })
}
