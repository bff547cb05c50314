/// The `grade` object jb-grade adds to a response (docs/records.md, "grade").
public struct Grade: Equatable, Sendable {
    /// The grade object's keys.
    public enum Key: String, RecordKey {
        case correct, answered, mode, method
        case decidedBy = "decided_by"
        case score, extracted
        case questionForm = "question_form"
        case confidence, grader, judge
    }

    /// The key of the grade object in a grade record.
    public static let recordKey = "grade"

    /// The verdict; nil when the model never answered.
    public var correct: Bool?
    /// False for errors, refusals and empty replies.
    public var answered: Bool
    /// The grading mode (`strict`, `lenient`, `jeopardy`, `adaptive`).
    public var mode: String
    /// The rule's reading of the reply; it stays when a judge decides.
    public var method: GradeMethod
    /// Who set `correct`: `rules`, `judge` or `unsettled` (the judge could not be asked).
    public var decidedBy: String
    /// Similarity of the extracted answer to the best acceptable form, 0–1.
    public var score: Double
    /// The final answer read from the reply.
    public var extracted: String?
    /// The answer is phrased as a question.
    public var questionForm: Bool
    /// A confidence the reply stated, 0–1.
    public var confidence: Double?
    /// Grader name and version.
    public var grader: String
    /// The judge's record when it was needed, else null.
    public var judge: JSON

    /// Creates a grade.
    public init(correct: Bool?, answered: Bool, mode: String, method: GradeMethod, decidedBy: String = "rules", score: Double,
                extracted: String?, questionForm: Bool, confidence: Double?, grader: String, judge: JSON = .null) {
        self.correct = correct
        self.answered = answered
        self.mode = mode
        self.method = method
        self.decidedBy = decidedBy
        self.score = score
        self.extracted = extracted
        self.questionForm = questionForm
        self.confidence = confidence
        self.grader = grader
        self.judge = judge
    }

    /// The value of one field.
    public subscript(key: Key) -> JSON {
        switch key {
        case .correct: return JSON(correct)
        case .answered: return .bool(answered)
        case .mode: return .string(mode)
        case .method: return .string(method.rawValue)
        case .decidedBy: return .string(decidedBy)
        case .score: return .double(score)
        case .extracted: return JSON(extracted)
        case .questionForm: return .bool(questionForm)
        case .confidence: return JSON(confidence)
        case .grader: return .string(grader)
        case .judge: return judge
        }
    }

    /// The grade as a JSON object.
    public var object: JSONObject {
        var o: JSONObject = [:]
        o.reserveCapacity(Key.allCases.count)
        for k in Key.allCases { o[k.rawValue] = self[k] }
        return o
    }

    /// Appends the object's compact JSON, keys sorted: the same bytes as
    /// `JSONSerializer.writeObject(object)` without building a dictionary (jb-grade's hot path).
    public func write(into out: inout [UInt8]) {
        for (k, opening) in Grade.sortedKeys {
            out.append(contentsOf: opening)
            JSONSerializer.write(self[k], into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The keys in written order, each with the bytes before its value (`{"answered":`, `,"confidence":`, …).
    private static let sortedKeys: [(Key, [UInt8])] = Key.allCases.sorted { JSONSerializer.utf8Less($0.rawValue, $1.rawValue) }
        .enumerated().map { i, k in (k, Array(((i == 0 ? "{" : ",") + "\"" + k.rawValue + "\":").utf8)) }
}
