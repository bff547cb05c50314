import Foundation
import Testing
@testable import JBGrade

@Suite struct LexiconTests {
    @Test func readsWordNetIndexFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jb-lexicon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
          1 licence text
        ike n 1 1 @ 1 0 10954966  \n\
        eisenhower n 1 1 @ 1 0 10954966  \n\
        washington_d.c. n 1 4 @ ~ #p %p 1 0 09070793  \n\
        odds n 2 2 @ ; 2 1 04756504 13823483  \n
        """.write(to: dir.appendingPathComponent("index.noun"), atomically: true, encoding: .utf8)
        try "quick a 1 1 & 1 0 00001  \n".write(to: dir.appendingPathComponent("index.adj"), atomically: true, encoding: .utf8)
        let lexicon = try Lexicon(directory: dir.path)
        #expect(lexicon.synonyms(["ike"], ["eisenhower"]))
        #expect(lexicon.synsets(["washington", "dc"]) == [9070793])
        #expect(lexicon.isWord("quick"))
        #expect(!lexicon.isWord("conneticut"))
        #expect(lexicon.pluralChangesMeaning(plural: "odds", singular: "odd"))
    }

    @Test func missingIndexIsAnOpenError() {
        #expect(throws: (any Error).self) { try Lexicon(directory: "/nonexistent-wordnet") }
    }
}
