import Foundation
import JBCore
import Testing
@testable import JBReport

@Suite struct RendererTests {
    @Test func htmlHasChartsAndNoLiveMarkupFromData() {
        let html = HTMLRenderer().render(Fixtures.model())
        for id in ["chart-accuracy", "chart-heatmap-0", "chart-calibration", "chart-cost", "chart-latency"] {
            #expect(html.contains("<svg id=\"\(id)\""), "missing \(id)")
        }
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
        #expect(html.contains("Content-Security-Policy"))
    }

    @Test func markdownTablesKeepTheirShape() {
        let md = MarkdownRenderer().render(Fixtures.model())
        #expect(!md.contains("<script"))
        #expect(!md.contains("\u{1B}"))
        // Rows of one table have as many cells as its header.
        var expected: Int? = nil
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else { expected = nil; continue }
            let cells = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            if let e = expected { #expect(cells == e, "\(line)") } else { expected = cells }
        }
    }

    @Test func csvRoundTrips() {
        let csv = CSVRenderer().render(Fixtures.model())
        let rows = Self.parseCSV(csv)
        #expect(rows.count == 7)
        #expect(Set(rows.map(\.count)).count == 1)
        let header = rows[0]
        #expect(header.prefix(4) == ["kind", "model", "model_b", "group"])
        let model = header.firstIndex(of: "model")!
        #expect(rows.dropFirst().contains { $0[model] == Fixtures.hostile })
        #expect(!csv.contains("\n=") && !csv.contains(",="))
    }

    @Test func jsonParsesBackWithEveryRecord() throws {
        let text = JSONRenderer().render(Fixtures.model())
        #expect(!text.contains("<"))
        guard case .object(let o) = try JSONParser.parse(text) else { Issue.record("not an object"); return }
        #expect(o["leaderboard"]?.arrayValue?.count == 2)
        #expect(o["leaderboard"]?.arrayValue?[1].objectValue?["model"]?.stringValue == Fixtures.hostile)
        #expect(o["comparisons"]?.arrayValue?.count == 1)
        #expect(o["breakdowns"]?.objectValue?["category"]?.arrayValue?.count == 3)
    }

    @Test func terminalFitsAndStaysInert() {
        for width in [60, 80, 120] {
            let text = TerminalRenderer(width: width, color: false).render(Fixtures.model())
            #expect(!text.contains("\u{1B}"))
            for line in text.split(separator: "\n") {
                #expect(DisplayWidth.of(String(line)) <= width, "too wide at \(width): \(line)")
            }
        }
        let coloured = TerminalRenderer(width: 100, color: true).render(Fixtures.model())
        #expect(coloured.contains("\u{1B}[1m"))
        #expect(!coloured.contains("\u{1B}[31mred"))
    }

    /// A small RFC 4180 reader.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let next = text.index(after: i)
                    if next < text.endIndex && text[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(field); field = ""
            } else if c == "\n" { row.append(field); rows.append(row); row = []; field = ""
            } else { field.append(c) }
            i = text.index(after: i)
        }
        return rows
    }
}
