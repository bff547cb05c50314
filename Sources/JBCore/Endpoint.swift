import Foundation

/// The one rule for "is this OpenRouter?", shared by jb-query, jb-grade's judge and jb-models:
/// the base URL's host is `openrouter.ai` or one of its subdomains. Where the URL came from
/// (`--base-url`, `OPENROUTER_BASE_URL`, config) does not matter.
public enum Endpoint {
    /// OpenRouter's API, the default base URL.
    public static let openRouterBaseURL = "https://openrouter.ai/api/v1"

    /// True when `baseURL` names OpenRouter.
    public static func isOpenRouter(_ baseURL: String) -> Bool {
        guard let host = URL(string: baseURL.trimmingCharacters(in: .whitespaces))?.host?.lowercased() else { return false }
        return host == "openrouter.ai" || host.hasSuffix(".openrouter.ai")
    }

    /// The base URL as compared and keyed: spaces and trailing slashes trimmed, scheme and
    /// host lower-cased (`HTTP://LocalHost:8080/v1/` and `http://localhost:8080/v1` are one).
    public static func normalized(_ baseURL: String) -> String {
        var base = baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        guard var parts = URLComponents(string: base) else { return base }
        parts.scheme = parts.scheme?.lowercased()
        parts.host = parts.host?.lowercased()
        return parts.string ?? base
    }
}

/// `n` and the noun in the right number: "1 model", "2 models", "1 reply", "0 replies".
public func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? singular : (plural ?? singular + "s"))
}
