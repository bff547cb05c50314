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
        if out.contains("sk-") || out.range(of: "Bearer ", options: .caseInsensitive) != nil {
            out = out.replacingOccurrences(of: #"sk-[A-Za-z0-9_\-]{8,}"#, with: "[REDACTED]", options: .regularExpression)
            out = out.replacingOccurrences(of: #"(?i)(bearer\s+)[A-Za-z0-9_\-\.=]{8,}"#, with: "$1[REDACTED]", options: .regularExpression)
        }
        return out
    }

    /// How a secret is shown by `--print-config`: set or not, never its value.
    public static func mask(_ secret: String?) -> String {
        guard let s = secret, !s.isEmpty else { return "(not set)" }
        return "******** (set, \(s.count) characters)"
    }
}
