import Testing
@testable import JBCore

@Suite struct JSONTests {
    @Test func roundTripIsByteStable() throws {
        let text = #"{"b":[1,2.5,-3,true,null],"a":"x/y é \"q\" \\ \n","c":{"z":{},"y":[]},"big":12345678901234}"#
        let value = try JSONParser.parse(text)
        let out = value.compactText
        #expect(out == #"{"a":"x/y é \"q\" \\ \n","b":[1,2.5,-3,true,null],"big":12345678901234,"c":{"y":[],"z":{}}}"#)
        #expect(try JSONParser.parse(out) == value)
    }

    @Test func unicodeEscapesAndSurrogates() throws {
        #expect(try JSONParser.parse(#""A\u00e9ropostale \ud83d\ude00""#) == .string("Aéropostale 😀"))
        #expect(JSON.string("\u{1}").compactText == #""\u0001""#)
    }

    @Test func errorsSayWhereAndWhat() {
        #expect(throws: JSONParser.Failure(message: "expected ':' after key \"a\"", column: 6)) { try JSONParser.parse(#"{"a" 1}"#) }
        #expect(throws: JSONParser.Failure(message: "unterminated string", column: 8)) { try JSONParser.parse(#"{"a":"x"#) }
        #expect(throws: JSONParser.Failure(message: "unexpected text after the JSON value", column: 4)) { try JSONParser.parse("{} x") }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse("[1,]") }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse("01") }
    }

    @Test func numbersKeepTheirKind() throws {
        #expect(try JSONParser.parse("42") == .int(42))
        #expect(try JSONParser.parse("4.0") == .double(4))
        #expect(JSON.double(4).compactText == "4")
        #expect(JSON.double(0.1).compactText == "0.1")
        #expect(JSON.double(.nan).compactText == "null")
        #expect(try JSONParser.parse("1e3") == .double(1000))
    }

    @Test func accessors() {
        #expect(JSON.double(3).intValue == 3)
        #expect(JSON.double(3.5).intValue == nil)
        #expect(JSON.string("x").typeName == "a string")
        #expect(JSON(nil as Int?) == .null)
    }
}

@Suite struct QuestionTests {
    @Test func fastWriterMatchesTheGenericOne() {
        var q = Question(id: "abc", showNumber: 12, airDate: "2001-01-01", round: "Jeopardy!", category: "C",
                         value: 200, dailyDouble: true, wager: 500, clue: "c \"q\"", answer: "a", media: false,
                         difficulty: 2, extra: ["zeta": .int(1), "b_extra": .string("x"), "notes": .null, "aa": .bool(true)])
        var fast: [UInt8] = []
        q.writeJSON(into: &fast)
        var generic: [UInt8] = []
        JSONSerializer.writeObject(q.json, into: &generic)
        #expect(fast == generic)
        q.extra = [:]
        q.wager = nil
        fast = []
        generic = []
        q.writeJSON(into: &fast)
        JSONSerializer.writeObject(q.json, into: &generic)
        #expect(fast == generic)
    }

    @Test func idKeyKeepsLettersAndDigits() {
        #expect(Question.idKey("Aéropostale's 2nd  STORE!") == "aéropostales2ndstore")
        #expect(Question.idKey("\"X\"s & \"O\"s") == "xsos")
    }
}
