import CJBBuildInfo

/// jb's version, shown by every tool's `--version` and recorded in run files: the release
/// and the git commit the build came from (`scripts/build-info.sh`, run by `make`, records it).
public enum JBVersion {
    /// The release version.
    public static let release = "0.1.0"
    /// The commit built (12 hex digits, `-dirty` for uncommitted changes); nil when the build
    /// did not record one (a plain `swift build`, or no git).
    public static let commit: String? = {
        let c = String(cString: jb_build_commit())
        return c.isEmpty ? nil : c
    }()
    /// `0.1.0 (commit a172cb95ec3a)`, or `0.1.0 (commit unknown)`.
    public static let string = release + " (commit " + (commit ?? "unknown") + ")"
}
