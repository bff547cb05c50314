import Foundation
import JBCore

/// The human-readable table `jb-store runs` prints on a terminal.
public enum RunTable {
    static let headers = ["RUN", "STARTED", "MODELS", "RESPONSES", "ERRORS", "GRADED", "ACCURACY", "COST USD",
                          "TOKENS", "MEAN LATENCY"]

    /// One line per run under a header, columns aligned; numbers right-aligned.
    public static func render(_ runs: [RunSummary]) -> String {
        if runs.isEmpty { return "no runs stored\n" }
        var rows = [headers]
        for r in runs {
            rows.append([
                r.runID.isEmpty ? "(none)" : r.runID,
                r.startedAt.map { String($0.prefix(19)).replacingOccurrences(of: "T", with: " ") } ?? "-",
                (r.models ?? "").replacingOccurrences(of: ",", with: ", "),
                String(r.responses),
                String(r.errors),
                r.graded == 0 ? "-" : "\(r.graded) \(r.gradeMode ?? "")",
                r.accuracy.map { String(format: "%.1f%%", $0 * 100) } ?? "-",
                r.costUSD.map { String(format: "%.4f", $0) } ?? "-",
                r.totalTokens.map(String.init) ?? "-",
                r.meanLatencyMS.map { String(format: "%.0f ms", $0) } ?? "-",
            ])
        }
        // Run ids and model names come from the data: no control character reaches the terminal.
        rows = rows.map { $0.map(TerminalText.safe) }
        let widths = headers.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        let rightAligned: Set<Int> = [3, 4, 6, 7, 8, 9]
        var out = ""
        for row in rows {
            let cells = row.enumerated().map { c, text -> String in
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return rightAligned.contains(c) ? pad + text : text + pad
            }
            out += cells.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        return out
    }
}
