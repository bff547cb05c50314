import Foundation

/// The times jb writes, in UTC, in one place: ISO 8601 with seconds (`2026-11-29T15:26:19Z`,
/// records and caches), with milliseconds (`jb run`'s log and run.json), and the compact
/// forms in run folder names (`20261129-152619`) and run ids (`20261129T152619Z`).
public enum Timestamp {
    /// `2026-11-29T15:26:19Z`, seconds rounded down. Built by hand: a formatter per record cost
    /// more CPU than the rest of the record.
    public static func format(_ date: Date) -> String {
        let t = fields(date)
        return "\(t.year)-\(t.month)-\(t.day)T\(t.hour):\(t.minute):\(t.second)Z"
    }

    /// `2026-11-29T15:26:19.123Z`.
    public static func formatMilliseconds(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// `20261129-152619` (a run folder's name).
    public static func compact(_ date: Date) -> String {
        let t = fields(date)
        return "\(t.year)\(t.month)\(t.day)-\(t.hour)\(t.minute)\(t.second)"
    }

    /// `20261129T152619Z` (a run id's time).
    public static func compactISO(_ date: Date) -> String {
        let t = fields(date)
        return "\(t.year)\(t.month)\(t.day)T\(t.hour)\(t.minute)\(t.second)Z"
    }

    /// An ISO 8601 time with or without fractional seconds (`2026-01-01T00:00:00Z`,
    /// `2026-01-01T00:00:00.5+01:00`); nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }

    /// The calendar fields in UTC, zero-padded (the year to four digits).
    static func fields(_ date: Date) -> (year: String, month: String, day: String, hour: String, minute: String, second: String) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        var t = time_t(Int(clampingRounded: seconds))
        var tm = tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return (pad(tm.tm_year + 1900, 4), pad(tm.tm_mon + 1, 2), pad(tm.tm_mday, 2),
                pad(tm.tm_hour, 2), pad(tm.tm_min, 2), pad(tm.tm_sec, 2))
    }
}
