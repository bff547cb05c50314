import JBCore
@testable import JBMetrics
import Testing

@Suite struct OutcomeTests {
    func parse(_ text: String) throws -> Outcome {
        try Outcome(record: JSONParser.parse(text).objectValue!) { JBError.badRecord(source: "t", line: 1, message: $0) }
    }

    func message(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch let e as JBError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    @Test func readsEveryField() throws {
        let o = try parse("""
            {"id":"x","model":"m","epoch":2,"value":400,"daily_double":true,"wager":1500,"round":"Jeopardy!",\
            "air_date":"2001-01-01","latency_ms":812,"cached":false,"tokens":{"prompt":50,"completion":null},\
            "cost_usd":0.001,"error":null,"grade":{"correct":true,"answered":true,"method":"exact","confidence":0.8}}
            """)
        #expect(o == Outcome(model: "m", id: "x", epoch: 2, answered: true, correct: true, confidence: 0.8, value: 400,
                             dailyDouble: true, wager: 1500, round: "Jeopardy!", airDate: "2001-01-01", latencyMS: 812,
                             promptTokens: 50, costUSD: 0.001))
    }

    @Test func errorsAndRefusals() throws {
        let e = try parse(#"{"id":"x","model":"m","error":{"message":"boom"},"grade":{"correct":null,"answered":false,"method":"refusal"}}"#)
        #expect(e.error && !e.refusal && e.epoch == 1)
        let r = try parse(#"{"id":"x","model":"m","grade":{"correct":false,"answered":false,"method":"refusal"}}"#)
        #expect(r.refusal && !r.error)
    }

    @Test func badRecords() {
        #expect(message(#"{"id":"x","model":"m"}"#) == "missing field \"grade\" (is this a grade record? run jb-grade first)")
        #expect(message(#"{"id":"x","model":"m","grade":1}"#) == "field \"grade\": expected an object, found a number")
        #expect(message(#"{"id":"x","grade":{"answered":true,"correct":true}}"#) == "missing field \"model\"")
        #expect(message(#"{"id":"x","model":"m","grade":{"correct":true}}"#) == "missing field \"grade.answered\"")
        #expect(message(#"{"id":"x","model":"m","grade":{"answered":"yes"}}"#) == "field \"grade.answered\": expected true or false, found a string")
        #expect(message(#"{"id":"x","model":"m","grade":{"answered":true,"correct":null}}"#)
                == "field \"grade.correct\": expected true or false when \"grade.answered\" is true")
        #expect(message(#"{"id":"x","model":"m","grade":{"answered":false,"correct":true}}"#)
                == "field \"grade.correct\" is true but \"grade.answered\" is false")
        #expect(message(#"{"id":"x","model":"m","grade":{"answered":true,"correct":true,"confidence":1.5}}"#)
                == "field \"grade.confidence\": expected a number from 0 to 1, found 1.5")
        #expect(message(#"{"id":"x","model":"m","tokens":{"prompt":"many"},"grade":{"answered":false}}"#)
                == "field \"tokens.prompt\": expected an integer, found a string")
        #expect(message(#"{"id":"x","model":"m","latency_ms":-1,"grade":{"answered":false}}"#)
                == "field \"latency_ms\": expected a number of milliseconds from 0 to 10^12, found -1.0")
    }
}
