import Testing
@testable import JBGrade

@Suite struct AnswerKeyTests {
    func forms(_ s: String) -> [[String]] { AnswerKey(s).variants.map(\.basic) }

    @Test func optionalParts() {
        let f = forms("(Abraham) Lincoln")
        #expect(f.contains(["abraham", "lincoln"]))
        #expect(f.contains(["lincoln"]))
        let key = AnswerKey("the (Great) Sphinx")
        #expect(key.variants.contains { $0.basic == ["sphinx"] && $0.optionalChanged })
        #expect(key.variants.contains { $0.basic == ["great", "sphinx"] && !$0.optionalChanged })
    }

    @Test func alternatives() {
        let key = AnswerKey("Peking (or Beijing)")
        #expect(key.variants.contains { $0.basic == ["peking"] && $0.alternative == 0 })
        #expect(key.variants.contains { $0.basic == ["beijing"] && $0.alternative > 0 })
        #expect(forms("forth / fourth").contains(["fourth"]))
        #expect(forms("Falkland (or Malvinas) Islands").contains(["malvinas", "islands"]))
        #expect(forms("echolocation (sonar accepted)").contains(["sonar"]))
    }

    @Test func cleansArchiveQuirks() {
        #expect(AnswerKey("Abercrombie &amp; Fitch").clean == "Abercrombie & Fitch")
        #expect(forms(#"\"It\'s a Wonderful Life\""#).first == ["its", "a", "wonderful", "life"])
        #expect(AnswerKey("Henry VIII").variants[0].numeric == ["henry", "8"])
    }
}
