import JBCore

/// jb-store's settings, each declared once: flag, config key, environment variable, default,
/// help and the values it accepts.
public enum StoreSetting {
    public static let busyTimeout = Setting<Double>(
        "store.busy_timeout", flag: "busy-timeout", default: 5, in: 0...86_400,
        help: "Seconds to wait for another writer's lock (default {default}).")
    public static let batchSize = Setting<Int>(
        "store.batch_size", flag: "batch-size", default: 10_000, in: 1...10_000_000,
        help: "Records per transaction (default {default}).")
    public static let commitInterval = Setting<Double>(
        "store.commit_interval", flag: "commit-interval", default: 2, in: 0...86_400,
        help: "Commit a partial batch once it is this many seconds old (default {default}); it is also committed whenever the input pauses.")

    /// The settings every subcommand reads, and those `load` adds.
    public static let database: [any AnySetting] = [busyTimeout]
    public static let load: [any AnySetting] = [busyTimeout, batchSize, commitInterval]
}
