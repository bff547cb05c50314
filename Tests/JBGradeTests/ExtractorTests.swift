import Testing
@testable import JBGrade

@Suite struct ExtractorTests {
    func answer(_ s: String) -> String? { Extractor.extract(s).answer }
    func qf(_ s: String) -> Bool { Extractor.extract(s).questionForm }

    @Test func questionForm() {
        #expect(qf("What is Paris?"))
        #expect(qf("who are the Beatles"))
        #expect(qf("What's gravity?"))
        #expect(qf("Where is Kenya?"))
        #expect(qf("Who was Marie Curie?"))
        #expect(qf("**WHAT IS THE TAJ MAHAL?**"))
        #expect(!qf("Paris"))
        #expect(!qf("Paris?"))
        #expect(!qf("The answer is Paris."))
        #expect(!qf(""))
        #expect(!qf("I'm not sure who this is."))
        #expect(qf("I'll say Who is Kaiser Wilhelm I?"))
        #expect(!qf("Reasoning: What is known is X.\nFinal answer: Ibadan"))
    }

    @Test func finalAnswer() {
        #expect(answer("What is the Dead Sea?") == "the Dead Sea")
        #expect(answer("Final answer: Ibadan") == "Ibadan")
        #expect(answer("Let me think.\nSo the answer is: What is Wellington?") == "Wellington")
        #expect(answer("**Who is Charles Darwin?**\n\nHis work underpins modern biology.") == "Charles Darwin")
        #expect(answer("This clue points to the coldest continent. The answer is **Antarctica**.") == "Antarctica")
        #expect(answer("This is the Queen of Crime. Who is Christie?") == "Christie")
        #expect(answer("Not Stockholm — Oslo.") == "Oslo")
        #expect(answer("Sydney? No — Canberra.") == "Canberra")
        #expect(answer("I'm not sure, but I think it's Canberra.") == "Canberra")
        #expect(answer("minnesota.") == "minnesota")
        #expect(answer("It's not Paul Revere; Who is William Dawes?") == "William Dawes")
        #expect(answer("Who is Madison? Or maybe Monroe.") == "Madison or Monroe")
        #expect(answer("What is Madison? What is Monroe?") == "Madison or Monroe")
        #expect(answer("What is Madison? No, wait. What is Monroe?") == "Monroe")
    }

    @Test func statuses() {
        #expect(Extractor.extract("   ").status == .empty)
        #expect(Extractor.extract("I don't know this one.").status == .refusal)
        #expect(Extractor.extract("I'm not certain. Could you give me more context?").status == .refusal)
        #expect(Extractor.extract("Not Stockholm.").status == .rejected)
        #expect(Extractor.extract("What is?").status == .empty)
    }

    @Test func confidence() {
        #expect(Extractor.extract("What is Paris?\nConfidence: 85%").confidence == 0.85)
        #expect(Extractor.extract("What is Paris? (90% sure)").confidence == 0.9)
        #expect(Extractor.extract("Paris. Confidence: 0.7").confidence == 0.7)
        #expect(Extractor.extract("What is Paris?").confidence == nil)
        #expect(Extractor.extract("What is Paris?\nConfidence: 85%").answer == "Paris")
    }
}
