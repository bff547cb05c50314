import JBCore

/// jb-ingest's settings, each declared once: flag, config key, environment variable, default
/// and help. The Kaggle credentials are the shared `kaggle.username` and `kaggle.key` (JBCLI's
/// `CommonSetting`).
public enum IngestSetting {
    public static let kaggleBaseURL = Setting<String>(
        "kaggle.base_url", flag: "base-url", default: KaggleDataset.defaultBaseURL, help: "Kaggle API base URL.", valueName: "url")
}
