import Foundation
import JBCore
import Testing
@testable import JBGrade

/// Regression tests for grading defects found from outside (issues 15, 19, 20, 21).
@Suite struct GradingDefectsTests {
    static let wordNet = FileManager.default.fileExists(atPath: Lexicon.defaultPath + "/index.noun")

    func grade(_ answer: String, _ reply: String, clue: String = "", mode: GradeMode = .lenient,
               lexicon: Lexicon? = nil) async throws -> JSONObject {
        try await Grader(mode: mode, lexicon: lexicon).grade(answer: answer, response: reply, clue: clue, category: "")
    }

    // Issue 21, defect 4: a chatty sentence that mentions the answer is not the answer.
    @Test func aSentenceMentioningTheAnswerIsNotTheAnswer() async throws {
        let mars = try await grade("Mars", "The planet next to Mars is Jupiter.", clue: "Though not Communist, it's known as the red planet")
        #expect(mars["correct"] == .bool(false))
        #expect(mars["method"] != .string("more_specific"))
        let beijing = try await grade("Peking (or Beijing)", "I have never been to Beijing's airport.",
                                      clue: "When Marco Polo reached this city in 1275 it was called Cambaluc")
        #expect(beijing["correct"] == .bool(false))
        #expect(beijing["method"] != .string("alternative"))
        // A longer name of the answer still counts.
        #expect(try await grade("Paris", "What is Paris, France?")["correct"] == .bool(true))
        #expect(try await grade("Peking (or Beijing)", "Beijing, China")["correct"] == .bool(true))
    }

    // docs/jb-grade.md: "score … 1 for every exact-family match".
    @Test func exactFamilyMethodsScoreOne() async throws {
        let replies = ["Beijing", "I think it's Beijing.", "Beijing, China", "The capital Beijing is big.", "Peking or Beijing"]
        for reply in replies {
            let g = try await grade("Peking (or Beijing)", reply)
            if let m = g["method"], ["exact", "optional_part", "alternative", "number", "plural"].contains(m) {
                #expect(g["score"] == .double(1), "\(reply): \(g)")
            }
        }
    }

    // Issue 19: a transposition of two letters is a typing slip.
    @Test func aTranspositionIsAMisspelling() async throws {
        let clue = "To talk to Wilbur, Mr. Ed would push open the top part of this type of split door"
        #expect(try await grade("a Dutch door", "What is a Dtuch door?", clue: clue)["correct"] == .bool(true))
        #expect(try await grade("Tchaikovsky", "Who is Tchaikovksy?")["correct"] == .bool(true))
        #expect(Text.isTransposition("dtuch", "dutch"))
        #expect(!Text.isTransposition("dutch", "dutch"))
        #expect(!Text.isTransposition("dtcuh", "dutch"))
    }

    @Test(.enabled(if: GradingDefectsTests.wordNet, "needs WordNet (apt-get install wordnet-base)"))
    func aTranspositionThatIsAnotherWordIsNot() async throws {
        let lexicon = try Lexicon(directory: Lexicon.defaultPath)
        // "Mail" for Mali, "Sinai" for Siani: another real word.
        #expect(try await grade("Mali", "What is Mail?", lexicon: lexicon)["correct"] == .bool(false))
        #expect(try await grade("a Dutch door", "What is a Dtuch door?", lexicon: lexicon)["correct"] == .bool(true))
    }

    // Issue 20: a repeated answer marker costs time in proportion to its length.
    @Test func extractionIsLinearInRepeatedMarkers() {
        func cost(_ n: Int) -> Double {
            let reply = String(repeating: "Final answer: ", count: n) + "Paris"
            var best = Double.infinity
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = Extractor.extract(reply)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start))
            }
            return best
        }
        #expect(Extractor.extract(String(repeating: "Final answer: ", count: 500) + "Paris").answer == "Paris")
        _ = cost(500)  // warm up
        let small = cost(4000), large = cost(16000)
        // Four times the input: linear is about 4×, quadratic 16×.
        #expect(large / small < 8, "4000 markers: \(small) ns, 16000: \(large) ns")
    }

    @Test func gradingIsLinearInRepeatedHedgeWordsAndSentences() async throws {
        func cost(_ n: Int) async throws -> Double {
            let replies = [String(repeating: "maybe ", count: n) + "Paris",
                           String(repeating: "What is ", count: n) + "Paris?",
                           String(repeating: "Mr. X. ", count: n) + "Paris",
                           "Paris" + String(repeating: " or Rome", count: n)]
            var best = Double.infinity
            for _ in 0..<2 {
                let start = DispatchTime.now().uptimeNanoseconds
                for r in replies { _ = try await grade("Paris", r) }
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start))
            }
            return best
        }
        _ = try await cost(200)
        let small = try await cost(1000), large = try await cost(4000)
        #expect(large / small < 8, "1000: \(small) ns, 4000: \(large) ns")
    }

    // Issue 15: hedges anywhere, including a parenthetical second candidate.
    @Test func aSecondCandidateAfterTheAnswerIsAHedge() async throws {
        let replies = ["What is Mars? (It could also be Jupiter, with its Great Red Spot.)",
                       "What is Mars? It might also be Jupiter.", "Mars? Jupiter? One of those two.",
                       "What is Mars?\n\nAlternatively, Jupiter.", "Mars (or possibly Jupiter)."]
        for reply in replies {
            let g = try await grade("Mars", reply)
            #expect(g["correct"] == .bool(false), "\(reply)")
            #expect(g["method"] == .string("hedge"), "\(reply)")
        }
        // An explanation after the answer is not a hedge.
        let explained = try await grade("Mars", "What is Mars?\n\nIts iron oxide dust makes it look red; it could be seen by the ancients.")
        #expect(explained["correct"] == .bool(true))
    }

    // Issue 15: numbers written out, years as people say them.
    @Test func yearsAndNumbersWrittenOut() async throws {
        #expect(try await grade("Nineteen Eighty-Four", "What is 1984?")["correct"] == .bool(true))
        #expect(try await grade("\\\"1984\\\"", "What is nineteen eighty-four?")["correct"] == .bool(true))
        #expect(try await grade("1492", "fourteen ninety-two")["correct"] == .bool(true))
        #expect(try await grade("1066", "What is ten sixty-six?")["correct"] == .bool(true))
        #expect(try await grade("1905", "nineteen oh five")["correct"] == .bool(true))
        #expect(try await grade("2021", "twenty twenty-one")["correct"] == .bool(true))
        #expect(try await grade("the Hundred Years' War", "the 100 Years War")["correct"] == .bool(true))
        #expect(try await grade("100", "a hundred")["correct"] == .bool(true))
        #expect(try await grade("1492", "fourteen ninety-three")["correct"] == .bool(false))
        #expect(try await grade("21", "twenty-one")["correct"] == .bool(true))
        #expect(Text.canonicalNumbers(Text.tokenize("nineteen hundred sixty-eight")) == ["1968"])
        // A run of scale words cannot overflow.
        _ = Text.canonicalNumbers(Text.tokenize("one " + String(repeating: "hundred ", count: 40)))
    }

    // Issue 15: keys that never went through jb-ingest are cleaned the way it cleans them.
    @Test func uncleanKeysAreCleanedLikeJBIngest() async throws {
        #expect(try await grade("Procter &amp; Gamble", "What is Procter & Gamble?")["correct"] == .bool(true))
        #expect(try await grade("Charlotte Bront&euml;", "Who is Charlotte Bronte?")["correct"] == .bool(true))
        #expect(try await grade("Antonin Dvo&#345;&aacute;k", "Who is Antonín Dvořák?")["correct"] == .bool(true))
        #expect(try await grade(#"\"It\'s a Wonderful Life\""#, "What is It's a Wonderful Life?")["correct"] == .bool(true))
        #expect(try await grade("<i>Hamlet</i>", "What is Hamlet?")["correct"] == .bool(true))
    }

    // Issue 15: another romanisation of a name.
    @Test func transliterationsOfANameAreMisspellings() async throws {
        let clue = "In January 1986 this dictator threatened the U.S. with a \"Line of Death\""
        for reply in ["Muammar Gaddafi", "Moammar Khadafy", "Gadhafi"] {
            #expect(try await grade("Muammar Qaddafi", "Who is \(reply)?", clue: clue)["correct"] == .bool(true), "\(reply)")
        }
        #expect(try await grade("Dostoevsky", "Who is Dostoyevsky?", clue: "this author")["correct"] == .bool(true))
        #expect(try await grade("Alexandre Dumas", "Who is Alexander Dumas?", clue: "his main source")["correct"] == .bool(true))
        #expect(try await grade("Andrew Jackson", "Who is Andrew Johnson?", clue: "he was president")["correct"] == .bool(false))
    }

    // Issue 15: a more specific reply whose qualifier points at another thing.
    @Test(.enabled(if: GradingDefectsTests.wordNet, "needs WordNet (apt-get install wordnet-base): where places lie"))
    func aQualifierNamingAnotherPlaceIsWrong() async throws {
        let lexicon = try Lexicon(directory: Lexicon.defaultPath)
        let maine = "Longfellow memorabilia are on display at a museum in this largest Maine city"
        #expect(try await grade("Portland", "What is Portland, Maine?", clue: maine, lexicon: lexicon)["correct"] == .bool(true))
        #expect(try await grade("Portland", "What is Portland, Oregon?", clue: maine, lexicon: lexicon)["correct"] == .bool(false))
        let penn = "Founded by Wm. Penn, it became 2nd largest city in British Empire"
        #expect(try await grade("Philadelphia", "Philadelphia, Pennsylvania", clue: penn, lexicon: lexicon)["correct"] == .bool(true))
        #expect(try await grade("Philadelphia", "Philadelphia, Mississippi", clue: penn, lexicon: lexicon)["correct"] == .bool(false))
        let treaty = "Peace treaty with England was signed in this city"
        #expect(try await grade("Paris", "What is Paris, France?", clue: treaty, lexicon: lexicon)["correct"] == .bool(true))
        #expect(try await grade("Paris", "What is Paris, Texas?", clue: treaty, lexicon: lexicon)["correct"] == .bool(false))
    }

    @Test func theSonIsNotTheFather() async throws {
        let clue = "\"Memories de M. D'Artagnan\" was his main source of inspiration for \"The Three Musketeers\""
        #expect(try await grade("Alexandre Dumas", "Who is Alexandre Dumas fils?", clue: clue)["correct"] == .bool(false))
        #expect(try await grade("Alexandre Dumas", "Who is Alexandre Dumas père?", clue: clue)["correct"] == .bool(true))
    }

    // Issue 15: aliases from the curated table.
    @Test func curatedAliases() async throws {
        #expect(try await grade("New York City", "What is the Big Apple?", clue: "\"Taxi\" was set here")["correct"] == .bool(true))
        #expect(try await grade("Caltech", "the California Institute of Technology")["correct"] == .bool(true))
        #expect(try await grade("World War I", "What is the Great War?")["correct"] == .bool(true))
        #expect(try await grade("Myanmar", "Burma", clue: "Thailand is bordered on the west by this country")["correct"] == .bool(true))
        // A successor state, or the clue's own words, are not aliases.
        #expect(try await grade("the Soviet Union", "What is Russia?")["correct"] == .bool(false))
        #expect(try await grade("Ceylon", "What is Sri Lanka?", clue: "Sri Lanka's former name")["correct"] == .bool(false))
        // Every line of the table parses into a group of two or more names.
        for line in AliasTable.text.split(separator: "\n") {
            #expect(line.components(separatedBy: " = ").count >= 2, "\(line)")
        }
    }

    @Test func aTitleWordIsDroppedOnlyFromANameNotFromACommonNoun() async throws {
        #expect(try await grade("Queen Victoria", "Who is Victoria?", clue: "British monarch who said \"We are not amused\"")["correct"] == .bool(true))
        #expect(try await grade("the emperor penguin", "What is a penguin?")["correct"] == .bool(false))
    }
}
