import JBCore

/// Turns a raw row into a clean, validated question, or says why it cannot be one.
enum QuestionBuilder {
    /// A parsed dollar amount and whether it was written with a thousands separator.
    struct Dollars: Equatable {
        var amount: Int?
        var comma: Bool
    }

    /// Parses `$2,000`, `$1000`, `2000`, `None`, `null`, `` (empty), `0`; nil means unparseable.
    static func parseDollars(_ b: ArraySlice<UInt8>?) -> Dollars? {
        guard let b else { return Dollars(amount: nil, comma: false) }
        var lo = b.startIndex, hi = b.endIndex
        while lo < hi && (b[lo] == 0x20 || b[lo] == 0x09) { lo += 1 }
        while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09) { hi -= 1 }
        if lo == hi { return Dollars(amount: nil, comma: false) }
        if b[lo] == UInt8(ascii: "$") { lo += 1 }
        var value = 0, digits = 0, comma = false, i = lo
        while i < hi {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                value = value * 10 + Int(c - 0x30)
                digits += 1
                if digits > 9 { return nil }
            } else if c == UInt8(ascii: ",") && digits > 0 {
                comma = true
            } else if c == UInt8(ascii: ".") && digits > 0 && b[(i + 1)..<hi].allSatisfy({ $0 == UInt8(ascii: "0") }) {
                break
            } else {
                // `None`, `null`, `NaN`, `-`: no value.
                let word = String(decoding: b[lo..<hi], as: UTF8.self).lowercased()
                return ["none", "null", "nan", "-"].contains(word) && digits == 0 ? Dollars(amount: nil, comma: false) : nil
            }
            i += 1
        }
        if digits == 0 { return nil }
        return Dollars(amount: value == 0 ? nil : value, comma: comma)
    }

    /// Accepts `YYYY-MM-DD` (and a longer ISO timestamp, whose date part is kept) for a real
    /// calendar date; nil otherwise.
    static func parseDate(_ text: String) -> String? {
        let u = Array(text.utf8)
        guard u.count >= 10 else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard u[i] >= 0x30 && u[i] <= 0x39 else { return nil }
                v = v * 10 + Int(u[i] - 0x30)
            }
            return v
        }
        guard u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10),
              u.count == 10 || u[10] == UInt8(ascii: "T") || u[10] == 0x20,
              (1...12).contains(m), y >= 1900, y <= 2100
        else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard (1...days).contains(d) else { return nil }
        return String(decoding: u[0..<10], as: UTF8.self)
    }

    /// Board values of a round in an era: used to tell Kaggle Daily Double wagers apart.
    static func isBoardValue(_ v: Int, round: Round, airDate: String?) -> Bool {
        Question.difficulty(value: v, round: round, airDate: airDate) != nil
    }

    enum Outcome {
        case question(Question)
        case reject(String)
    }

    static func build(_ row: RawRow, format: IngestFormat) -> Outcome {
        let clue = TextCleaner.clean(row.clue ?? [], stripWrappingQuotes: row.clueWrapped)
        let answer = TextCleaner.clean(row.answer ?? [])
        let category = TextCleaner.clean(row.category ?? [])
        if row.clue == nil { return .reject("missing clue") }
        if row.answer == nil { return .reject("missing answer") }
        if clue.text.isEmpty { return .reject("empty clue") }
        if answer.text.isEmpty { return .reject("empty answer") }

        guard let roundBytes = row.round else { return .reject("missing round") }
        let roundText = String(decoding: roundBytes, as: UTF8.self)
        guard let round = Round(parsing: roundText) else { return .reject("unknown round \"\(roundText)\"") }

        var airDate: String? = nil
        if let d = row.airDate {
            let text = String(decoding: d, as: UTF8.self).trimmingASCIISpace()
            if !text.isEmpty {
                guard let iso = parseDate(text) else { return .reject("bad air date \"\(text)\"") }
                airDate = iso
            }
        }

        var showNumber: Int? = nil
        if let s = row.showNumber {
            let text = String(decoding: s, as: UTF8.self).trimmingASCIISpace()
            if !text.isEmpty {
                guard let n = Int(text), n > 0 else { return .reject("bad show number \"\(text)\"") }
                showNumber = n
            }
        }

        guard let dollars = parseDollars(row.value) else {
            return .reject("bad value \"\(String(decoding: row.value ?? [], as: UTF8.self))\"")
        }
        let hasBoard = round.classicStep != nil
        var value: Int? = hasBoard ? dollars.amount : nil
        var dailyDouble: Bool? = hasBoard ? nil : false
        var wager: Int? = nil

        if row.dailyDoubleValue != nil || format == .tsv {
            // j-archive: an explicit wager column; jb layout: an explicit wager field.
            guard let dd = parseDollars(row.dailyDoubleValue) else {
                return .reject("bad daily double value \"\(String(decoding: row.dailyDoubleValue ?? [], as: UTF8.self))\"")
            }
            if let w = dd.amount {
                dailyDouble = true
                wager = w
            } else if hasBoard {
                dailyDouble = row.dailyDouble ?? (format == .tsv ? false : nil)
            }
        } else if let flag = row.dailyDouble {
            dailyDouble = flag
        } else if hasBoard, row.inferWager, let v = dollars.amount {
            // Kaggle: the listed value of a Daily Double is the wager. A comma-formatted
            // amount, or one that is no board value of the round and era, is a wager.
            if dollars.comma || !isBoardValue(v, round: round, airDate: airDate) {
                dailyDouble = true
                wager = v
                value = nil
            }
        }
        let difficulty = Question.difficulty(value: value, round: round, airDate: airDate)
        let media = (row.media ?? false) || clue.media || answer.media || TextCleaner.refersToMedia(clue.text)
        var extra = row.extra
        if let c = row.comments {
            let t = TextCleaner.clean(c).text
            if !t.isEmpty { extra["comments"] = .string(t) }
        }
        if let n = row.notes {
            let t = TextCleaner.clean(n).text
            if !t.isEmpty { extra["notes"] = .string(t) }
        }
        let id = row.id ?? Question.makeID(airDate: airDate, round: round.rawValue, category: category.text,
                                           clue: clue.text, mediaLinks: clue.mediaLinks)
        return .question(Question(id: id, showNumber: showNumber, airDate: airDate, round: round.rawValue,
                                  category: category.text, value: value, dailyDouble: dailyDouble, wager: wager,
                                  clue: clue.text, answer: answer.text, media: media, difficulty: difficulty,
                                  extra: extra))
    }
}
