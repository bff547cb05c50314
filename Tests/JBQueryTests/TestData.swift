import Foundation
import JBCore
@testable import JBQuery

/// Small question sets for the tests.
enum TestData {
    static func question(_ n: Int, category: String = "SCIENCE") -> JSONObject {
        [
            "id": .string(String(format: "%016x", n)), "show_number": 1, "air_date": "2004-12-31", "round": "Jeopardy!",
            "category": .string(category), "value": 200, "daily_double": false, "difficulty": 1,
            "clue": .string("Clue number \(n) is about Topic\(n) and nothing else"),
            "answer": .string("Answer \(n)"), "media": false, "source": "unit-test",
        ]
    }

    /// Writes `n` questions to a temporary JSONL file and returns its path.
    static func questionsFile(_ n: Int, categories: Int = 3) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jbq-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("questions.jsonl").path
        var text = ""
        for i in 0..<n { text += JSONSerializer.string(.object(question(i, category: "CAT\(i % categories)"))) + "\n" }
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    static func tempPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jbq-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    static func records(_ path: String) -> [JSONObject] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)).objectValue }
    }
}
