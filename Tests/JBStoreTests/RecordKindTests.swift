import JBCore
import JBStore
import Testing

@Suite struct RecordKindTests {
    @Test func kindsFollowTheRecordContract() {
        let r = StoreFixtures.response(1)
        #expect(RecordKind(of: StoreFixtures.question) == .question)
        #expect(RecordKind(of: r) == .response)
        #expect(RecordKind(of: StoreFixtures.grade(r)) == .grade)
        #expect(RecordKind(of: StoreFixtures.metric()) == .metric)
        #expect(RecordKind(of: ["kind": "comparison", "model": "a", "model_b": "b", "group": "all"]) == .metric)
        // A question with a field of its own called kind is still a question.
        var q = StoreFixtures.question
        q["kind"] = "trivia"
        #expect(RecordKind(of: q) == .question)
    }
}
