import Testing
@testable import JBCore

@Suite struct TextCleanerTests {
    @Test func plainTextIsUnchanged() {
        #expect(TextCleaner.clean("The Nile").text == "The Nile")
        #expect(TextCleaner.clean("Aéropostale").text == "Aéropostale")
    }

    @Test func whitespaceIsNormalised() {
        #expect(TextCleaner.clean("  two  spaces\tand a tab ").text == "two spaces and a tab")
        #expect(TextCleaner.clean("no\u{00A0}break").text == "no break")
    }

    @Test func tagsAreRemovedAndMediaLinksNoted() {
        let c = TextCleaner.clean(#"The <a href="http://www.j-archive.com/media/2004-12-31_DJ_12.jpg" target="_blank">glass seen here</a>"#)
        #expect(c.text == "The glass seen here")
        #expect(c.media)
        #expect(c.mediaLinks == ["http://www.j-archive.com/media/2004-12-31_DJ_12.jpg"])
        let italic = TextCleaner.clean("the play <i>Hamlet</i>")
        #expect(italic.text == "the play Hamlet")
        #expect(!italic.media)
        #expect(TextCleaner.clean("Bucharest,<br />Bonn,<br />Bern").text == "Bucharest, Bonn, Bern")
        #expect(TextCleaner.clean("5 < 6 and 7 > 2").text == "5 < 6 and 7 > 2")
    }

    @Test func entitiesAreDecoded() {
        #expect(TextCleaner.clean("Procter &amp; Gamble").text == "Procter & Gamble")
        #expect(TextCleaner.clean("Charlotte Bront&euml;").text == "Charlotte Brontë")
        #expect(TextCleaner.clean("Aloha &#699;Oe &#x3C0; &ocirc;").text == "Aloha ʻOe π ô")
        #expect(TextCleaner.clean("a waiter &#8211 perhaps").text == "a waiter – perhaps")
        #expect(TextCleaner.clean("AT&T & more &unknown; &").text == "AT&T & more &unknown; &")
    }

    @Test func quoteEscapesAreRemoved() {
        #expect(TextCleaner.clean(#"\"Twelfth Night\""#).text == "\"Twelfth Night\"")
        #expect(TextCleaner.clean(#"Pike\'s Peak"#).text == "Pike's Peak")
        #expect(TextCleaner.clean(#"a \ backslash"#).text == #"a \ backslash"#)
    }

    @Test func jsonSingleQuotesAreUnwrapped() {
        #expect(TextCleaner.clean("'For the last 8 years'", stripWrappingQuotes: true).text == "For the last 8 years")
        #expect(TextCleaner.clean("'quoted'").text == "'quoted'")
        #expect(TextCleaner.clean("''", stripWrappingQuotes: true).text == "")
    }

    @Test func mediaPhrases() {
        #expect(TextCleaner.refersToMedia("The flag seen here"))
        #expect(TextCleaner.refersToMedia("It can be heard from miles away: [audio clue]"))
        #expect(!TextCleaner.refersToMedia("It can be heard from miles away"))
    }
}
