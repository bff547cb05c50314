import JBCore

/// A contamination probe: a model's accuracy on clues aired on or before its training
/// cutoff against those aired after it.
public struct CutoffProbe: Sendable, Equatable {
    /// The model, exactly as in the records.
    public var model: String
    /// The cutoff date, `YYYY-MM-DD`.
    public var date: String
    /// Records aired on or before the cutoff, and the correct ones.
    public private(set) var beforeN = 0, beforeCorrect = 0
    /// Records aired after the cutoff, and the correct ones.
    public private(set) var afterN = 0, afterCorrect = 0
    /// Records of the model without an air date.
    public private(set) var undated = 0

    /// Reads `MODEL=YYYY-MM-DD` (the last `=` splits, so model names may contain `=`).
    public init(parsing text: String) throws {
        guard let eq = text.lastIndex(of: "="), eq != text.startIndex else {
            throw JBError.usage("--cutoff \"\(text)\": expected MODEL=YYYY-MM-DD")
        }
        let date = String(text[text.index(after: eq)...])
        guard Self.isDate(date) else {
            throw JBError.usage("--cutoff \"\(text)\": expected a date YYYY-MM-DD after '='")
        }
        self.init(model: String(text[..<eq]), date: date)
    }

    /// A probe for `model` with cutoff `date`.
    public init(model: String, date: String) {
        self.model = model
        self.date = date
    }

    static func isDate(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return false }
        for k in [0, 1, 2, 3, 5, 6, 8, 9] where !(0x30...0x39).contains(u[k]) { return false }
        let month = Int(s.dropFirst(5).prefix(2))!, day = Int(s.suffix(2))!
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// Counts one of the model's records.
    public mutating func add(_ o: Outcome) {
        guard let d = o.airDate, d.utf8.count >= 10 else { undated += 1; return }
        let day = String(d.prefix(10))
        if day <= date {
            beforeN += 1
            if o.correct == true { beforeCorrect += 1 }
        } else {
            afterN += 1
            if o.correct == true { afterCorrect += 1 }
        }
    }

    /// The cutoff record's fields (without `kind` and `model`).
    public func fields(confidence level: Double) -> JSONObject {
        var o: JSONObject = ["cutoff": .string(date), "undated": JSON(undated), "confidence": JSON(level)]
        for (prefix, n, k) in [("before", beforeN, beforeCorrect), ("after", afterN, afterCorrect)] {
            let ci = Statistics.wilson(successes: k, n: n, confidence: level)
            o["\(prefix)_n"] = JSON(n)
            o["\(prefix)_correct"] = JSON(k)
            o["\(prefix)_accuracy"] = JSON(n > 0 ? Double(k) / Double(n) : nil)
            o["\(prefix)_ci_low"] = JSON(ci?.low)
            o["\(prefix)_ci_high"] = JSON(ci?.high)
        }
        let both = beforeN > 0 && afterN > 0
        let d = Statistics.newcombeDifference(successes1: beforeCorrect, n1: beforeN, successes2: afterCorrect,
                                              n2: afterN, confidence: level)
        o["difference"] = JSON(both ? Double(beforeCorrect) / Double(beforeN) - Double(afterCorrect) / Double(afterN) : nil)
        o["ci_low"] = JSON(d?.low)
        o["ci_high"] = JSON(d?.high)
        o["p_value"] = JSON(both ? Statistics.fisherExact(beforeCorrect, beforeN - beforeCorrect,
                                                          afterCorrect, afterN - afterCorrect) : nil)
        return o
    }
}
