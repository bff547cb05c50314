import Foundation

/// A database named by a `postgres://` URL rather than a SQLite file, and how to show one
/// without its password.
///
/// jb accepts `postgres://` and `postgresql://` URLs (libpq's URI syntax) wherever a
/// database file is accepted; `postgres://` alone connects with libpq's `PG*` environment
/// variables (`PGHOST`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, …). A password in a URL is
/// never written anywhere: every message, record and log shows `redacted(_:)`.
public enum DatabaseURL {
    /// Whether `text` names a PostgreSQL database (`postgres://…` or `postgresql://…`).
    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.prefix(13).lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// `text` without the password of a `postgres://` URL (the `:password` of
    /// `user:password@`, and a `password=` parameter), so what is shown or recorded can
    /// still connect where libpq finds the password itself (`PGPASSWORD`, `~/.pgpass`).
    /// Any other text is returned unchanged.
    public static func redacted(_ text: String) -> String {
        guard isPostgres(text), let schemeEnd = text.range(of: "://") else { return text }
        let scheme = text[..<schemeEnd.upperBound]
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                authority = String(userInfo[..<colon]) + String(authority[at...])
            }
        }
        var tail = String(rest[authorityEnd...])
        if let q = tail.firstIndex(of: "?") {
            let path = tail[..<q]
            let kept = tail[tail.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false)
                .filter { !$0.lowercased().hasPrefix("password=") }
            tail = String(path) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        }
        return String(scheme) + authority + tail
    }

    /// `text` with every `postgres://` URL inside it (`sink.db=postgres://…`, say) redacted.
    public static func redactedWithin(_ text: String) -> String {
        guard text.range(of: "postgres", options: .caseInsensitive) != nil else { return text }
        var out = ""
        var rest = Substring(text)
        while let r = rest.range(of: "postgres", options: .caseInsensitive) {
            out += rest[..<r.lowerBound]
            let token = rest[r.lowerBound...].prefix { !$0.isWhitespace }
            out += redacted(String(token))
            rest = rest[token.endIndex...]
        }
        return out + rest
    }

    /// Registers the password of every `postgres://` URL in the command line and in the
    /// variables that may hold one, so no message can show it.
    public static func registerSecrets(with redactor: Redactor,
                                       arguments: [String] = CommandLine.arguments,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) {
        var texts = arguments
        for (name, value) in environment where name.hasPrefix("JB_") || name == "DATABASE_URL" { texts.append(value) }
        if let pw = environment["PGPASSWORD"] { redactor.register(pw) }
        for text in texts {
            var rest = Substring(text)
            while let r = rest.range(of: "postgres", options: .caseInsensitive) {
                let candidate = rest[r.lowerBound...].prefix { !$0.isWhitespace }
                for secret in secrets(of: String(candidate)) { redactor.register(secret) }
                rest = rest[r.upperBound...]
            }
        }
    }

    /// `message` with every password of `url` replaced by `***` (for errors that might
    /// quote the connection string).
    public static func scrub(_ message: String, url: String) -> String {
        var out = message
        for secret in secrets(of: url) where !secret.isEmpty { out = out.replacingAll(secret, with: "***") }
        return out
    }

    /// The password a `postgres://` URL carries (of `user:password@`, else of a `password=`
    /// parameter), percent-decoded as libpq reads it; nil when it has none.
    public static func password(of url: String) -> String? {
        guard isPostgres(url), let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            let password = authority[authority.index(after: colon)..<at]
            if !password.isEmpty { return String(password).removingPercentEncoding ?? String(password) }
        }
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, parts[0].lowercased() == "password", !parts[1].isEmpty {
                    return String(parts[1]).removingPercentEncoding ?? String(parts[1])
                }
            }
        }
        return nil
    }

    /// The passwords a URL carries, as written (percent-encoded or not).
    static func secrets(of url: String) -> [String] {
        guard isPostgres(url), let schemeEnd = url.range(of: "://") else { return [] }
        var found: [String] = []
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                let password = String(userInfo[userInfo.index(after: colon)...])
                if !password.isEmpty { found.append(password) }
            }
        }
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, parts[0].lowercased() == "password", !parts[1].isEmpty {
                    found.append(String(parts[1]))
                }
            }
        }
        // Longest first, so a password containing another is replaced whole.
        return found.sorted { $0.count > $1.count }
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (no Foundation needed).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let r = rest.range(of: target) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        result += rest
        return result
    }
}
