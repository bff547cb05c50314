import Foundation
import JBCore

/// Which questions are eligible: round, air dates, category, board value, media, excluded ids.
/// Every condition that is set must hold.
public struct RecordFilter: Sendable {
    /// Why a record was left out, for the plan on stderr.
    public enum Reason: String, Sendable, CaseIterable, Comparable {
        case round = "--round"
        case date = "--from/--to"
        case category = "--category"
        case value = "--min-value/--max-value"
        case media = "--no-media"
        case excluded = "--exclude-ids"

        public static func < (a: Reason, b: Reason) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// Canonical round names to keep (nil: any round).
    public var rounds: Set<String>?
    /// Keep air dates from this `YYYY[-MM[-DD]]` on, inclusive.
    public var from: String?
    /// Keep air dates up to this `YYYY[-MM[-DD]]`, inclusive.
    public var to: String?
    /// A regular expression the category must match (anywhere, ignoring case).
    public var categoryPattern: String?
    /// The smallest board value to keep.
    public var minValue: Int?
    /// The largest board value to keep.
    public var maxValue: Int?
    /// Drop clues that need a picture, audio or video.
    public var noMedia = false

    public init() {}

    /// Parses `--round R[,R…]`; every name `Round(parsing:)` knows is accepted.
    public static func parseRounds(_ text: String) throws -> Set<String> {
        var out: Set<String> = []
        for part in text.split(separator: ",") {
            guard let r = Round(parsing: String(part)) else {
                let names = Round.allCases.map(\.rawValue).joined(separator: ", ")
                throw JBError.usage("--round \"\(part)\": unknown round (expected one of \(names), or J, DJ, FJ)")
            }
            out.insert(r.rawValue)
        }
        guard !out.isEmpty else { throw JBError.usage("--round: expected a round name") }
        return out
    }

    /// Checks a `--from`/`--to` date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public static func checkDate(_ text: String, flag: String) throws -> String {
        let u = Array(text.utf8)
        func digits(_ r: Range<Int>) -> Bool { r.allSatisfy { u[$0] >= 0x30 && u[$0] <= 0x39 } }
        let ok: Bool
        switch u.count {
        case 4: ok = digits(0..<4)
        case 7: ok = digits(0..<4) && u[4] == 0x2D && digits(5..<7)
        case 10: ok = digits(0..<4) && u[4] == 0x2D && digits(5..<7) && u[7] == 0x2D && digits(8..<10)
        default: ok = false
        }
        guard ok else { throw JBError.usage("\(flag) \"\(text)\": expected a date YYYY-MM-DD (or YYYY-MM, YYYY)") }
        // The shape alone lets 2020-13-45 through, which matches nothing: a real calendar
        // date is required.
        func number(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(u[$1] - 0x30) } }
        if u.count >= 7 {
            let year = number(0..<4), month = number(5..<7)
            guard (1...12).contains(month) else {
                throw JBError.usage("\(flag) \"\(text)\": month \(month) does not exist (expected 01 to 12)")
            }
            if u.count == 10 {
                let day = number(8..<10)
                let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
                let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
                guard (1...days).contains(day) else {
                    throw JBError.usage("\(flag) \"\(text)\": day \(day) does not exist in that month (expected 01 to \(days))")
                }
            }
        }
        return text
    }

    /// Compiles the category pattern; a bad pattern is a usage error.
    func compiledCategory() throws -> NSRegularExpression? {
        guard let categoryPattern else { return nil }
        do {
            return try NSRegularExpression(pattern: categoryPattern, options: [.caseInsensitive])
        } catch {
            throw JBError.usage("--category \"\(categoryPattern)\": not a valid regular expression")
        }
    }

    /// Why `q` is left out, or nil when it is eligible.
    func reject(_ q: Question, category regex: NSRegularExpression?) -> Reason? {
        if let rounds {
            let canonical = Round(parsing: q.round)?.rawValue ?? q.round
            if !rounds.contains(canonical) { return .round }
        }
        if from != nil || to != nil {
            guard let date = q.airDate else { return .date }
            if let from, date.prefix(from.utf8.count) < from { return .date }
            if let to, date.prefix(to.utf8.count) > to { return .date }
        }
        if let regex {
            let range = NSRange(q.category.startIndex..., in: q.category)
            if regex.firstMatch(in: q.category, options: [], range: range) == nil { return .category }
        }
        if minValue != nil || maxValue != nil {
            guard let v = q.value else { return .value }
            if let minValue, v < minValue { return .value }
            if let maxValue, v > maxValue { return .value }
        }
        if noMedia && q.media { return .media }
        return nil
    }
}

/// Ids to leave out, read from a file: one id per line, or JSON Lines records with an `id`
/// field (so a previous sample or a few-shot pool can be passed as it is). Blank lines and
/// lines starting with `#` are skipped; gzip is read transparently.
public enum ExcludeList {
    /// The ids in `path`.
    public static func load(path: String) throws -> Set<String> {
        let reader = try LineReader(path: path)
        var ids: Set<String> = []
        while let line = try reader.nextString() {
            let text = line.trimmingASCIISpace()
            if text.isEmpty || text.hasPrefix("#") { continue }
            if text.hasPrefix("{") {
                let value: JSON
                do {
                    value = try JSONParser.parse(text)
                } catch {
                    throw JBError.badRecord(source: reader.name, line: reader.lineNumber,
                                            message: JSONLine.invalid(error))
                }
                guard case .string(let id)? = value.objectValue?["id"] else {
                    throw JBError.badRecord(source: reader.name, line: reader.lineNumber,
                                            message: "missing field \"id\" (expected an id per line or records with an \"id\")")
                }
                ids.insert(id)
            } else {
                ids.insert(text)
            }
        }
        return ids
    }
}
