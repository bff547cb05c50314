import Foundation

/// Removes known secret values from text before it is printed or stored.
///
/// Secrets (API keys) are registered when configuration is loaded; every diagnostic and
/// every error message that could quote a request passes through `redact`.
public final class Redactor: @unchecked Sendable {
    /// The process-wide redactor.
    public static let shared = Redactor()
    private let lock = NSLock()
    private var secrets: [String] = []

    /// Creates an empty redactor (tests use their own).
    public init() {}

    /// Registers a secret; values shorter than 6 characters are ignored (too likely to
    /// match ordinary text, and too short to be a real key).
    public func register(_ secret: String) {
        let s = secret.trimmingASCIISpace()
        guard s.count >= 6 else { return }
        lock.lock()
        defer { lock.unlock() }
        if !secrets.contains(s) {
            secrets.append(s)
            secrets.sort { $0.count > $1.count }
        }
    }

    /// `text` with every registered secret replaced by `[REDACTED]`, and anything shaped
    /// like an OpenRouter key (`sk-or-…`) or a bearer token masked as well.
    public func redact(_ text: String) -> String {
        lock.lock()
        let current = secrets
        lock.unlock()
        var out = text
        for s in current where out.contains(s) {
            out = out.replacingOccurrences(of: s, with: "[REDACTED]")
        }
        // A password inside a URL (postgres://user:PASSWORD@host/db), whatever the scheme.
        if out.contains("://"), out.contains("@") {
            out = out.replacingOccurrences(of: #"(://[^/:@\s]*:)[^@/\s]+@"#, with: "$1[REDACTED]@", options: .regularExpression)
        }
        if out.contains("sk-") || out.range(of: "Bearer ", options: .caseInsensitive) != nil {
            out = out.replacingOccurrences(of: #"sk-[A-Za-z0-9_\-]{8,}"#, with: "[REDACTED]", options: .regularExpression)
            out = out.replacingOccurrences(of: #"(?i)(bearer\s+)[A-Za-z0-9_\-\.=]{8,}"#, with: "$1[REDACTED]", options: .regularExpression)
        }
        return out
    }

    /// Registers the values of variables whose names say they hold a secret (`…_KEY`,
    /// `…TOKEN…`, `…SECRET…`, `…PASSWORD…`) and the passwords inside URL-valued variables,
    /// so that no path that prints or stores text can reveal them.
    public func registerSecrets(fromVariables variables: [(String, String)]) {
        for (name, value) in variables {
            let n = name.uppercased()
            // Key-, token- and secret-named values count when they look like keys (long, no
            // spaces), so that e.g. a sort key `category` is not taken for a secret.
            let keyLike = value.count >= 16 && !value.contains(where: { $0 == " " || $0 == "\n" })
            if (n.hasSuffix("_KEY") || n.hasSuffix("APIKEY") || n.contains("TOKEN") || n.contains("SECRET")) && keyLike
                || n.contains("PASSWORD") || n.contains("PASSWD") {
                register(value)
            }
            if let scheme = value.range(of: "://"), let at = value.range(of: "@", range: scheme.upperBound..<value.endIndex),
               let colon = value.range(of: ":", range: scheme.upperBound..<at.lowerBound) {
                register(String(value[colon.upperBound..<at.lowerBound]))
            }
        }
    }

    /// How a secret is shown by `--print-config`: set or not, never its value.
    public static func mask(_ secret: String?) -> String {
        guard let s = secret, !s.isEmpty else { return "(not set)" }
        return "******** (set, \(s.count) characters)"
    }
}
