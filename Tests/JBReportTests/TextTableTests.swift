import Testing
@testable import JBReport

@Suite struct TextTableTests {
    func table() -> TextTable {
        var t = TextTable(columns: [
            .init(header: "model", alignment: .left, priority: 0, flexible: true, minWidth: 6),
            .init(header: "accuracy", alignment: .right, priority: 0),
            .init(header: "cost", alignment: .right, priority: 5),
            .init(header: "latency", alignment: .right, priority: 3),
        ])
        t.rows = [[.init("a-rather-long-model-name"), .init("71.7%"), .init("$0.0045"), .init("812 ms")]]
        return t
    }

    @Test func fitsByShorteningThenDropping() {
        let wide = table().render(width: 100, color: false)
        #expect(wide[0] == "  model                     accuracy     cost  latency")
        let narrow = table().render(width: 47, color: false)
        #expect(narrow.allSatisfy { DisplayWidth.of($0) <= 47 })
        #expect(!narrow[0].contains("cost"))
        #expect(narrow[0].contains("latency"))
        let tiny = table().render(width: 20, color: false)
        #expect(tiny[1].contains("…"))
        #expect(tiny[1].contains("71.7%"))
    }

    @Test func widthCountsWideCharacters() {
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.truncate("日本語のテキスト", to: 7) == "日本語…")
    }

    @Test func colourWrapsOnlyTheText() {
        var t = TextTable(columns: [.init(header: "a", alignment: .right, priority: 0)])
        t.rows = [[.init("1", style: "32")]]
        #expect(t.render(width: 80, color: true)[1] == "  \u{1B}[32m1\u{1B}[0m")
    }
}
