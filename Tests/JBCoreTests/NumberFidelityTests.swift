import Testing
@testable import JBCore

/// Numbers come through a parse and a write with their values: no digit of a long integer or
/// fraction is lost, and values beyond a double's range are not turned into `null`.
@Suite struct NumberFidelityTests {
    func roundTrip(_ text: String) throws -> String {
        try JSONParser.parse(text).compactText
    }

    @Test func longIntegersKeepEveryDigit() throws {
        #expect(try roundTrip("123456789012345678901234567890") == "123456789012345678901234567890")
        #expect(try roundTrip("12345678901234567890") == "12345678901234567890")
        #expect(try roundTrip("-98765432109876543210") == "-98765432109876543210")
        #expect(try roundTrip("9223372036854775807") == "9223372036854775807")
        #expect(try JSONParser.parse("9223372036854775807") == .int(.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(.min))
        #expect(try JSONParser.parse("9223372036854775808") == .number("9223372036854775808"))
        #expect(try JSONParser.parse("123456789012345678") == .int(123_456_789_012_345_678))
        #expect(try JSONParser.parse("-0") == .int(0))
    }

    @Test func numbersBeyondADoubleKeepTheirText() throws {
        #expect(try roundTrip("1e400") == "1e400")
        #expect(try roundTrip("-1.5E+999") == "-1.5E+999")
        #expect(try roundTrip("1e-400") == "1e-400")
        #expect(try roundTrip("0.1000000000000000055511151231257827") == "0.1000000000000000055511151231257827")
        #expect(try JSONParser.parse("1e400").doubleValue == .infinity)
        #expect(try JSONParser.parse("1e400").typeName == "a number")
    }

    @Test func doublesADoubleHoldsStayDoubles() throws {
        #expect(try JSONParser.parse("1.5e-300") == .double(1.5e-300))
        #expect(try roundTrip("1.5e-300") == "1.5e-300")
        #expect(try roundTrip("0.30000000000000004") == "0.30000000000000004")
        #expect(try JSONParser.parse("2.5") == .double(2.5))
        #expect(try JSONParser.parse("1e-05") == .double(0.00001))
        #expect(try JSONParser.parse("0.0") == .double(0))
        #expect(try JSONParser.parse("5e-324") == .double(5e-324))
        // More digits than the double's shortest form: written back as they came.
        #expect(try roundTrip("4.940656458412465e-324") == "4.940656458412465e-324")
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let text = #"{"z":{"n":[1e400,12345678901234567890,1.5e-300,{"k":null}]},"a":0.1000000000000000055511151231257827}"#
        let once = try roundTrip(text)
        #expect(once == #"{"a":0.1000000000000000055511151231257827,"z":{"n":[1e400,12345678901234567890,1.5e-300,{"k":null}]}}"#)
        #expect(try roundTrip(once) == once)
    }

    @Test func sameDecimalComparesValuesNotSpelling() {
        #expect(JSONParser.sameDecimal("1.50", "1.5"))
        #expect(JSONParser.sameDecimal("150e-2", "1.5"))
        #expect(JSONParser.sameDecimal("0.000015", "1.5e-05"))
        #expect(!JSONParser.sameDecimal("1.5", "-1.5"))
        #expect(!JSONParser.sameDecimal("1.55", "1.5"))
    }
}
