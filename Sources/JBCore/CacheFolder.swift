import Foundation

/// Where jb keeps what it may throw away (the response cache, the judge cache, the model
/// catalogue, downloaded data sets): one rule for every tool.
public enum CacheFolder {
    /// `$XDG_CACHE_HOME/jb` when that is set and absolute (the XDG spec ignores a relative
    /// one), else `$HOME/.cache/jb`.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let x = environment["XDG_CACHE_HOME"], x.hasPrefix("/") { return x + "/jb" }
        return home(environment: environment) + "/.cache/jb"
    }

    /// `$HOME`, else the account's home folder.
    public static func home(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }
}
