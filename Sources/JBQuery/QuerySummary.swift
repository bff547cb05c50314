import Foundation
import JBCore

/// The counts a run ends with.
public struct QuerySummary: Sendable, Equatable {
    public var requests = 0
    public var skipped = 0
    public var duplicates = 0
    public var answered = 0
    public var cached = 0
    /// Cache hits of a `--stream` run whose answer was asked without streaming (no `ttft_ms`).
    public var cachedWithoutTTFT = 0
    public var errors = 0
    public var retries = 0
    public var attempts = 0
    public var unknownCost = 0
    public var spent: Decimal = 0
    public var notSent = 0

    public init() {}

    /// The transient progress line: done of all, rate, ETA, errors, retries, spend.
    func progressLine(elapsed: Duration) -> String {
        let done = answered + errors
        let seconds = Double(elapsed.wholeMilliseconds) / 1000
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var eta = "–"
        if rate > 0 && done < requests {
            let left = Double(requests - done) / rate
            eta = left >= 60 ? "\(Int(left) / 60)m\(String(format: "%02d", Int(left) % 60))s" : "\(Int(left))s"
        }
        return String(format: "%d/%d · %.1f/s · ETA %@ · %@ · %@ · %@", done, requests, rate, eta,
                      counted(errors, "error"), counted(retries, "retry", "retries"), costText)
    }

    /// What was spent: dollars, "cost unknown" when no answer had a known cost (a local
    /// server reports none), or dollars plus how many answers are not in the sum.
    var costText: String {
        let paid = answered - cached
        if unknownCost > 0 && unknownCost >= paid && spent == 0 { return "cost unknown" }
        let dollars = String(format: "$%.4f", spent.doubleValue)
        return unknownCost > 0 ? dollars + " + \(counted(unknownCost, "answer")) of unknown cost" : dollars
    }

    /// The run's closing line.
    func line(elapsed: Duration) -> String {
        let secs = Double(elapsed.wholeMilliseconds) / 1000
        var line = "\(counted(requests, "request")): \(answered) answered"
        if cached > 0 { line += " (\(cached) from cache)" }
        line += ", \(counted(errors, "error")), \(counted(retries, "retry", "retries"))"
        if notSent > 0 { line += ", \(notSent) unanswered" }
        let paid = answered - cached
        if unknownCost > 0 && unknownCost >= paid && spent == 0 {
            line += ", cost unknown (the server reports none; give --pricing FILE)"
        } else {
            line += String(format: ", $%.4f spent", spent.doubleValue)
            if unknownCost > 0 { line += " (+ \(counted(unknownCost, "answer")) of unknown cost)" }
        }
        line += String(format: ", %.1f s", secs)
        if skipped > 0 { line += "; \(skipped) already done" }
        return line
    }
}

extension Duration {
    /// Whole milliseconds.
    var wholeMilliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}

/// Answers by the model the server reported, for each model asked whose answers came from
/// another: a fallback, or a local server's one model whatever the id asked.
final class ReportedModels: @unchecked Sendable {
    private let lock = NSLock()
    private var others: [String: [String: Int]] = [:]

    /// Counts an answer whose reported model is not the one asked for.
    func note(asked: String, reported: String?) {
        guard let reported, !reported.isEmpty, !Self.sameModel(asked: asked, reported: reported) else { return }
        lock.withLock { others[asked, default: [:]][reported, default: 0] += 1 }
    }

    /// One warning per model asked whose answers came from another.
    var warnings: [String] {
        lock.withLock { others }.sorted(by: { $0.key < $1.key }).map { asked, reported in
            let list = reported.sorted { $0.key < $1.key }.map { "\"\($0.key)\" (\(counted($0.value, "answer")))" }
            return "\(asked): the server reported another model for its answers: \(list.joined(separator: ", ")); the records keep it in reported_model"
        }
    }

    /// A dated or numbered version of the id asked (`openai/gpt-4o-mini-2024-07-18` for
    /// `openai/gpt-4o-mini`) or the id without an OpenRouter variant (`…:free`, `…:nitro`) is
    /// the model asked for.
    static func sameModel(asked: String, reported: String) -> Bool {
        var ids = [asked]
        if let colon = asked.lastIndex(of: ":"), asked.contains("/") { ids.append(String(asked[..<colon])) }
        // A version suffix starts with a digit: `-2024-07-18`, `-001`; `-mini` is another model.
        return ids.contains { reported == $0 || (reported.hasPrefix($0 + "-") && reported.dropFirst($0.count + 1).first?.isNumber == true) }
    }
}
