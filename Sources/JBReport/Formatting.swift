import Foundation
import JBCore

/// How numbers are shown in human-readable reports. Every format uses these, so a number
/// reads the same in the terminal, Markdown and HTML.
public enum Formatting {
    /// A rate as a percentage with one decimal (`72.5%`), or `–` when unknown.
    public static func percent(_ value: Double?, decimals: Int = 1) -> String {
        guard let v = value, v.isFinite else { return "–" }
        let s = fixed(v * 100, decimals: decimals)
        return (s.hasPrefix("-") ? "−" + s.dropFirst() : s) + "%"
    }

    /// An interval of rates as percentages (`63.9–79.7`), or `–`.
    public static func interval(_ low: Double?, _ high: Double?, decimals: Int = 1) -> String {
        guard let l = low, let h = high, l.isFinite, h.isFinite else { return "–" }
        return fixed(l * 100, decimals: decimals) + "–" + fixed(h * 100, decimals: decimals)
    }

    /// A signed difference of rates in percentage points (`+4.2 pp`).
    public static func points(_ value: Double?, decimals: Int = 1) -> String {
        guard let v = value, v.isFinite else { return "–" }
        let s = fixed(abs(v) * 100, decimals: decimals)
        return (v < 0 && s != fixed(0, decimals: decimals) ? "−" : "+") + s + " pp"
    }

    /// A dollar score with thousands separators and a sign (`+$12,400`, `−$800`).
    public static func dollars(_ value: Double?) -> String {
        guard let v = value, v.isFinite else { return "–" }
        let whole = Int(clampingRounded: v)
        let sign = whole < 0 ? "−" : (whole > 0 ? "+" : "")
        return sign + "$" + grouped(whole.magnitude)
    }

    /// A cost in US dollars with precision that suits its size (`$0.0412`, `$3.27`); below a
    /// cent, two significant digits (`$0.0045`, `$0.000045`), so a small cost never reads `$0.0000`.
    public static func cost(_ value: Double?) -> String {
        guard let v = value, v.isFinite else { return "–" }
        if v == 0 { return "$0" }
        if abs(v) < 0.01 {
            // Decimals that show two significant digits: 0.0045 → 4, 0.000045 → 6 (at most 12).
            let decimals = min(12, max(4, Int((-log10(abs(v))).rounded(.down)) + 2))
            return "$" + fixed(v, decimals: decimals)
        }
        if abs(v) < 1 { return "$" + fixed(v, decimals: 3) }
        return "$" + fixed(v, decimals: 2)
    }

    /// A duration in milliseconds: `812 ms`, `12.3 s`.
    public static func milliseconds(_ value: Double?) -> String {
        guard let v = value, v.isFinite else { return "–" }
        if v >= 10_000 { return fixed(v / 1000, decimals: 1) + " s" }
        let whole = Int(clampingRounded: v)
        return (whole < 0 ? "-" : "") + grouped(whole.magnitude) + " ms"
    }

    /// A count with thousands separators.
    public static func count(_ value: Int?) -> String {
        guard let v = value else { return "–" }
        return (v < 0 ? "-" : "") + grouped(v.magnitude)
    }

    /// A plain number with up to `decimals` decimals (`0.183`), or `–`.
    public static func number(_ value: Double?, decimals: Int = 3) -> String {
        guard let v = value, v.isFinite else { return "–" }
        return fixed(v, decimals: decimals)
    }

    /// A p-value: three significant decimals, or `<0.001`.
    public static func pValue(_ value: Double?) -> String {
        guard let v = value, v.isFinite else { return "–" }
        if v < 0.001 { return "<0.001" }
        return fixed(v, decimals: 3)
    }

    /// `v` with exactly `decimals` decimals, locale-independent.
    public static func fixed(_ v: Double, decimals: Int) -> String {
        // Beyond 10^15 the digits say nothing and only widen the table: scientific form.
        if abs(v) >= 1e15 { return String(format: "%.3g", v) }
        let s = String(format: "%.\(decimals)f", v)
        return s == "-" + String(format: "%.\(decimals)f", 0.0) ? String(s.dropFirst()) : s
    }

    /// A non-negative integer with comma thousands separators.
    public static func grouped(_ v: UInt) -> String {
        let digits = String(v)
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
