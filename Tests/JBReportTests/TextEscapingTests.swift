import Testing
@testable import JBReport

@Suite struct TextEscapingTests {
    @Test func htmlEscapesMarkupAndQuotes() {
        #expect(TextEscaping.html("<script>a&b\"c'</script>") == "&lt;script&gt;a&amp;b&quot;c&#39;&lt;/script&gt;")
        #expect(TextEscaping.html("é 日本") == "é 日本")
        #expect(TextEscaping.html("a\u{0}b") == "a\u{FFFD}b")
    }

    @Test func markdownKeepsTableCellsWhole() {
        let s = TextEscaping.markdown("a | b *c* `d` [e](f) <g>\nh")
        #expect(s == "a \\| b \\*c\\* \\`d\\` \\[e\\](f) &lt;g&gt; h")
        #expect(!s.contains("\n"))
        // Every pipe left is escaped.
        #expect(s.replacingOccurrences(of: "\\|", with: "").contains("|") == false)
    }

    @Test func csvQuotesAndDefusesFormulas() {
        #expect(TextEscaping.csv("plain") == "plain")
        #expect(TextEscaping.csv("a,b") == "\"a,b\"")
        #expect(TextEscaping.csv("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(TextEscaping.csv("two\nlines") == "\"two\nlines\"")
        #expect(TextEscaping.csv("=1+1") == "'=1+1")
        #expect(TextEscaping.csv("+cmd") == "'+cmd")
        #expect(TextEscaping.csv("-2") == "'-2")
        #expect(TextEscaping.csv("@SUM(A1)") == "'@SUM(A1)")
        #expect(TextEscaping.csv("=HYPERLINK(\"x\",\"y\")") == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"")
    }

    @Test func terminalRemovesEscapeSequences() {
        let s = TextEscaping.terminal("\u{1B}[2J\u{1B}[Hred\nnext\u{202E}x")
        #expect(!s.contains("\u{1B}"))
        #expect(!s.contains("\n"))
        #expect(!s.contains("\u{202E}"))
        #expect(s.hasSuffix("red next\u{FFFD}x"))
    }
}
