/// jb's version, shown by every tool's `--version` and recorded in run files.
public enum JBVersion {
    /// The release version.
    public static let string = "0.1.0"
}
